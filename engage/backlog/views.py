"""The backlog's blueprint: every address of the backlog, voting, sprints and meeting
view, and the view that serves it (the views live beside this module by what they show)."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from engage.backlog import meeting_views, opportunity_views, sprint_views, voting_views
from engage.backlog.services import is_campaign_member
from engage.extensions import db

bp = Blueprint("backlog", __name__)

_CAMPAIGN = "/campaigns/<int:campaign_id>"
_OPPORTUNITY = "/opportunities/<int:opportunity_id>"
_SPRINT = "/sprints/<int:sprint_id>"
_RULES = [
    (f"{_CAMPAIGN}/backlog", opportunity_views.backlog, ["GET"]),
    (f"{_CAMPAIGN}/backlog/new", opportunity_views.opportunity_new, ["GET", "POST"]),
    (f"{_CAMPAIGN}/backlog/impact-effort", opportunity_views.impact_effort, ["GET"]),
    (f"{_CAMPAIGN}/backlog/export.<fmt>", opportunity_views.backlog_export, ["GET"]),
    (f"{_CAMPAIGN}/decisions", opportunity_views.decision_log, ["GET"]),
    (f"{_CAMPAIGN}/decisions/export.<fmt>", opportunity_views.decisions_export, ["GET"]),
    (_OPPORTUNITY, opportunity_views.opportunity_detail, ["GET"]),
    (f"{_OPPORTUNITY}/edit", opportunity_views.opportunity_edit, ["GET", "POST"]),
    (f"{_OPPORTUNITY}/status", opportunity_views.opportunity_status, ["POST"]),
    (f"{_CAMPAIGN}/voting", voting_views.rounds, ["GET", "POST"]),
    ("/voting/<int:vote_round_id>", voting_views.round_vote, ["GET", "POST"]),
    ("/voting/<int:vote_round_id>/close", voting_views.round_close, ["POST"]),
    (f"{_CAMPAIGN}/sprints", sprint_views.sprint_list, ["GET", "POST"]),
    (_SPRINT, sprint_views.sprint_board, ["GET"]),
    (f"{_SPRINT}/items", sprint_views.sprint_item_add, ["POST"]),
    (f"{_SPRINT}/items/<int:sprint_item_id>/move", sprint_views.sprint_item_move, ["POST"]),
    (f"{_SPRINT}/state", sprint_views.sprint_state, ["POST"]),
    (f"{_SPRINT}/decisions", sprint_views.sprint_decision, ["POST"]),
    (f"{_SPRINT}/review", sprint_views.sprint_review, ["GET", "POST"]),
    (f"{_SPRINT}/export.<fmt>", sprint_views.sprint_export, ["GET"]),
    (f"{_CAMPAIGN}/meeting", meeting_views.meeting, ["GET"]),
]

for _path, _view, _methods in _RULES:
    bp.add_url_rule(_path, view_func=_view, methods=_methods)


@bp.context_processor
def _backlog_context() -> dict[str, object]:
    """``can_edit_backlog(campaign)`` for the templates: only workgroup members see forms."""
    return {
        "can_edit_backlog": lambda campaign: is_campaign_member(db.session, current_user, campaign)
    }
