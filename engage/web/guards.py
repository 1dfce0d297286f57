"""Load what a URL names, for a user who may act on it, or stop the request.

Every view that takes an id from its address loads the object through one of these:
a missing object is 404, and a user without the permission the object needs is 403,
whatever decorator the view carries. Campaign-level access (workgroups, teams) is
decided here too, so that it changes in one place.
"""

from __future__ import annotations

from typing import Any

from flask import abort

from engage.extensions import db
from engage.models import (
    AnalysisRun,
    Campaign,
    ListeningSession,
    Response,
    Survey,
    Theme,
    User,
)
from engage.permissions import Permission, user_can
from engage.web.routing import MAX_ID


def _get_or_404(model: type, object_id: int) -> Any:
    if not 0 < object_id <= MAX_ID:
        abort(404)
    return db.get_or_404(model, object_id)


def _require(user: Any, permission: Permission) -> None:
    if not user_can(user, permission):
        abort(403)


def get_user_or_404(
    user_id: int, *, for_user: Any, permission: Permission = Permission.MANAGE_USERS
) -> User:
    _require(for_user, permission)
    return _get_or_404(User, user_id)


def get_campaign_or_404(
    campaign_id: int, *, for_user: Any, permission: Permission = Permission.MANAGE_CAMPAIGNS
) -> Campaign:
    _require(for_user, permission)
    return _get_or_404(Campaign, campaign_id)


def get_survey_or_404(
    survey_id: int, *, for_user: Any, permission: Permission = Permission.MANAGE_CAMPAIGNS
) -> Survey:
    _require(for_user, permission)
    return _get_or_404(Survey, survey_id)


def get_theme_or_404(
    campaign_id: int,
    theme_id: int,
    *,
    for_user: Any,
    permission: Permission = Permission.REVIEW_FEEDBACK,
) -> Theme:
    """A theme of one of ``campaign_id``'s runs (a theme of another campaign is 404)."""
    _require(for_user, permission)
    theme = _get_or_404(Theme, theme_id)
    if db.session.get(AnalysisRun, theme.run_id).campaign_id != campaign_id:
        abort(404)
    return theme


def get_response_or_404(
    response_id: int, *, for_user: Any, permission: Permission = Permission.MANAGE_CAMPAIGNS
) -> Response:
    _require(for_user, permission)
    return _get_or_404(Response, response_id)


def get_listening_session_or_404(
    session_id: int, *, for_user: Any, permission: Permission = Permission.ENTER_RESPONSES
) -> ListeningSession:
    _require(for_user, permission)
    return _get_or_404(ListeningSession, session_id)
