"""The survey builder's blueprint: every URL of the builder and the view that serves it.

The views live beside this module by what they edit (``survey_views``, ``page_views``,
``question_views``, ``preview_views``); this table is the one place that maps addresses
to them, so no view module needs another.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from engage.builder import page_views, preview_views, question_views, survey_views, wave_views
from engage.errors import render_error
from engage.models import IllegalTransition
from engage.web.messages import transition_error_message
from surveys.editing import EditError

bp = Blueprint("builder", __name__)

_SURVEY = "/surveys/<int:survey_id>"
_RULES = [
    ("/campaigns/<int:campaign_id>/surveys/new", survey_views.survey_new, ["GET", "POST"]),
    ("/campaigns/<int:campaign_id>/surveys/import", survey_views.survey_import_confirm, ["POST"]),
    (_SURVEY, survey_views.survey_builder, ["GET"]),
    (f"{_SURVEY}/settings", survey_views.survey_settings, ["GET", "POST"]),
    (f"{_SURVEY}/publish", survey_views.survey_publish, ["GET", "POST"]),
    (f"{_SURVEY}/close", survey_views.survey_close, ["GET", "POST"]),
    (f"{_SURVEY}/reopen", survey_views.survey_reopen, ["POST"]),
    (f"{_SURVEY}/waves/new", wave_views.survey_wave_new, ["GET", "POST"]),
    (f"{_SURVEY}/delete", survey_views.survey_delete, ["GET", "POST"]),
    (f"{_SURVEY}/export.<fmt>", survey_views.survey_export, ["GET"]),
    (f"{_SURVEY}/preview", preview_views.survey_preview, ["GET", "POST"]),
    (f"{_SURVEY}/pages", page_views.page_add, ["POST"]),
    (f"{_SURVEY}/pages/<key>", page_views.page_edit, ["GET", "POST"]),
    (f"{_SURVEY}/pages/<key>/move", page_views.page_move, ["POST"]),
    (f"{_SURVEY}/pages/<key>/delete", page_views.page_delete, ["GET", "POST"]),
    (f"{_SURVEY}/pages/<key>/questions/new", question_views.question_new, ["GET"]),
    (f"{_SURVEY}/pages/<key>/questions", question_views.question_create, ["POST"]),
    (f"{_SURVEY}/pages/<key>/presets", question_views.question_preset, ["POST"]),
    (f"{_SURVEY}/questions/<code>", question_views.question_edit, ["GET", "POST"]),
    (f"{_SURVEY}/questions/<code>/move", question_views.question_move, ["POST"]),
    (f"{_SURVEY}/questions/<code>/delete", question_views.question_delete, ["GET", "POST"]),
]
for _rule, _view, _methods in _RULES:
    bp.add_url_rule(_rule, view_func=_view, methods=_methods)


@bp.errorhandler(EditError)
def edit_target_missing(error: EditError) -> ResponseReturnValue:
    """The page or question named in the address is not in the draft (or cannot move)."""
    return render_error(404)


@bp.errorhandler(IllegalTransition)
def transition_refused(error: IllegalTransition) -> ResponseReturnValue:
    """The survey's state does not allow the action (e.g. closing a draft): nothing has
    changed; say why on the builder page, as for any other refused action."""
    flash(transition_error_message(error.code), "error")
    survey_id = (request.view_args or {}).get("survey_id")
    if survey_id is None:
        return redirect(url_for("campaigns.home"))
    return redirect(url_for("builder.survey_builder", survey_id=survey_id))
