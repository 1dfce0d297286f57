"""Co-design feedback rounds: prototypes shown to residents, and their reactions.

A round **is** a survey of kind ``codesign``: :class:`CodesignRound` holds what staff
edit (title, description, dates, prototypes) and the survey holds the definition
generated from them (``surveys.codesign``). Residents answer it through the ordinary
resident pages, so a round has, with no code of its own, everything a survey has:
languages and fallback, drafts and resume codes, idempotent submission, rate limits and
the honeypot, tracked links and QR codes, interviewer mode, paper forms, exports. Its
open comments become feedback items (``open_feedback``, named by the prototype's
question code), which the theme analysis clusters like any other feedback. The round's
state is its survey's: draft → open (published) ⇄ closed.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.models.campaign import Campaign
from engage.models.survey import Survey, SurveyStatus
from engage.models.transitions import IllegalTransition
from engage.orm import TimestampMixin, utcnow


class CodesignRound(TimestampMixin, db.Model):
    __tablename__ = "codesign_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("surveys.id", ondelete="CASCADE"), unique=True
    )
    title: Mapped[dict[str, Any]] = mapped_column(default=dict)
    description: Mapped[dict[str, Any]] = mapped_column(default=dict)
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    has_ranking: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # The design sprint whose prototypes the round tests; its review links the results.
    sprint_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("sprints.id", ondelete="SET NULL"), index=True
    )

    campaign: Mapped[Campaign] = relationship()
    survey: Mapped[Survey] = relationship()
    prototypes: Mapped[list[Prototype]] = relationship(
        back_populates="round", order_by="Prototype.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint(
            "opens_on IS NULL OR closes_on IS NULL OR closes_on >= opens_on",
            name="closes_after_opening",
        ),
    )

    @property
    def status(self) -> SurveyStatus:
        return self.survey.status

    @property
    def can_open(self) -> bool:
        """A round opens (or opens again) once it has something to show."""
        return self.status != SurveyStatus.PUBLISHED and bool(self.prototypes)

    @property
    def can_close(self) -> bool:
        return self.survey.can_close

    def check_can_open(self, today: date) -> None:
        """Raise :class:`IllegalTransition` unless the round may open on ``today``."""
        if self.status == SurveyStatus.PUBLISHED:
            raise IllegalTransition("round_already_open", state=self.status)
        self._check_openable(today)

    def _check_openable(self, today: date) -> None:
        if not self.prototypes:
            raise IllegalTransition("round_has_no_prototypes", state=self.status)
        if self.closes_on is not None and self.closes_on < today:
            raise IllegalTransition("round_past_closing", state=self.status)

    def mark_open(self, today: date) -> None:
        """Residents can answer; called as the generated definition is published (which
        may already have marked the survey published)."""
        self._check_openable(today)
        self.survey.mark_published()

    def close(self) -> None:
        if not self.can_close:
            raise IllegalTransition("round_not_open", state=self.status)
        self.survey.close()


class PrototypeImage(db.Model):
    """A prototype's picture, re-encoded small (WebP) with no metadata.

    Kept in the database, not on disk, so every web worker and every deployment (SQLite
    or PostgreSQL, one host or several) serves it the same way; at ≤ ~15 KB each, a round's
    pictures weigh less than its text answers.
    """

    __tablename__ = "prototype_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(sa.LargeBinary)
    media_type: Mapped[str] = mapped_column(sa.String(20))
    width: Mapped[int]
    height: Mapped[int]
    digest: Mapped[str] = mapped_column(sa.String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Prototype(db.Model):
    """One idea shown in a round; ``previous`` is the version it improves on (v1 → v2)."""

    __tablename__ = "prototypes"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("codesign_rounds.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[dict[str, Any]] = mapped_column(default=dict)
    description: Mapped[dict[str, Any]] = mapped_column(default=dict)
    previous_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("prototypes.id", ondelete="SET NULL"), index=True
    )
    version_number: Mapped[int] = mapped_column(default=1, server_default="1")
    image_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("prototype_images.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    round: Mapped[CodesignRound] = relationship(back_populates="prototypes")
    previous: Mapped[Prototype | None] = relationship(remote_side=[id])
    image: Mapped[PrototypeImage | None] = relationship()

    @property
    def key(self) -> str:
        """Its questions' stem in the round's definition (``p12_reaction``…)."""
        return f"p{self.id}"
