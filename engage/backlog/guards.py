"""Load a backlog object named in an address, for a user who may see its campaign.

An object of a campaign the user may not see is 404, like every other campaign address
(``engage.web.guards``); a role without ``review_feedback`` is 403. With ``edit=True``
the user must also belong to one of the campaign's workgroups (403 otherwise): members
of the workgroup edit, staff see everything.
"""

from __future__ import annotations

from typing import Any

from flask import abort

from engage.backlog.services import is_campaign_member
from engage.extensions import db
from engage.models import Campaign, Opportunity, Sprint, VoteRound
from engage.permissions import Permission, user_can
from engage.web.guards import get_campaign_or_404
from engage.web.routing import MAX_ID

REVIEW = Permission.REVIEW_FEEDBACK


def get_backlog_campaign_or_404(campaign_id: int, *, for_user: Any, edit: bool = False) -> Campaign:
    campaign = get_campaign_or_404(campaign_id, for_user=for_user, permission=REVIEW)
    if edit and not is_campaign_member(db.session, for_user, campaign):
        abort(403)
    return campaign


def _owned(model: type, object_id: int, for_user: Any, edit: bool) -> Any:
    if not user_can(for_user, REVIEW):
        abort(403)
    if not 0 < object_id <= MAX_ID:
        abort(404)
    found = db.get_or_404(model, object_id)
    get_backlog_campaign_or_404(found.campaign_id, for_user=for_user, edit=edit)
    return found


def get_opportunity_or_404(
    opportunity_id: int, *, for_user: Any, edit: bool = False
) -> Opportunity:
    return _owned(Opportunity, opportunity_id, for_user, edit)


def get_sprint_or_404(sprint_id: int, *, for_user: Any, edit: bool = False) -> Sprint:
    return _owned(Sprint, sprint_id, for_user, edit)


def get_round_or_404(round_id: int, *, for_user: Any, edit: bool = False) -> VoteRound:
    return _owned(VoteRound, round_id, for_user, edit)
