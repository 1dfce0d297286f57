"""Workgroups: create and rename them, add and remove members, assign campaigns.

A workgroup's members see the campaigns assigned to it (see
``engage.campaigns.services``). Services add and flush, never commit; every change is
recorded in the audit log with the workgroup as its subject. A change that cannot be
made raises :class:`WorkgroupError` with a code the web layer turns into a message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engage.audit.services import record
from engage.models import AuditAction, Campaign, User, Workgroup
from engage.models.campaign import campaign_workgroups, workgroup_members

WORKGROUP_ERRORS = (
    "name_taken",
    "unknown_user",
    "already_member",
    "not_member",
    "unknown_campaign",
    "already_assigned",
    "not_assigned",
)


class WorkgroupError(Exception):
    """A workgroup change that cannot be made; ``code`` is one of ``WORKGROUP_ERRORS``,
    ``params`` name what it is about (``name`` of a person, ``title`` of a campaign)."""

    def __init__(self, code: str, **params: str) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


@dataclass(frozen=True)
class WorkgroupSummary:
    workgroup: Workgroup
    member_count: int
    campaign_count: int


def list_workgroups() -> sa.Select[tuple[Workgroup]]:
    """Every workgroup by name, as a query to paginate (see :func:`summarise`)."""
    return sa.select(Workgroup).order_by(sa.func.lower(Workgroup.name), Workgroup.id)


def summarise(session: Session, workgroups: Sequence[Workgroup]) -> list[WorkgroupSummary]:
    """``workgroups`` (a page of them) with how many members and campaigns each has."""
    ids = [w.id for w in workgroups]

    def counts(table: sa.Table) -> dict[int, int]:
        rows = session.execute(
            sa.select(table.c.workgroup_id, sa.func.count())
            .where(table.c.workgroup_id.in_(ids))
            .group_by(table.c.workgroup_id)
        )
        return {workgroup_id: int(n) for workgroup_id, n in rows}

    members, campaigns = counts(workgroup_members), counts(campaign_workgroups)
    return [WorkgroupSummary(w, members.get(w.id, 0), campaigns.get(w.id, 0)) for w in workgroups]


def list_members(workgroup: Workgroup) -> list[User]:
    return sorted(workgroup.members, key=lambda u: (u.name.casefold(), u.email))


def list_campaigns(workgroup: Workgroup) -> list[Campaign]:
    return sorted(workgroup.campaigns, key=lambda c: (c.title.casefold(), c.id))


def list_member_candidates(session: Session, workgroup: Workgroup) -> list[User]:
    """Active accounts that are not yet members, by name: whom the page offers to add."""
    taken = sa.select(workgroup_members.c.user_id).where(
        workgroup_members.c.workgroup_id == workgroup.id
    )
    return list(
        session.scalars(
            sa.select(User)
            .where(User.is_active_account, User.id.not_in(taken))
            .order_by(sa.func.lower(User.name), User.email)
        )
    )


def list_campaign_candidates(session: Session, workgroup: Workgroup) -> list[Campaign]:
    """Campaigns not yet assigned to the workgroup, by title."""
    taken = sa.select(campaign_workgroups.c.campaign_id).where(
        campaign_workgroups.c.workgroup_id == workgroup.id
    )
    return list(
        session.scalars(
            sa.select(Campaign)
            .where(Campaign.id.not_in(taken))
            .order_by(sa.func.lower(Campaign.title), Campaign.id)
        )
    )


def _check_name_free(session: Session, name: str, workgroup: Workgroup | None) -> None:
    """Names are unique whatever their case: "Transport" and "transport" would confuse."""
    clash = sa.select(Workgroup.id).where(sa.func.lower(Workgroup.name) == name.lower())
    if workgroup is not None:
        clash = clash.where(Workgroup.id != workgroup.id)
    if session.scalar(clash) is not None:
        raise WorkgroupError("name_taken")


def _flush_unique(session: Session) -> None:
    """Flush; the same name saved at the same moment by someone else is ``name_taken``."""
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise WorkgroupError("name_taken") from None


def create_workgroup(session: Session, *, name: str, description: str, actor: Any) -> Workgroup:
    """A new workgroup, without members or campaigns yet.

    Raises:
        WorkgroupError: ``name_taken``.
    """
    name = name.strip()
    _check_name_free(session, name, None)
    workgroup = Workgroup(name=name, description=description.strip())
    session.add(workgroup)
    _flush_unique(session)
    record(session, AuditAction.WORKGROUP_CREATED, actor=actor, subject=workgroup)
    return workgroup


def update_workgroup(
    session: Session, workgroup: Workgroup, *, name: str, description: str, actor: Any
) -> bool:
    """Rename the workgroup or change its description; ``False`` when nothing changed.

    Raises:
        WorkgroupError: ``name_taken``.
    """
    name, description = name.strip(), description.strip()
    if (name, description) == (workgroup.name, workgroup.description):
        return False
    _check_name_free(session, name, workgroup)
    detail: dict[str, Any] = {}
    if name != workgroup.name:
        detail = {"old_name": workgroup.name, "new_name": name}
    if description != workgroup.description:
        detail["description_changed"] = True
    workgroup.name, workgroup.description = name, description
    _flush_unique(session)
    record(session, AuditAction.WORKGROUP_CHANGED, actor=actor, subject=workgroup, detail=detail)
    return True


def add_member(session: Session, workgroup: Workgroup, *, user_id: int | None, actor: Any) -> User:
    """Add the active account ``user_id`` to the workgroup.

    Raises:
        WorkgroupError: ``unknown_user`` (no such active account) or ``already_member``.
    """
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.is_active_account:
        raise WorkgroupError("unknown_user")
    if user in workgroup.members:
        raise WorkgroupError("already_member", name=user.name)
    workgroup.members.append(user)
    session.flush()
    record(
        session,
        AuditAction.MEMBER_ADDED,
        actor=actor,
        subject=workgroup,
        detail={"user_id": user.id, "user_email": user.email},
    )
    return user


def remove_member(session: Session, workgroup: Workgroup, *, user: User, actor: Any) -> None:
    """Take ``user`` out of the workgroup: its campaigns close to them at once.

    Raises:
        WorkgroupError: ``not_member``.
    """
    if user not in workgroup.members:
        raise WorkgroupError("not_member", name=user.name)
    workgroup.members.remove(user)
    session.flush()
    record(
        session,
        AuditAction.MEMBER_REMOVED,
        actor=actor,
        subject=workgroup,
        detail={"user_id": user.id, "user_email": user.email},
    )


def assign_campaign(
    session: Session, workgroup: Workgroup, *, campaign_id: int | None, actor: Any
) -> Campaign:
    """Give the workgroup's members the campaign ``campaign_id``.

    Raises:
        WorkgroupError: ``unknown_campaign`` or ``already_assigned``.
    """
    campaign = session.get(Campaign, campaign_id) if campaign_id is not None else None
    if campaign is None:
        raise WorkgroupError("unknown_campaign")
    if campaign in workgroup.campaigns:
        raise WorkgroupError("already_assigned", title=campaign.title)
    workgroup.campaigns.append(campaign)
    session.flush()
    record(
        session,
        AuditAction.CAMPAIGN_ASSIGNED,
        actor=actor,
        subject=workgroup,
        detail={"campaign_id": campaign.id, "campaign_title": campaign.title},
    )
    return campaign


def unassign_campaign(
    session: Session, workgroup: Workgroup, *, campaign: Campaign, actor: Any
) -> None:
    """Take the campaign away from the workgroup's members.

    Raises:
        WorkgroupError: ``not_assigned``.
    """
    if campaign not in workgroup.campaigns:
        raise WorkgroupError("not_assigned", title=campaign.title)
    workgroup.campaigns.remove(campaign)
    session.flush()
    record(
        session,
        AuditAction.CAMPAIGN_UNASSIGNED,
        actor=actor,
        subject=workgroup,
        detail={"campaign_id": campaign.id, "campaign_title": campaign.title},
    )
