"""Themes of a campaign's feedback: start an analysis run, watch it, read the themes, and
link a theme to one heard in another language; on the board, workgroups rename, describe,
merge, split, hide, review and comment on themes and move quotes between them (see
:mod:`engage.themes.board`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from engage.extensions import db
from engage.models import AnalysisRun, BoardTheme, RunStatus
from engage.permissions import Permission, requires
from engage.themes import board, detail_views, run_views
from engage.themes import links as theme_links
from engage.themes import services as analysis
from engage.themes.engine import engine_summary
from engage.themes.forms import (
    CommentForm,
    JobStatementForm,
    LinkThemeForm,
    MergeThemeForm,
    MoveQuoteForm,
    RenameThemeForm,
    ThemeStateForm,
)
from engage.web import messages
from engage.web.forms import ActionForm, Form
from engage.web.guards import get_board_theme_or_404, get_campaign_or_404

bp = Blueprint("themes", __name__)
_RUNS = "/campaigns/<int:campaign_id>/themes/runs"
_RULES = [
    ("/campaigns/<int:campaign_id>/themes/run", run_views.start_run, ["POST"]),
    (_RUNS, run_views.runs, ["GET"]),
    (f"{_RUNS}/<int:run_id>", run_views.run_detail, ["GET"]),
    ("/campaigns/<int:campaign_id>/board/<int:board_theme_id>", detail_views.theme_detail, ["GET"]),
]
for _rule, _view, _methods in _RULES:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)


def run_error_message(run: AnalysisRun) -> str:
    """The translated reason a run failed."""
    return messages.run_error_message(run.error, {"path": run.parameters.get("model") or ""})


@bp.get("/campaigns/<int:campaign_id>/themes")
@requires(Permission.REVIEW_FEEDBACK)
def themes(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(
        campaign_id, for_user=current_user, permission=Permission.REVIEW_FEEDBACK
    )
    # The board follows runs over all the feedback; filtered runs are in the history.
    every_run = analysis.list_runs(db.session, campaign)
    runs = [r for r in every_run if not r.is_filtered]
    latest = next((r for r in runs if r.status == RunStatus.DONE), None)
    in_progress = next((r for r in runs if r.is_active), None)
    failed = runs[0] if runs and runs[0].status == RunStatus.FAILED else None
    return render_template(
        "themes/themes.html",
        campaign=campaign,
        run=latest,
        in_progress=in_progress,
        failed_message=run_error_message(failed) if failed else None,
        # Members of the campaign's workgroups and staff; one run at a time.
        can_start=not any(r.is_active for r in every_run),
        exploring=next((r for r in every_run if r.is_active and r.is_filtered), None),
        action_form=ActionForm(),
        **(_run_view(latest) if latest is not None else {}),
    )


def _run_view(run: AnalysisRun) -> dict[str, Any]:
    """What the page shows of a finished run: the board, sub-themes, links, groups, engine."""
    locale = str(get_locale())
    top, children = analysis.theme_tree(run, locale)
    the_board = board.load_board(db.session, run.campaign_id, run, locale)
    cards = the_board.by_run_theme()
    top = [t for t in top if t.id in cards and not cards[t.id].theme.hidden] if cards else top
    links = theme_links.list_links(db.session, run.campaign_id)
    shown = [card.theme for card in the_board.cards]
    link_forms = {}
    for theme in shown:
        candidates = theme_links.link_candidates(theme, shown, links.get(theme.id, []))
        if candidates:
            link_forms[theme.id] = LinkThemeForm.for_theme(theme, candidates)
    return {
        "board": the_board,
        "board_targets": the_board.targets(),
        "board_edit_text": messages.board_edit_label,
        "top_themes": top,
        "children": children,
        "counts": analysis.count_items_by_theme(db.session, run),
        "links": links,
        "link_forms": link_forms,
        "groups": theme_links.group_linked_themes(the_board.cards, links),
        "engine": engine_summary(run.meta),
        "model_outdated": analysis.model_status(run) == "outdated",
    }


def _to_board(campaign_id: int, theme: BoardTheme) -> ResponseReturnValue:
    return redirect(url_for("themes.themes", campaign_id=campaign_id, _anchor=f"board-{theme.id}"))


@bp.post("/campaigns/<int:campaign_id>/board/<int:board_theme_id>/links")
@requires(Permission.REVIEW_FEEDBACK)
def link_theme(campaign_id: int, board_theme_id: int) -> ResponseReturnValue:
    theme = get_board_theme_or_404(campaign_id, board_theme_id, for_user=current_user)
    form = LinkThemeForm()
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        flash(messages.theme_link_error_message("unknown_theme"), "error")
        return _to_board(campaign_id, theme)
    other = _board_theme_of(campaign_id, form.linked_theme_id.data)
    try:
        theme_links.link_themes(db.session, theme=theme, other=other, created_by=current_user)
    except theme_links.ThemeLinkError as error:
        flash(messages.theme_link_error_message(error.code, {"language": theme.language}), "error")
    else:
        names = {"theme": theme.display_name, "other": other.display_name if other else ""}
        flash(_("“%(theme)s” is now linked to “%(other)s”.", **names), "success")
    return _to_board(campaign_id, theme)


@bp.post("/campaigns/<int:campaign_id>/board/<int:board_theme_id>/links/<int:board_link_id>/delete")
@requires(Permission.REVIEW_FEEDBACK)
def unlink_theme(campaign_id: int, board_theme_id: int, board_link_id: int) -> ResponseReturnValue:
    theme = get_board_theme_or_404(campaign_id, board_theme_id, for_user=current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    link = theme_links.get_link_of_theme(db.session, theme, board_link_id)
    if link is None:
        abort(404)
    theme_links.delete_link(db.session, link)
    flash(_("The link is removed."), "success")
    return _to_board(campaign_id, theme)


# -- the theme board ---------------------------------------------------------------------

Change = Callable[[BoardTheme, Any], str]


def _edit(campaign_id: int, board_theme_id: int, form: Form, change: Change) -> ResponseReturnValue:
    """Validate ``form``, make the ``change`` (it returns the success message), flash the
    outcome and go back to the theme on the board."""
    theme = get_board_theme_or_404(campaign_id, board_theme_id, for_user=current_user)
    if not form.validate_on_submit():
        if "csrf_token" in form.errors:
            abort(400)
        flash(next(iter(form.errors.values()))[0], "error")
    else:
        try:
            flash(change(theme, form), "success")
        except board.BoardError as error:
            flash(messages.board_error_message(error.code, error.params), "error")
    return _to_board(campaign_id, theme)


def _board_theme_of(campaign_id: int, board_theme_id: Any) -> BoardTheme | None:
    return board.get_board_theme(db.session, campaign_id, board_theme_id)


@bp.post("/campaigns/<int:campaign_id>/board/<int:board_theme_id>/name")
@requires(Permission.REVIEW_FEEDBACK)
def board_rename(campaign_id: int, board_theme_id: int) -> ResponseReturnValue:
    def change(theme: BoardTheme, form: RenameThemeForm) -> str:
        board.rename(db.session, theme, form.name.data, by=current_user)
        return _("The theme is now called “%(name)s”.", name=theme.display_name)

    return _edit(campaign_id, board_theme_id, RenameThemeForm(), change)


@bp.post("/campaigns/<int:campaign_id>/board/<int:board_theme_id>/job")
@requires(Permission.REVIEW_FEEDBACK)
def board_job_statement(campaign_id: int, board_theme_id: int) -> ResponseReturnValue:
    def change(theme: BoardTheme, form: JobStatementForm) -> str:
        board.write_job_statement(db.session, theme, form.statement.data or "", by=current_user)
        if theme.job_statement:
            return _("The workgroup's job statement is saved.")
        return _("The workgroup's job statement is removed.")

    return _edit(campaign_id, board_theme_id, JobStatementForm(), change)


@bp.post("/campaigns/<int:campaign_id>/board/<int:board_theme_id>/state")
@requires(Permission.REVIEW_FEEDBACK)
def board_state(campaign_id: int, board_theme_id: int) -> ResponseReturnValue:
    def change(theme: BoardTheme, form: ThemeStateForm) -> str:
        what = form.change.data
        if what in ("hide", "unhide"):
            board.set_hidden(db.session, theme, what == "hide", by=current_user)
            if what == "hide":
                return _("“%(name)s” is hidden as noise.", name=theme.display_name)
            return _("“%(name)s” is shown on the board again.", name=theme.display_name)
        board.set_reviewed(db.session, theme, what == "review", by=current_user)
        if what == "review":
            return _("“%(name)s” is marked as reviewed.", name=theme.display_name)
        return _("“%(name)s” is no longer marked as reviewed.", name=theme.display_name)

    return _edit(campaign_id, board_theme_id, ThemeStateForm(), change)


@bp.post("/campaigns/<int:campaign_id>/board/<int:board_theme_id>/merge")
@requires(Permission.REVIEW_FEEDBACK)
def board_merge(campaign_id: int, board_theme_id: int) -> ResponseReturnValue:
    def change(theme: BoardTheme, form: MergeThemeForm) -> str:
        into = _board_theme_of(campaign_id, form.into_id.data)
        board.merge(db.session, theme, into, by=current_user)
        return _(
            "“%(theme)s” is merged into “%(into)s”.",
            theme=theme.display_name,
            into=into.display_name if into else "",
        )

    return _edit(campaign_id, board_theme_id, MergeThemeForm(), change)


@bp.post("/campaigns/<int:campaign_id>/board/<int:board_theme_id>/split")
@requires(Permission.REVIEW_FEEDBACK)
def board_split(campaign_id: int, board_theme_id: int) -> ResponseReturnValue:
    def change(theme: BoardTheme, form: Form) -> str:
        created = board.split(db.session, theme, by=current_user)
        return ngettext(
            "“%(name)s” is split: %(num)d new theme.",
            "“%(name)s” is split: %(num)d new themes.",
            len(created),
            name=theme.display_name,
        )

    return _edit(campaign_id, board_theme_id, ActionForm(), change)


@bp.post("/campaigns/<int:campaign_id>/board/<int:board_theme_id>/move")
@requires(Permission.REVIEW_FEEDBACK)
def board_move_quote(campaign_id: int, board_theme_id: int) -> ResponseReturnValue:
    def change(theme: BoardTheme, form: MoveQuoteForm) -> str:
        to = _board_theme_of(campaign_id, form.to_id.data)
        board.move_item(db.session, theme, form.item_id.data, to, by=current_user)
        return _("The quote is moved to “%(name)s”.", name=to.display_name if to else "")

    return _edit(campaign_id, board_theme_id, MoveQuoteForm(), change)


@bp.post("/campaigns/<int:campaign_id>/board/<int:board_theme_id>/comments")
@requires(Permission.REVIEW_FEEDBACK)
def board_comment(campaign_id: int, board_theme_id: int) -> ResponseReturnValue:
    def change(theme: BoardTheme, form: CommentForm) -> str:
        board.comment(db.session, theme, form.body.data, by=current_user)
        return _("Your comment is added.")

    return _edit(campaign_id, board_theme_id, CommentForm(), change)


@bp.post("/campaigns/<int:campaign_id>/board/<int:board_theme_id>/unmerge")
@requires(Permission.REVIEW_FEEDBACK)
def board_unmerge(campaign_id: int, board_theme_id: int) -> ResponseReturnValue:
    def change(theme: BoardTheme, form: Form) -> str:
        into = board.unmerge(db.session, theme, by=current_user)
        return _(
            "“%(theme)s” is back on the board, taken out of “%(into)s”.",
            theme=theme.display_name,
            into=into.display_name,
        )

    return _edit(campaign_id, board_theme_id, ActionForm(), change)
