"""The public "you said, we did" page of a campaign: what staff approved for it.

Nothing reaches ``/r/<campaign-slug>`` unless a :class:`ReportBackEntry` (a board theme,
a quote, a backlog item, a sprint or a co-design round's results) or a
:class:`ReportBackUpdate` (the timeline) is published. State changes are methods here
and raise :class:`~engage.models.transitions.IllegalTransition`;
:mod:`engage.reportback.services` records each one in the audit log.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, validates

from engage.extensions import db
from engage.models.transitions import IllegalTransition
from engage.orm import StrEnumType, sql_in, utcnow

MAX_UPDATE = 4000


class EntryKind(enum.StrEnum):
    THEME = "theme"
    QUOTE = "quote"
    OPPORTUNITY = "opportunity"
    SPRINT = "sprint"
    ROUND = "round"  # a co-design round's results


class _Publishable:
    """Published (approved for the public page) or not; withdrawing keeps the row."""

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    def publish(self, by: Any) -> None:
        if self.is_published:
            raise IllegalTransition("already_published", state="published")
        self.published_at, self.published_by_id = utcnow(), getattr(by, "id", None)

    def withdraw(self) -> None:
        if not self.is_published:
            raise IllegalTransition("not_published", state="withdrawn")
        self.published_at = None


class ReportBackEntry(_Publishable, db.Model):
    """One thing approved (or once approved, then withdrawn) for the public page."""

    __tablename__ = "report_back_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[EntryKind] = mapped_column(StrEnumType(EntryKind, 12))
    # The id of the board theme, feedback item, opportunity, sprint or co-design round (by
    # ``kind``). No foreign key (it names one of five tables): the public page shows only
    # targets that still exist in the campaign (``engage.reportback.pages``).
    target_id: Mapped[int]
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "kind", "target_id"),
        sa.CheckConstraint(sql_in("kind", EntryKind), name="kind_known"),
    )

    @validates("kind")
    def _known_kind(self, _key: str, value: str) -> EntryKind:
        return EntryKind(value)


class ReportBackUpdate(_Publishable, db.Model):
    """A dated line of the living timeline, in one language; a translation points at
    the update it translates."""

    __tablename__ = "report_back_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    translation_of_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("report_back_updates.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(sa.String(12))
    happened_on: Mapped[date]
    body: Mapped[str] = mapped_column(sa.Text)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
