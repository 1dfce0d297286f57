"""A campaign's contact opt-ins on the staff pages: the list, and its CSV download (a
POST, because every download of residents' contact details is audited)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import current_user

from engage.contacts import services as contacts
from engage.extensions import db
from engage.permissions import Permission, requires
from engage.web.forms import ActionForm
from engage.web.guards import get_campaign_or_404
from engage.web.pagination import paginate

bp = Blueprint("contacts", __name__)


@bp.get("/campaigns/<int:campaign_id>/contacts")
@requires(Permission.MANAGE_CAMPAIGNS)
def contact_list(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user)
    return render_template(
        "contacts/contact_list.html",
        campaign=campaign,
        pagination=paginate(contacts.list_contact_opt_ins(campaign)),
        kind_of=contacts.contact_kind,
        action_form=ActionForm(),
    )


@bp.post("/campaigns/<int:campaign_id>/contacts/export")
@requires(Permission.MANAGE_CAMPAIGNS)
def contact_export(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    contacts.record_contacts_export(db.session, campaign, actor=current_user)
    filename = f"{campaign.slug}-contacts.csv"
    return Response(
        stream_with_context(contacts.contacts_csv(db.session, campaign)),
        mimetype="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
