"""Time-boxed design sprints: the goal, committed opportunities each with an owner, the
to do / doing / done board, the review and the strengths-first retrospective."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.backlog.services import (
    BacklogError,
    change_status,
    get_opportunity,
    get_person,
    record_decision,
)
from engage.models import (
    Campaign,
    DecisionKind,
    OpportunityStatus,
    Sprint,
    SprintItem,
    SprintItemState,
    SprintStatus,
)

MAX_SPRINT_DAYS = 92
REVIEW_FIELDS = ("delivered", "evidence", "residents_said", "went_well", "try_next", "lessons")


def _check_dates(starts_on: date | None, ends_on: date | None) -> None:
    if starts_on is None or ends_on is None:
        raise BacklogError("sprint_dates_required")
    if ends_on < starts_on:
        raise BacklogError("sprint_ends_before_start")
    if (ends_on - starts_on).days > MAX_SPRINT_DAYS:
        raise BacklogError("sprint_too_long")


def create_sprint(
    session: Session,
    campaign: Campaign,
    *,
    name: str,
    goal: str,
    starts_on: date | None,
    ends_on: date | None,
    by: Any,
) -> Sprint:
    if not name.strip():
        raise BacklogError("title_required")
    _check_dates(starts_on, ends_on)
    sprint = Sprint(
        campaign_id=campaign.id,
        name=name.strip(),
        goal=goal.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    session.add(sprint)
    session.flush()
    record_decision(
        session, campaign, DecisionKind.SPRINT, subject=sprint.name, by=by, sprint=sprint,
        reason=sprint.goal, to_status=sprint.status,
    )  # fmt: skip
    return sprint


def list_sprints(session: Session, campaign: Campaign) -> list[Sprint]:
    return list(
        session.scalars(
            sa.select(Sprint)
            .where(Sprint.campaign_id == campaign.id)
            .order_by(Sprint.starts_on.desc(), Sprint.id.desc())
        )
    )


def get_running_sprint(session: Session, campaign: Campaign) -> Sprint | None:
    return session.scalar(
        sa.select(Sprint)
        .where(Sprint.campaign_id == campaign.id, Sprint.status == SprintStatus.RUNNING)
        .order_by(Sprint.starts_on.desc(), Sprint.id.desc())
        .limit(1)
    )


def board(sprint: Sprint) -> dict[SprintItemState, list[SprintItem]]:
    columns: dict[SprintItemState, list[SprintItem]] = {state: [] for state in SprintItemState}
    for item in sprint.items:
        columns[item.state].append(item)
    return columns


def add_item(
    session: Session, sprint: Sprint, *, opportunity_id: int | None, owner_id: int | None, by: Any
) -> SprintItem:
    """Commit an opportunity to the sprint, with its owner there (the status follows)."""
    if sprint.status == SprintStatus.FINISHED:
        raise BacklogError("sprint_finished")
    campaign = session.get(Campaign, sprint.campaign_id)
    found = get_opportunity(session, campaign, opportunity_id) if opportunity_id else None
    if found is None or not 0 < (opportunity_id or 0) < 2**31:
        raise BacklogError("unknown_opportunity")
    if any(item.opportunity_id == found.id for item in sprint.items):
        raise BacklogError("already_in_sprint")
    owner = get_person(session, campaign, owner_id)
    if owner is None:
        raise BacklogError("owner_required")
    item = SprintItem(sprint=sprint, opportunity=found, owner_id=owner.id)
    session.add(item)
    session.flush()
    if found.status != OpportunityStatus.IN_SPRINT:
        change_status(
            session, found, OpportunityStatus.IN_SPRINT, by=by, sprint=sprint,
            reason=sprint.name,
        )  # fmt: skip
    return item


def get_item(sprint: Sprint, item_id: int) -> SprintItem | None:
    return next((item for item in sprint.items if item.id == item_id), None)


def move_item(session: Session, sprint: Sprint, item: SprintItem, state: str, *, by: Any) -> None:
    """Move a card on the board; done there makes the opportunity done (and back)."""
    if sprint.status == SprintStatus.FINISHED:
        raise BacklogError("sprint_finished")
    if state not in set(SprintItemState):
        raise BacklogError("unknown_state")
    item.state = SprintItemState(state)
    found = item.opportunity
    if item.state == SprintItemState.DONE and found.status == OpportunityStatus.IN_SPRINT:
        change_status(
            session, found, OpportunityStatus.DONE, by=by, sprint=sprint, reason=sprint.name
        )
    elif item.state != SprintItemState.DONE and found.status == OpportunityStatus.DONE:
        change_status(
            session, found, OpportunityStatus.IN_SPRINT, by=by, sprint=sprint, reason=sprint.name
        )
    session.flush()


def change_sprint_state(
    session: Session, sprint: Sprint, action: str, *, by: Any, reason: str = ""
) -> None:
    """``start`` or ``finish`` the sprint, logged as a sprint decision."""
    previous = sprint.status
    if action == "start":
        sprint.start()
    elif action == "finish":
        sprint.finish()
    else:
        raise BacklogError("unknown_state")
    session.flush()
    record_decision(
        session, session.get(Campaign, sprint.campaign_id), DecisionKind.SPRINT,
        subject=sprint.name, by=by, sprint=sprint, from_status=previous,
        to_status=sprint.status, reason=reason,
    )  # fmt: skip


def save_review(session: Session, sprint: Sprint, fields: dict[str, str], *, by: Any) -> None:
    """The review and retrospective (a planned sprint has nothing to review yet)."""
    if sprint.status == SprintStatus.PLANNED:
        raise BacklogError("sprint_not_started")
    for name in REVIEW_FIELDS:
        setattr(sprint, name, (fields.get(name) or "").strip())
    session.flush()


def record_sprint_decision(session: Session, sprint: Sprint, text: str, *, by: Any) -> None:
    if not text.strip():
        raise BacklogError("reason_required")
    record_decision(
        session, session.get(Campaign, sprint.campaign_id), DecisionKind.SPRINT,
        subject=sprint.name, by=by, sprint=sprint, reason=text,
    )  # fmt: skip


def sprint_of_campaign(session: Session, campaign: Campaign, sprint_id: int) -> Sprint | None:
    found = session.get(Sprint, sprint_id)
    return found if found is not None and found.campaign_id == campaign.id else None
