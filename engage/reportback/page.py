"""What the approval page's template and forms need (no view logic here)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from wtforms.fields.choices import SelectChoice

from engage.models import Campaign
from engage.reportback.forms import UpdateForm
from engage.reportback.pages import approval_page
from engage.reportback.services import has_published, list_updates
from engage.templating import language_name


def update_choices(form: UpdateForm, campaign: Campaign, session: Session) -> UpdateForm:
    """Offer the campaign's languages, and its original updates to translate."""
    form.language.choices = [SelectChoice(code, language_name(code)) for code in campaign.languages]
    originals = [u for u in list_updates(session, campaign) if u.translation_of_id is None]
    form.translation_of.choices = [SelectChoice("", _("None: this is a new update"))] + [
        SelectChoice(str(u.id), f"{u.happened_on.isoformat()} · {u.body[:60]}") for u in originals
    ]
    return form


def approval_context(session: Session, campaign: Campaign) -> dict[str, Any]:
    context = approval_page(session, campaign)
    context["is_live"] = has_published(session, campaign)
    return context
