"""Reading the audit log: the entries an administrator asked for, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from engage.models.audit import AuditEvent


@dataclass(frozen=True)
class AuditFilter:
    """What to show; an empty filter shows everything.

    ``since`` is inclusive and ``before`` exclusive, both timezone-aware.
    """

    action: str | None = None
    actor: str = ""
    since: datetime | None = None
    before: datetime | None = None


def _contains(text: str) -> str:
    """A LIKE pattern matching ``text`` anywhere, its own ``%`` and ``_`` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_events(filters: AuditFilter) -> sa.Select[tuple[AuditEvent]]:
    """The entries matching ``filters``, newest first, as a query to paginate."""
    query = sa.select(AuditEvent)
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.actor:
        query = query.where(AuditEvent.actor_email.ilike(_contains(filters.actor), escape="\\"))
    if filters.since is not None:
        query = query.where(AuditEvent.at >= filters.since)
    if filters.before is not None:
        query = query.where(AuditEvent.at < filters.before)
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
