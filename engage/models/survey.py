"""Surveys, their published versions, responses and answers.

A survey's definition is the ``surveys`` engine's JSON document. Staff edit the draft;
publishing freezes it as a numbered :class:`SurveyVersion`. Each response points at the
version it answered, so a later edit never orphans old answers.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from engage.extensions import db
from engage.models.campaign import Campaign
from engage.models.transitions import IllegalTransition
from engage.orm import StrEnumType, TimestampMixin, sql_in, utcnow

if TYPE_CHECKING:
    from engage.models.user import User

SURVEY_KINDS = ("listening", "codesign")


class SurveyStatus(enum.StrEnum):
    """A survey's state: being drafted, taking answers, or no longer taking them.

    ``draft`` → ``published`` (publishing) ⇄ ``closed`` (closing, reopening). Publishing
    the draft again is allowed in any state; on a closed survey it opens it again.
    """

    DRAFT = "draft"
    PUBLISHED = "published"
    CLOSED = "closed"


class Channel(enum.StrEnum):
    """How a response reached us."""

    WEB = "web"
    INTERVIEWER = "interviewer"
    PAPER = "paper"
    SESSION = "session"
    IMPORT = "import"


class Survey(TimestampMixin, db.Model):
    __tablename__ = "surveys"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(12), default="listening")
    status: Mapped[SurveyStatus] = mapped_column(
        StrEnumType(SurveyStatus, 12), default=SurveyStatus.DRAFT
    )
    draft_definition: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # Panel surveys: only residents holding an unused invitation may respond.
    invite_only: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    campaign: Mapped[Campaign] = relationship(back_populates="surveys")
    versions: Mapped[list[SurveyVersion]] = relationship(
        back_populates="survey", order_by="SurveyVersion.number", cascade="all, delete-orphan"
    )
    # Waves 2, 3, …: the survey asked again (wave 1, from the start, has no row).
    waves: Mapped[list[SurveyWave]] = relationship(
        back_populates="survey", order_by="SurveyWave.number", cascade="all, delete-orphan"
    )

    __table_args__ = (
        sa.CheckConstraint(sql_in("kind", SURVEY_KINDS), name="kind_known"),
        sa.CheckConstraint(sql_in("status", SurveyStatus), name="status_known"),
    )

    @validates("status")
    def _known_status(self, _key: str, value: str) -> SurveyStatus:
        return SurveyStatus(value)

    @property
    def current_version(self) -> SurveyVersion | None:
        return self.versions[-1] if self.versions else None

    # -- what the state allows --------------------------------------------------------

    @hybrid_property
    def is_open_for_answers(self) -> bool:
        """Residents can answer now: the survey is published and its campaign is open."""
        return self.status == SurveyStatus.PUBLISHED and self.campaign.is_open

    @is_open_for_answers.inplace.expression
    @classmethod
    def _is_open_for_answers_expression(cls) -> sa.ColumnElement[bool]:
        return sa.and_(cls.status == SurveyStatus.PUBLISHED, cls.campaign.has(Campaign.is_open))

    @property
    def is_public(self) -> bool:
        """Residents can reach its page (answering it, or reading that it has closed)."""
        return self.status != SurveyStatus.DRAFT and self.current_version is not None

    @property
    def can_close(self) -> bool:
        return self.status == SurveyStatus.PUBLISHED

    @property
    def can_reopen(self) -> bool:
        return self.status == SurveyStatus.CLOSED and bool(self.versions)

    # -- changing it ------------------------------------------------------------------

    def mark_published(self) -> None:
        """Residents get the current version; called once publishing has made it."""
        if self.current_version is None:
            raise IllegalTransition("survey_has_no_version", state=self.status)
        self.status = SurveyStatus.PUBLISHED

    def close(self) -> None:
        """Stop taking responses; the survey's page says it has closed."""
        if not self.can_close:
            raise IllegalTransition("survey_not_published", state=self.status)
        self.status = SurveyStatus.CLOSED

    def reopen(self) -> None:
        """Take responses again, to the version published before closing."""
        if not self.can_reopen:
            raise IllegalTransition("survey_not_closed", state=self.status)
        self.status = SurveyStatus.PUBLISHED

    # -- waves ------------------------------------------------------------------------

    @property
    def wave_count(self) -> int:
        """How many waves the survey has had: 1 until staff start a second."""
        return len(self.waves) + 1

    @property
    def can_start_wave(self) -> bool:
        """A wave repeats what residents were asked, so the survey must have been
        published; a closed survey can start its next wave (which opens it again)."""
        return bool(self.versions)

    def start_wave(self, *, at: datetime, label: str = "") -> SurveyWave:
        """Start the next wave at ``at``: responses sent from then on belong to it.

        A closed survey opens again, since a new wave is for taking answers.
        """
        if not self.can_start_wave:
            raise IllegalTransition("survey_never_published", state=self.status)
        if self.waves and at <= self.waves[-1].starts_at:
            raise IllegalTransition("wave_not_after_previous")
        wave = SurveyWave(number=self.wave_count + 1, label=label.strip()[:80], starts_at=at)
        self.waves.append(wave)
        if self.status == SurveyStatus.CLOSED:
            self.status = SurveyStatus.PUBLISHED
        return wave


class SurveyVersion(db.Model):
    __tablename__ = "survey_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    number: Mapped[int]
    definition: Mapped[dict[str, Any]]
    published_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="versions")

    __table_args__ = (sa.UniqueConstraint("survey_id", "number"),)


class SurveyWave(db.Model):
    """A later wave of a survey: the same link and questions, asked again from ``starts_at``.

    Wave 1 runs from the survey's beginning and has no row. A response belongs to the
    last wave started at or before its ``submitted_at``, so taking answers needs to know
    nothing of waves, and a paper form typed in later with its real date falls in the
    wave it was filled in.
    """

    __tablename__ = "survey_waves"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    label: Mapped[str] = mapped_column(sa.String(80), default="", server_default="")
    starts_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship(back_populates="waves")

    __table_args__ = (
        sa.UniqueConstraint("survey_id", "number"),
        sa.CheckConstraint("number >= 2", name="number_after_first"),
    )


class SurveyInvite(db.Model):
    """A one-use invitation to answer a panel survey.

    Only the token's hash is stored, and the invitation is not linked to the response it
    was used for: staff can see who has answered, never what they said.
    """

    __tablename__ = "survey_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    label: Mapped[str] = mapped_column(sa.String(120), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]

    survey: Mapped[Survey] = relationship()


class ExclusionReason(enum.StrEnum):
    """Why staff set a response aside: it stays stored, and out of every result."""

    DUPLICATE = "duplicate"
    SPAM = "spam"


class Response(db.Model):
    """One resident's answers to one survey version, through one channel."""

    __tablename__ = "responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_versions.id", ondelete="RESTRICT"), index=True
    )
    language: Mapped[str] = mapped_column(sa.String(12))
    channel: Mapped[Channel] = mapped_column(StrEnumType(Channel, 12), default=Channel.WEB)
    source_tag: Mapped[str | None] = mapped_column(sa.String(80))
    area: Mapped[str | None] = mapped_column(sa.String(120))
    # Set by the client (or generated per form); a retry with the same key is one response.
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    # What was sent with that key (survey, language, channel, answers), hashed: a key sent
    # again with anything else is refused, not answered with this response.
    idempotency_fingerprint: Mapped[str | None] = mapped_column(sa.String(64))
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Where an interviewer took the answers down (a library, a market stall).
    place: Mapped[str | None] = mapped_column(sa.String(120))
    # The number written on a paper form typed in or imported, to find the sheet again.
    form_number: Mapped[str | None] = mapped_column(sa.String(40))
    # Set aside by staff as a duplicate or spam: kept, but counted in no result.
    excluded_reason: Mapped[ExclusionReason | None] = mapped_column(
        StrEnumType(ExclusionReason, 12)
    )
    excluded_note: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")
    excluded_at: Mapped[datetime | None]
    excluded_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )

    version: Mapped[SurveyVersion] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan"
    )
    # The interviewer (or staff member) who entered it; None for a resident's own.
    entered_by: Mapped[User | None] = relationship(foreign_keys=[entered_by_id])

    __table_args__ = (
        sa.CheckConstraint(sql_in("channel", Channel), name="channel_known"),
        sa.CheckConstraint(
            sql_in("excluded_reason", ExclusionReason), name="excluded_reason_known"
        ),
    )

    @validates("channel")
    def _known_channel(self, _key: str, value: str) -> Channel:
        return Channel(value)

    @hybrid_property
    def is_excluded(self) -> bool:
        """Set aside as a duplicate or spam (in SQL too: ``where(~Response.is_excluded)``)."""
        return self.excluded_reason is not None

    @is_excluded.inplace.expression
    @classmethod
    def _is_excluded_expression(cls) -> sa.ColumnElement[bool]:
        return cls.excluded_reason.is_not(None)

    def exclude(self, reason: ExclusionReason | str, note: str, *, by: User | None) -> None:
        """Set the response aside from every result, saying why; it stays stored."""
        if self.is_excluded:
            raise IllegalTransition("response_already_excluded", state=self.excluded_reason)
        self.excluded_reason = ExclusionReason(reason)
        self.excluded_note = note.strip()[:500]
        self.excluded_at = utcnow()
        self.excluded_by_id = by.id if by is not None else None

    def restore(self) -> None:
        """Count a set-aside response in the results again."""
        if not self.is_excluded:
            raise IllegalTransition("response_not_excluded")
        self.excluded_reason = None
        self.excluded_note = ""
        self.excluded_at = None
        self.excluded_by_id = None


class Answer(db.Model):
    __tablename__ = "answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey("responses.id", ondelete="CASCADE"))
    question_code: Mapped[str] = mapped_column(sa.String(80))
    value: Mapped[Any] = mapped_column(sa.JSON)

    response: Mapped[Response] = relationship(back_populates="answers")

    __table_args__ = (sa.UniqueConstraint("response_id", "question_code"),)


class FeedbackItem(db.Model):
    """One piece of open-ended feedback, whatever channel it came through.

    This is the unit the text analysis works on. ``redacted_text`` has e-mail addresses
    and phone numbers masked; it is what workgroups see.
    """

    __tablename__ = "feedback_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    response_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("responses.id", ondelete="CASCADE")
    )
    listening_session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("listening_sessions.id", ondelete="CASCADE")
    )
    question_code: Mapped[str | None] = mapped_column(sa.String(80))
    # The question's analysis role (open_feedback, job_obstacle, …), when it has one.
    analysis_role: Mapped[str | None] = mapped_column(sa.String(30))
    channel: Mapped[str] = mapped_column(sa.String(12))
    language: Mapped[str] = mapped_column(sa.String(12))
    text: Mapped[str] = mapped_column(sa.Text)
    redacted_text: Mapped[str] = mapped_column(sa.Text)
    demographics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    # The quote explorer's full-text search, on PostgreSQL (see ``engage.quotes.services``).
    __table_args__ = (
        sa.Index(
            "ix_feedback_items_text_search",
            sa.text("to_tsvector('simple'::regconfig, redacted_text)"),
            postgresql_using="gin",
        ).ddl_if(dialect="postgresql"),
    )

    @classmethod
    def counted(cls) -> sa.ColumnElement[bool]:
        """Items that count in results: not from a response set aside by staff."""
        set_aside = (
            sa.select(Response.id)
            .where(Response.id == cls.response_id, Response.excluded_reason.is_not(None))
            .exists()
        )
        return ~set_aside


class ResponseDraft(db.Model):
    """A resident's answers in progress, so nothing is lost between pages or devices.

    The browser holds a random token in a cookie (only its hash is stored here); the
    short resume code lets the resident continue on another device.
    """

    __tablename__ = "response_drafts"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_version_id: Mapped[int] = mapped_column(
        sa.ForeignKey("survey_versions.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    resume_code_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    language: Mapped[str] = mapped_column(sa.String(12))
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    page_key: Mapped[str | None] = mapped_column(sa.String(80))
    source_tag: Mapped[str | None] = mapped_column(sa.String(80))
    invite_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("survey_invites.id", ondelete="SET NULL")
    )
    # Used when the draft is submitted: a double tap or a retry stores one response.
    idempotency_key: Mapped[str] = mapped_column(sa.String(80))
    # An interviewer's draft: taken down for a resident, by whom and where.
    channel: Mapped[str] = mapped_column(sa.String(12), default="web", server_default="web")
    entered_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    place: Mapped[str | None] = mapped_column(sa.String(120))
    response_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("responses.id", ondelete="SET NULL")
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    expires_at: Mapped[datetime]

    version: Mapped[SurveyVersion] = relationship()


class ContactOptIn(db.Model):
    """A resident who asked to hear back. Deliberately not linked to any response."""

    __tablename__ = "contact_opt_ins"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    contact: Mapped[str] = mapped_column(sa.String(254))
    language: Mapped[str] = mapped_column(sa.String(12))
    # What the resident agreed to: the purpose of contact shown to them, as they read it.
    purpose: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
