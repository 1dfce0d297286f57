"""The report-back approval page (staff), the public page ``/r/<campaign-slug>``, and
the campaign scorecard."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engage.extensions import db
from engage.permissions import Permission, public, requires
from engage.reportback import pages, services
from engage.reportback.forms import EntryForm, UpdateForm
from engage.reportback.page import approval_context, update_choices
from engage.web.guards import get_campaign_or_404
from engage.web.messages import report_back_error_message

bp = Blueprint("reportback", __name__)
MANAGE = Permission.MANAGE_CAMPAIGNS


def _approval(campaign, error=None, update_form=None) -> ResponseReturnValue:  # type: ignore[no-untyped-def]
    form = update_form or update_choices(UpdateForm(formdata=None), campaign, db.session)
    context = approval_context(db.session, campaign)
    return render_template(
        "reportback/approval.html", campaign=campaign, error=error, update_form=form,
        entry_form=EntryForm(formdata=None), **context,
    ), (400 if error or form.errors else 200)  # fmt: skip


@bp.get("/staff/campaigns/<int:campaign_id>/report-back")
@requires(MANAGE)
def approval(campaign_id: int) -> ResponseReturnValue:
    return _approval(get_campaign_or_404(campaign_id, for_user=current_user))


@bp.post("/staff/campaigns/<int:campaign_id>/report-back/entries")
@requires(MANAGE)
def approval_entry(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user)
    form = EntryForm()
    if not form.validate_on_submit() or form.action.data not in ("publish", "withdraw"):
        return _approval(campaign, report_back_error_message("unknown_kind"))
    change = services.publish if form.action.data == "publish" else services.withdraw
    try:
        change(db.session, campaign, form.kind.data, form.target_id(), by=current_user)
    except services.ReportBackError as error:
        return _approval(campaign, report_back_error_message(error.code))
    done = _("Published.") if form.action.data == "publish" else _("Withdrawn.")
    flash(done, "success")
    return redirect(url_for("reportback.approval", campaign_id=campaign.id), 303)


@bp.post("/staff/campaigns/<int:campaign_id>/report-back/updates")
@requires(MANAGE)
def approval_update(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user)
    form = update_choices(UpdateForm(), campaign, db.session)
    if not form.validate_on_submit():
        return _approval(campaign, update_form=form)
    try:
        services.add_update(
            db.session, campaign, language=form.language.data, body=form.body.data,
            happened_on=form.happened_on.data, translation_of=form.original_id(), by=current_user,
        )  # fmt: skip
    except services.ReportBackError as error:
        form.body.errors = [report_back_error_message(error.code)]
        return _approval(campaign, update_form=form)
    flash(_("The update is saved. Publish it to show it on the public page."), "success")
    return redirect(url_for("reportback.approval", campaign_id=campaign.id), 303)


@bp.get("/r/<campaign_slug>")
@public
def public_page(campaign_slug: str) -> ResponseReturnValue:
    campaign = services.get_campaign_by_slug(db.session, campaign_slug)
    if campaign is None:
        abort(404)
    threshold = campaign.threshold(current_app.config["SUPPRESSION_THRESHOLD"])
    lang = str(get_locale())
    page = pages.public_report_back(db.session, campaign, lang=lang, threshold=threshold)
    return render_template(
        "reportback/public.html", page=page, campaign=campaign,
        reaction_labels=pages.reaction_labels(lang),
    )  # fmt: skip
