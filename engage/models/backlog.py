"""What a workgroup decides to do about what residents said: opportunities (the backlog,
with its explicit "not now" list), dot-voting rounds, time-boxed design sprints, and the
decision log that keeps the group's memory when its members change."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from engage.extensions import db
from engage.models.transitions import IllegalTransition
from engage.orm import StrEnumType, TimestampMixin, sql_in, utcnow

if TYPE_CHECKING:
    from engage.models.board import BoardTheme
    from engage.models.campaign import Campaign
    from engage.models.user import User


class OpportunityStatus(enum.StrEnum):
    PROPOSED = "proposed"
    NEXT = "next"
    IN_SPRINT = "in_sprint"
    DONE = "done"
    NOT_NOW = "not_now"


# Where an opportunity may go from each status (a change to the same status is refused).
OPPORTUNITY_TRANSITIONS: dict[OpportunityStatus, frozenset[OpportunityStatus]] = {
    OpportunityStatus.PROPOSED: frozenset(
        {OpportunityStatus.NEXT, OpportunityStatus.IN_SPRINT, OpportunityStatus.NOT_NOW}
    ),
    OpportunityStatus.NEXT: frozenset(
        {OpportunityStatus.PROPOSED, OpportunityStatus.IN_SPRINT, OpportunityStatus.NOT_NOW}
    ),
    OpportunityStatus.IN_SPRINT: frozenset(
        {OpportunityStatus.NEXT, OpportunityStatus.DONE, OpportunityStatus.NOT_NOW}
    ),
    OpportunityStatus.DONE: frozenset({OpportunityStatus.NEXT, OpportunityStatus.IN_SPRINT}),
    OpportunityStatus.NOT_NOW: frozenset({OpportunityStatus.PROPOSED, OpportunityStatus.NEXT}),
}

EFFORT_LEVELS = (1, 2, 3, 4, 5)  # very small … very large


class Opportunity(TimestampMixin, db.Model):
    """A backlog item: a job residents are trying to get done, with its evidence."""

    __tablename__ = "opportunities"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(200))
    job_statement: Mapped[str] = mapped_column(sa.Text, default="")
    # The survey outcome (``Question.outcome``) whose ratings give the opportunity score.
    outcome: Mapped[str | None] = mapped_column(sa.String(80))
    effort: Mapped[int | None]
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[OpportunityStatus] = mapped_column(
        StrEnumType(OpportunityStatus, 12), default=OpportunityStatus.PROPOSED
    )
    not_now_reason: Mapped[str | None] = mapped_column(sa.Text)
    revisit_on: Mapped[date | None]
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    campaign: Mapped[Campaign] = relationship()
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    themes: Mapped[list[OpportunityTheme]] = relationship(
        back_populates="opportunity", cascade="all, delete-orphan", order_by="OpportunityTheme.id"
    )
    quotes: Mapped[list[OpportunityQuote]] = relationship(
        back_populates="opportunity",
        cascade="all, delete-orphan",
        order_by="OpportunityQuote.feedback_item_id",
    )

    __table_args__ = (
        sa.CheckConstraint(sql_in("status", OpportunityStatus), name="status_known"),
        sa.CheckConstraint("effort IS NULL OR (effort >= 1 AND effort <= 5)", name="effort_range"),
    )

    @validates("status")
    def _known_status(self, _key: str, value: str) -> OpportunityStatus:
        return OpportunityStatus(value)

    @property
    def has_evidence(self) -> bool:
        """Resident evidence backs it (themes or quotes); otherwise it was added by hand."""
        return bool(self.themes or self.quotes)

    def can_move_to(self, status: OpportunityStatus) -> bool:
        return status in OPPORTUNITY_TRANSITIONS[self.status]

    def move_to(
        self, status: str, *, reason: str = "", revisit_on: date | None = None, today: date
    ) -> OpportunityStatus:
        """Change the status; returns the previous one. ``not now`` needs a reason and a
        revisit date after ``today``; every other change forgets them."""
        target = OpportunityStatus(status)
        if target == self.status:
            raise IllegalTransition("opportunity_same_status", state=self.status)
        if not self.can_move_to(target):
            raise IllegalTransition("opportunity_status_not_allowed", state=self.status)
        if target == OpportunityStatus.NOT_NOW:
            if not reason.strip():
                raise IllegalTransition("not_now_needs_reason", state=self.status)
            if revisit_on is None:
                raise IllegalTransition("not_now_needs_revisit_date", state=self.status)
            if revisit_on <= today:
                raise IllegalTransition("revisit_date_not_future", state=self.status)
            self.not_now_reason, self.revisit_on = reason.strip(), revisit_on
        else:
            self.not_now_reason, self.revisit_on = None, None
        previous, self.status = self.status, target
        return previous

    def propose(self, *, today: date) -> OpportunityStatus:
        return self.move_to(OpportunityStatus.PROPOSED, today=today)

    def plan_next(self, *, today: date) -> OpportunityStatus:
        return self.move_to(OpportunityStatus.NEXT, today=today)

    def commit_to_sprint(self, *, today: date) -> OpportunityStatus:
        return self.move_to(OpportunityStatus.IN_SPRINT, today=today)

    def finish(self, *, today: date) -> OpportunityStatus:
        return self.move_to(OpportunityStatus.DONE, today=today)

    def set_aside(self, reason: str, revisit_on: date | None, *, today: date) -> OpportunityStatus:
        """Decide not to do it now: why, and when to look at it again."""
        return self.move_to(
            OpportunityStatus.NOT_NOW, reason=reason, revisit_on=revisit_on, today=today
        )


class OpportunityTheme(db.Model):
    """A theme of the campaign's board an opportunity came from.

    It names the board theme (:class:`~engage.models.BoardTheme`), so the evidence follows
    the workgroup's renames and merges and outlasts "Analyse again". Its name and language
    when last saved are kept too, only to be shown should the board theme be gone.
    """

    __tablename__ = "opportunity_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    board_theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("board_themes.id", ondelete="SET NULL"), index=True
    )
    label: Mapped[str] = mapped_column(sa.String(300))
    language: Mapped[str] = mapped_column(sa.String(12))
    size: Mapped[int] = mapped_column(default=0)

    opportunity: Mapped[Opportunity] = relationship(back_populates="themes")
    board_theme: Mapped[BoardTheme | None] = relationship()


class OpportunityQuote(db.Model):
    """A resident's words chosen as evidence (shown masked: ``redacted_text``)."""

    __tablename__ = "opportunity_quotes"

    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="CASCADE"), primary_key=True
    )
    feedback_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback_items.id", ondelete="CASCADE"), primary_key=True
    )

    opportunity: Mapped[Opportunity] = relationship(back_populates="quotes")


class VoteRound(db.Model):
    """A dot-voting round: each person has ``dots`` to spread; votes stay secret until it
    closes."""

    __tablename__ = "vote_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(sa.String(120))
    dots: Mapped[int] = mapped_column(default=3)
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    __table_args__ = (sa.CheckConstraint("dots >= 1 AND dots <= 20", name="dots_range"),)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    def close(self) -> None:
        if self.closed_at is not None:
            raise IllegalTransition("round_closed")
        self.closed_at = utcnow()


class Vote(db.Model):
    """Dots one person put on one opportunity in a round."""

    __tablename__ = "votes"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(
        sa.ForeignKey("vote_rounds.id", ondelete="CASCADE"), index=True
    )
    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    dots: Mapped[int]

    __table_args__ = (
        sa.UniqueConstraint("round_id", "opportunity_id", "user_id"),
        sa.CheckConstraint("dots >= 1", name="dots_positive"),
    )


class SprintStatus(enum.StrEnum):
    PLANNED = "planned"
    RUNNING = "running"
    FINISHED = "finished"


class Sprint(TimestampMixin, db.Model):
    """A time-boxed design sprint: goal, committed opportunities, review, retrospective."""

    __tablename__ = "sprints"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120))
    goal: Mapped[str] = mapped_column(sa.Text, default="")
    starts_on: Mapped[date]
    ends_on: Mapped[date]
    status: Mapped[SprintStatus] = mapped_column(
        StrEnumType(SprintStatus, 10), default=SprintStatus.PLANNED
    )
    # Sprint review.
    delivered: Mapped[str] = mapped_column(sa.Text, default="")
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    residents_said: Mapped[str] = mapped_column(sa.Text, default="")
    # Retrospective, strengths first.
    went_well: Mapped[str] = mapped_column(sa.Text, default="")
    try_next: Mapped[str] = mapped_column(sa.Text, default="")
    lessons: Mapped[str] = mapped_column(sa.Text, default="")

    items: Mapped[list[SprintItem]] = relationship(
        back_populates="sprint", cascade="all, delete-orphan", order_by="SprintItem.id"
    )

    __table_args__ = (
        sa.CheckConstraint(sql_in("status", SprintStatus), name="status_known"),
        sa.CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    @validates("status")
    def _known_status(self, _key: str, value: str) -> SprintStatus:
        return SprintStatus(value)

    @property
    def has_review(self) -> bool:
        return bool(self.delivered or self.evidence or self.residents_said)

    @property
    def has_retrospective(self) -> bool:
        return bool(self.went_well or self.try_next or self.lessons)

    def start(self) -> None:
        if self.status != SprintStatus.PLANNED:
            raise IllegalTransition("sprint_not_planned", state=self.status)
        self.status = SprintStatus.RUNNING

    def finish(self) -> None:
        if self.status != SprintStatus.RUNNING:
            raise IllegalTransition("sprint_not_running", state=self.status)
        self.status = SprintStatus.FINISHED


class SprintItemState(enum.StrEnum):
    TODO = "todo"
    DOING = "doing"
    DONE = "done"


class SprintItem(db.Model):
    """An opportunity committed to a sprint, with the person who owns it there."""

    __tablename__ = "sprint_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    sprint_id: Mapped[int] = mapped_column(sa.ForeignKey("sprints.id", ondelete="CASCADE"))
    opportunity_id: Mapped[int] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[SprintItemState] = mapped_column(
        StrEnumType(SprintItemState, 8), default=SprintItemState.TODO
    )

    sprint: Mapped[Sprint] = relationship(back_populates="items")
    opportunity: Mapped[Opportunity] = relationship()
    owner: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.UniqueConstraint("sprint_id", "opportunity_id"),
        sa.CheckConstraint(sql_in("state", SprintItemState), name="state_known"),
    )

    @validates("state")
    def _known_state(self, _key: str, value: str) -> SprintItemState:
        return SprintItemState(value)


class DecisionKind(enum.StrEnum):
    CREATED = "created"
    STATUS = "status"
    NOT_NOW = "not_now"
    VOTE = "vote"
    SPRINT = "sprint"


class Decision(db.Model):
    """One line of the decision log: what was decided, by whom, when, and why.

    Names and titles are copied, so the log still reads after a person or an item is gone.
    """

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[DecisionKind] = mapped_column(StrEnumType(DecisionKind, 10))
    opportunity_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("opportunities.id", ondelete="SET NULL"), index=True
    )
    sprint_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("sprints.id", ondelete="SET NULL"), index=True
    )
    subject: Mapped[str] = mapped_column(sa.String(200))
    from_status: Mapped[str | None] = mapped_column(sa.String(12))
    to_status: Mapped[str | None] = mapped_column(sa.String(12))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    revisit_on: Mapped[date | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    decided_by_name: Mapped[str] = mapped_column(sa.String(120), default="")
    decided_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    __table_args__ = (sa.CheckConstraint(sql_in("kind", DecisionKind), name="kind_known"),)

    @validates("kind")
    def _known_kind(self, _key: str, value: str) -> DecisionKind:
        return DecisionKind(value)
