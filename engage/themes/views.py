"""Themes of a campaign's feedback: start an analysis run, watch it, read the themes, and
link a theme to one heard in another language."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from engage.extensions import db
from engage.jobs import enqueue
from engage.models import AnalysisRun, RunStatus, Theme
from engage.permissions import Permission, requires, user_can
from engage.templating import language_name
from engage.themes import links as theme_links
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings, engine_summary
from engage.themes.forms import LinkThemeForm
from engage.web.forms import ActionForm
from engage.web.guards import get_campaign_or_404, get_theme_or_404

bp = Blueprint("themes", __name__)

RUN_ERRORS = {
    "already_running": lambda **_details: _("An analysis is already running for this campaign."),
    "no_feedback": lambda **_details: _("There is no open-ended feedback to analyse yet."),
    "model_missing": lambda path="", **_details: _(
        "The analysis could not run: the model directory %(path)s does not exist on the "
        "server. An administrator needs to correct ENGAGE_ANALYSIS_MODEL.",
        path=path,
    ),
    "model_invalid": lambda path="", **_details: _(
        "The analysis could not run: %(path)s is not a sentence-transformers model "
        "directory, or the model in it cannot be loaded. An administrator needs to correct "
        "ENGAGE_ANALYSIS_MODEL.",
        path=path,
    ),
    "semantic_unavailable": lambda **_details: _(
        "The analysis could not run: it is set to use sentence embeddings, but the optional "
        "semantic backend is not installed on the server. An administrator needs to install "
        "it (pip install 'engage[semantic]') or set ENGAGE_ANALYSIS_BACKEND to auto."
    ),
    "unexpected": lambda **_details: _(
        "The analysis failed. Please try again; if it fails again, tell an administrator."
    ),
}


def run_error_message(run: AnalysisRun) -> str:
    """The translated reason a run failed."""
    message = RUN_ERRORS.get(run.error or "", RUN_ERRORS["unexpected"])
    return message(path=run.parameters.get("model") or "")


@bp.get("/campaigns/<int:campaign_id>/themes")
@requires(Permission.REVIEW_FEEDBACK)
def themes(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(
        campaign_id, for_user=current_user, permission=Permission.REVIEW_FEEDBACK
    )
    runs = analysis.list_runs(db.session, campaign)
    latest = next((r for r in runs if r.status == RunStatus.DONE), None)
    if latest is not None and analysis.place_new_feedback(db.session, latest):
        db.session.commit()
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
    top, children = analysis.theme_tree(run)
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
    }


@bp.post("/campaigns/<int:campaign_id>/themes/run")
@requires(Permission.MANAGE_CAMPAIGNS)
def start_run(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        run = analysis.create_run(
            db.session,
            campaign=campaign,
            created_by=current_user,
            engine=EngineSettings(
                current_app.config["ANALYSIS_BACKEND"], current_app.config["ANALYSIS_MODEL"]
            ),
        )
    except analysis.AnalysisError as error:
        db.session.rollback()
        flash(RUN_ERRORS[error.code](), "error")
    else:
        db.session.commit()
        enqueue(analysis.ANALYSIS_JOB, run.id)
        flash(_("The analysis has started."), "success")
    return redirect(url_for("themes.themes", campaign_id=campaign.id))


LINK_ERRORS = {
    "unknown_theme": lambda theme: _("Choose a theme to link to."),
    "same_theme": lambda theme: _("A theme cannot be linked to itself."),
    "other_run": lambda theme: _(
        "That theme belongs to another analysis. Link themes found by the same analysis."
    ),
    "same_language": lambda theme: _(
        "Both themes are in %(language)s. Only themes in different languages can be linked.",
        language=language_name(theme.language),
    ),
    "duplicate": lambda theme: _("These themes are already linked."),
}


def _back_to(theme: Theme, campaign_id: int) -> ResponseReturnValue:
    return redirect(url_for("themes.themes", campaign_id=campaign_id, _anchor=f"theme-{theme.id}"))


@bp.post("/campaigns/<int:campaign_id>/themes/<int:theme_id>/links")
@requires(Permission.REVIEW_FEEDBACK)
def link_theme(campaign_id: int, theme_id: int) -> ResponseReturnValue:
    theme = get_theme_or_404(campaign_id, theme_id, for_user=current_user)
    form = LinkThemeForm()
    if not form.validate_on_submit():
        flash(LINK_ERRORS["unknown_theme"](theme), "error")
        return _back_to(theme, campaign_id)
    other = db.session.get(Theme, form.linked_theme_id.data)
    try:
        theme_links.link_themes(db.session, theme=theme, other=other, created_by=current_user)
        db.session.commit()
    except theme_links.ThemeLinkError as error:
        db.session.rollback()
        flash(LINK_ERRORS[error.code](theme), "error")
    except IntegrityError:  # the same pair linked at the same moment by someone else
        db.session.rollback()
        flash(LINK_ERRORS["duplicate"](theme), "error")
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
    db.session.commit()
    flash(_("The link is removed."), "success")
    return _back_to(theme, campaign_id)
