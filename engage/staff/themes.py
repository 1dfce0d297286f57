"""Themes of a campaign's feedback: start an analysis run, watch it, read the themes."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.admin.forms import ActionForm
from engage.extensions import db
from engage.jobs import enqueue
from engage.models import Campaign
from engage.permissions import Permission, requires, user_can
from engage.services import analysis
from engage.staff.views import bp

RUN_ERRORS = {
    "already_running": lambda: _("An analysis is already running for this campaign."),
    "no_feedback": lambda: _("There is no open-ended feedback to analyse yet."),
    "unexpected": lambda: _(
        "The analysis failed. Please try again; if it fails again, tell an administrator."
    ),
}


def get_campaign_or_404(campaign_id: int) -> Campaign:
    campaign = db.session.get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


@bp.get("/campaigns/<int:campaign_id>/themes")
@requires(Permission.REVIEW_FEEDBACK)
def themes(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id)
    runs = analysis.list_runs(db.session, campaign)
    latest = next((r for r in runs if r.status == "done"), None)
    if latest is not None and analysis.place_new_feedback(db.session, latest):
        db.session.commit()
    in_progress = next((r for r in runs if r.status in ("queued", "running")), None)
    failed = runs[0] if runs and runs[0].status == "failed" else None
    top, children = [], {}
    counts = {}
    if latest is not None:
        counts = analysis.count_items_by_theme(db.session, latest)
        for theme in latest.themes:
            if theme.parent_key is None:
                top.append(theme)
            else:
                children.setdefault(theme.parent_key, []).append(theme)
        top.sort(key=lambda t: (t.language, -t.size))
    return render_template(
        "staff/themes.html",
        campaign=campaign,
        run=latest,
        in_progress=in_progress,
        failed_message=RUN_ERRORS.get(failed.error or "", RUN_ERRORS["unexpected"])()
        if failed
        else None,
        top_themes=top,
        children=children,
        counts=counts,
        can_start=user_can(current_user, Permission.MANAGE_CAMPAIGNS),
        action_form=ActionForm(),
    )


@bp.post("/campaigns/<int:campaign_id>/themes/run")
@requires(Permission.MANAGE_CAMPAIGNS)
def start_run(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        run = analysis.create_run(db.session, campaign=campaign, created_by=current_user)
    except analysis.AnalysisError as error:
        db.session.rollback()
        flash(RUN_ERRORS[error.code](), "error")
    else:
        db.session.commit()
        enqueue(analysis.ANALYSIS_JOB, run.id)
        flash(_("The analysis has started."), "success")
    return redirect(url_for("staff.themes", campaign_id=campaign.id))
