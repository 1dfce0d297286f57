"""Themes of a campaign's feedback: start an analysis run, watch it, read the themes, and
link a theme to one heard in another language."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engage.extensions import db
from engage.models import AnalysisRun, RunStatus, Theme
from engage.permissions import Permission, requires, user_can
from engage.themes import links as theme_links
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings, engine_summary
from engage.themes.forms import LinkThemeForm
from engage.web import messages
from engage.web.forms import ActionForm
from engage.web.guards import get_campaign_or_404, get_theme_or_404

bp = Blueprint("themes", __name__)


def run_error_message(run: AnalysisRun) -> str:
    """The translated reason a run failed."""
    return messages.run_error_message(run.error, {"path": run.parameters.get("model") or ""})


@bp.get("/campaigns/<int:campaign_id>/themes")
@requires(Permission.REVIEW_FEEDBACK)
def themes(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(
        campaign_id, for_user=current_user, permission=Permission.REVIEW_FEEDBACK
    )
    runs = analysis.list_runs(db.session, campaign)
    latest = next((r for r in runs if r.status == RunStatus.DONE), None)
    in_progress = next((r for r in runs if r.is_active), None)
    failed = runs[0] if runs and runs[0].status == RunStatus.FAILED else None
    return render_template(
        "themes/themes.html",
        campaign=campaign,
        run=latest,
        in_progress=in_progress,
        failed_message=run_error_message(failed) if failed else None,
        can_start=user_can(current_user, Permission.MANAGE_CAMPAIGNS),
        action_form=ActionForm(),
        **(_run_view(latest) if latest is not None else {}),
    )


def _run_view(run: AnalysisRun) -> dict[str, Any]:
    """What the page shows of a finished run: themes, sub-themes, links, groups, engine."""
    top, children = analysis.theme_tree(run, str(get_locale()))
    links = theme_links.list_links(db.session, run)
    link_forms = {}
    for theme in top:
        candidates = theme_links.link_candidates(theme, top, links.get(theme.id, []))
        if candidates:
            link_forms[theme.id] = LinkThemeForm.for_theme(theme, candidates)
    return {
        "top_themes": top,
        "children": children,
        "counts": analysis.count_items_by_theme(db.session, run),
        "links": links,
        "link_forms": link_forms,
        "groups": theme_links.group_linked_themes(top, links),
        "engine": engine_summary(run.meta),
        "model_outdated": analysis.model_status(run) == "outdated",
    }


@bp.post("/campaigns/<int:campaign_id>/themes/run")
@requires(Permission.MANAGE_CAMPAIGNS)
def start_run(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        analysis.start_run(
            db.session,
            campaign=campaign,
            created_by=current_user,
            engine=EngineSettings(
                current_app.config["ANALYSIS_BACKEND"], current_app.config["ANALYSIS_MODEL"]
            ),
        )
    except analysis.AnalysisError as error:
        flash(messages.run_error_message(error.code), "error")
    else:
        flash(_("The analysis has started."), "success")
    return redirect(url_for("themes.themes", campaign_id=campaign.id))


def _back_to(theme: Theme, campaign_id: int) -> ResponseReturnValue:
    return redirect(url_for("themes.themes", campaign_id=campaign_id, _anchor=f"theme-{theme.id}"))


@bp.post("/campaigns/<int:campaign_id>/themes/<int:theme_id>/links")
@requires(Permission.REVIEW_FEEDBACK)
def link_theme(campaign_id: int, theme_id: int) -> ResponseReturnValue:
    theme = get_theme_or_404(campaign_id, theme_id, for_user=current_user)
    form = LinkThemeForm()
    if not form.validate_on_submit():
        flash(messages.theme_link_error_message("unknown_theme"), "error")
        return _back_to(theme, campaign_id)
    other = db.session.get(Theme, form.linked_theme_id.data)
    try:
        theme_links.link_themes(db.session, theme=theme, other=other, created_by=current_user)
    except theme_links.ThemeLinkError as error:
        flash(messages.theme_link_error_message(error.code, {"language": theme.language}), "error")
    else:
        flash(
            _(
                "“%(theme)s” is now linked to “%(other)s”.",
                theme=theme.label,
                other=other.label if other else "",
            ),
            "success",
        )
    return _back_to(theme, campaign_id)


@bp.post("/campaigns/<int:campaign_id>/themes/<int:theme_id>/links/<int:link_id>/delete")
@requires(Permission.REVIEW_FEEDBACK)
def unlink_theme(campaign_id: int, theme_id: int, link_id: int) -> ResponseReturnValue:
    theme = get_theme_or_404(campaign_id, theme_id, for_user=current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    link = theme_links.get_link_of_theme(db.session, theme, link_id)
    if link is None:
        abort(404)
    theme_links.delete_link(db.session, link)
    flash(_("The link is removed."), "success")
    return _back_to(theme, campaign_id)
