"""The staff home page, and creating and editing listening campaigns."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.builder.forms import (
    CONTACT_PURPOSE_PREFIX,
    CampaignForm,
    language_choices,
    with_contact_purposes,
)
from engage.campaigns.services import (
    CampaignSlugTaken,
    assigned_workgroups,
    list_campaign_summaries,
    save_campaign,
)
from engage.extensions import db
from engage.models import Campaign
from engage.models.campaign import CampaignStatus
from engage.permissions import Permission, requires
from engage.templating import campaign_status_label, language_name
from engage.web.guards import get_campaign_or_404

bp = Blueprint("campaigns", __name__)


@bp.get("/")
@requires(Permission.USE_STAFF_AREA)
def home() -> ResponseReturnValue:
    return render_template(
        "campaigns/home.html", campaigns=list_campaign_summaries(db.session, for_user=current_user)
    )


def _purpose_label(code: str) -> str:
    return _("Why we may contact residents, in %(language)s", language=language_name(code))


def _campaign_form(campaign: Campaign | None) -> CampaignForm:
    languages = list(campaign.languages) if campaign is not None else []
    form = with_contact_purposes(languages, _purpose_label)(obj=campaign)
    form.purpose_fields = [form[f"{CONTACT_PURPOSE_PREFIX}{code}"] for code in languages]
    if campaign is not None and not form.is_submitted():
        for code, box in zip(languages, form.purpose_fields, strict=True):
            box.data = (campaign.contact_purpose or {}).get(code, "")
    choices = language_choices()
    known = {code for code, _name in choices}
    extra = [c for c in (campaign.languages if campaign else []) if c not in known]
    form.languages.choices = choices + language_choices(tuple(extra))
    form.status.choices = [(s, campaign_status_label(s)) for s in CampaignStatus]
    form.suppression_threshold.description = _(
        "Counts of smaller groups are hidden on the dashboard so that nobody can be "
        "singled out. Leave empty for the site's setting (%(num)s).",
        num=current_app.config["SUPPRESSION_THRESHOLD"],
    )
    if campaign is not None and not form.is_submitted():
        form.areas.data = "\n".join(campaign.areas)
    if campaign is None and not form.is_submitted():
        form.languages.data = ["en"]
    return form


def _values(form: CampaignForm) -> dict[str, Any]:
    areas = [line.strip() for line in (form.areas.data or "").splitlines() if line.strip()]
    return {
        "title": form.title.data.strip(),
        "slug": form.slug.data.strip(),
        "purpose": form.purpose.data or "",
        "target_population": form.target_population.data or "",
        "areas": list(dict.fromkeys(areas)),
        "languages": list(form.languages.data),
        "opens_on": form.opens_on.data,
        "closes_on": form.closes_on.data,
        "status": form.status.data,
        "report_back_url": form.report_back_url.data or None,
        "contacts_retained_until": form.contacts_retained_until.data,
        "suppression_threshold": form.suppression_threshold.data,
        "contact_purpose": {
            box.name.removeprefix(CONTACT_PURPOSE_PREFIX): box.data.strip()
            for box in form.purpose_fields
            if (box.data or "").strip()
        },
    }


def _save(form: CampaignForm, campaign: Campaign | None) -> ResponseReturnValue | None:
    if not form.validate_on_submit():
        return None
    try:
        saved = save_campaign(db.session, campaign, **_values(form))
    except CampaignSlugTaken:
        form.slug.errors = [_("Another campaign already uses this short name.")]
        return None
    flash(_("The campaign is saved."), "success")
    return redirect(url_for("campaigns.campaign_edit", campaign_id=saved.id))


@bp.route("/campaigns/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_CAMPAIGNS)
def campaign_new() -> ResponseReturnValue:
    form = _campaign_form(None)
    return _save(form, None) or (
        render_template("campaigns/campaign_form.html", form=form, campaign=None),
        400 if form.errors else 200,
    )


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_CAMPAIGNS)
def campaign_edit(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user)
    form = _campaign_form(campaign)
    return _save(form, campaign) or (
        render_template(
            "campaigns/campaign_form.html",
            form=form,
            campaign=campaign,
            workgroups=assigned_workgroups(db.session, campaign),
        ),
        400 if form.errors else 200,
    )
