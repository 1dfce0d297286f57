"""Load what a URL names, for a user who may act on it, or stop the request.

Every view that takes an id from its address loads the object through one of these:
a missing object is 404, and a user without the permission the object needs is 403,
whatever decorator the view carries. Campaign-level access is decided here too: an
object of a campaign the user may not see (one not assigned to any of a workgroup
member's workgroups; the rule is ``engage.campaigns.services.can_see_campaign``) is 404,
as if it did not exist, so its title and themes are not even confirmed.
"""

from __future__ import annotations

from typing import Any

from flask import abort

from engage.campaigns.services import can_see_campaign
from engage.extensions import db
from engage.models import (
    BoardTheme,
    Campaign,
    CodesignRound,
    ListeningSession,
    Prototype,
    Response,
    Survey,
    User,
    Workgroup,
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


def _require_campaign(user: Any, campaign_id: int) -> None:
    if not can_see_campaign(db.session, user, campaign_id):
        abort(404)


def get_campaign_or_404(
    campaign_id: int, *, for_user: Any, permission: Permission = Permission.MANAGE_CAMPAIGNS
) -> Campaign:
    """A campaign ``for_user`` may see (404 for one outside their workgroups)."""
    _require(for_user, permission)
    campaign = _get_or_404(Campaign, campaign_id)
    _require_campaign(for_user, campaign.id)
    return campaign


def get_survey_or_404(
    survey_id: int, *, for_user: Any, permission: Permission = Permission.MANAGE_CAMPAIGNS
) -> Survey:
    """A survey of a campaign ``for_user`` may see."""
    _require(for_user, permission)
    survey = _get_or_404(Survey, survey_id)
    _require_campaign(for_user, survey.campaign_id)
    return survey


def get_board_theme_or_404(
    campaign_id: int,
    board_theme_id: int,
    *,
    for_user: Any,
    permission: Permission = Permission.REVIEW_FEEDBACK,
) -> BoardTheme:
    """A theme on the board of ``campaign_id`` (one of another campaign is 404), in a
    campaign ``for_user`` may see."""
    _require(for_user, permission)
    theme = _get_or_404(BoardTheme, board_theme_id)
    if theme.campaign_id != campaign_id:
        abort(404)
    _require_campaign(for_user, campaign_id)
    return theme


def get_response_or_404(
    response_id: int, *, for_user: Any, permission: Permission = Permission.MANAGE_CAMPAIGNS
) -> Response:
    """A response to a survey of a campaign ``for_user`` may see."""
    _require(for_user, permission)
    response = _get_or_404(Response, response_id)
    _require_campaign(for_user, response.version.survey.campaign_id)
    return response


def get_listening_session_or_404(
    session_id: int, *, for_user: Any, permission: Permission = Permission.ENTER_RESPONSES
) -> ListeningSession:
    """A listening session of a campaign ``for_user`` may see."""
    _require(for_user, permission)
    found = _get_or_404(ListeningSession, session_id)
    _require_campaign(for_user, found.campaign_id)
    return found


def get_workgroup_or_404(
    workgroup_id: int, *, for_user: Any, permission: Permission = Permission.MANAGE_USERS
) -> Workgroup:
    _require(for_user, permission)
    return _get_or_404(Workgroup, workgroup_id)


def get_round_or_404(
    round_id: int, *, for_user: Any, permission: Permission = Permission.MANAGE_CAMPAIGNS
) -> CodesignRound:
    """A co-design round of a campaign ``for_user`` may see."""
    _require(for_user, permission)
    found = _get_or_404(CodesignRound, round_id)
    _require_campaign(for_user, found.campaign_id)
    return found


def get_prototype_or_404(
    round_id: int, prototype_id: int, *, for_user: Any
) -> tuple[CodesignRound, Prototype]:
    """A prototype of the round ``round_id`` (one of another round is 404)."""
    found = get_round_or_404(round_id, for_user=for_user)
    prototype = _get_or_404(Prototype, prototype_id)
    if prototype.round_id != found.id:
        abort(404)
    return found, prototype
