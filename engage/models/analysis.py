"""Analysis runs over a campaign's feedback, their themes and item→theme assignments."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from engage.extensions import db
from engage.models.transitions import IllegalTransition
from engage.orm import StrEnumType, sql_in, utcnow

if TYPE_CHECKING:
    from engage.models.campaign import Campaign


class RunStatus(enum.StrEnum):
    """``queued`` → ``running`` → ``done`` or ``failed``; a queued run may also fail."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


ACTIVE_RUN_STATUSES = (RunStatus.QUEUED, RunStatus.RUNNING)


class AnalysisRun(db.Model):
    """One clustering of a campaign's open feedback into themes.

    ``model`` keeps the fitted theme finder as versioned data (``ThemeFinder.to_bytes()``:
    an ``.npz`` archive of arrays and JSON, never a pickle), so new feedback is placed in
    the run's themes without running it again. Runs saved before that format keep a
    pickle, which is never loaded: ``engage.themes.services.model_status`` says
    ``"outdated"``.
    """

    __tablename__ = "analysis_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[RunStatus] = mapped_column(StrEnumType(RunStatus, 10), default=RunStatus.QUEUED)
    stage: Mapped[str] = mapped_column(sa.String(80), default="")
    progress: Mapped[float] = mapped_column(default=0.0)
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(sa.Text)
    item_count: Mapped[int] = mapped_column(default=0)
    model: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    campaign: Mapped[Campaign] = relationship()
    themes: Mapped[list[Theme]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="Theme.id"
    )

    __table_args__ = (sa.CheckConstraint(sql_in("status", RunStatus), name="status_known"),)

    @validates("status")
    def _known_status(self, _key: str, value: str) -> RunStatus:
        return RunStatus(value)

    @hybrid_property
    def is_active(self) -> bool:
        """Queued or running: not ended yet."""
        return self.status in ACTIVE_RUN_STATUSES

    @is_active.inplace.expression
    @classmethod
    def _is_active_expression(cls) -> sa.ColumnElement[bool]:
        return cls.status.in_(ACTIVE_RUN_STATUSES)

    @hybrid_property
    def is_filtered(self) -> bool:
        """A run over part of the feedback (``parameters["filters"]``): an exploration,
        read from the history of runs; the board and new feedback follow only runs over
        all of it (``parameters["filtered"]`` is set with the filters)."""
        return bool((self.parameters or {}).get("filtered"))

    @is_filtered.inplace.expression
    @classmethod
    def _is_filtered_expression(cls) -> sa.ColumnElement[bool]:
        return sa.func.coalesce(cls.parameters["filtered"].as_boolean(), sa.false())

    def start(self, stage: str = "") -> None:
        """The job has picked the run up (again, if it was interrupted while running)."""
        if not self.is_active:
            raise IllegalTransition("run_not_active", state=self.status)
        self.status, self.stage, self.progress = RunStatus.RUNNING, stage, 0.0

    def finish(self) -> None:
        """The themes are stored."""
        if self.status != RunStatus.RUNNING:
            raise IllegalTransition("run_not_running", state=self.status)
        self.status, self.stage, self.progress = RunStatus.DONE, "done", 1.0
        self.finished_at = utcnow()

    def fail(self, code: str) -> None:
        """The run cannot complete; ``code`` says why (shown to staff, translated)."""
        if not self.is_active:
            raise IllegalTransition("run_not_active", state=self.status)
        self.status, self.error = RunStatus.FAILED, code
        self.finished_at = utcnow()


class Theme(db.Model):
    """A theme found by a run: the finder's description, kept as found."""

    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("analysis_runs.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[int]  # the finder's theme id within the run
    parent_key: Mapped[int | None]
    language: Mapped[str] = mapped_column(sa.String(12))
    label: Mapped[str] = mapped_column(sa.String(300))
    keywords: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    size: Mapped[int] = mapped_column(default=0)
    share: Mapped[float] = mapped_column(default=0.0)
    representatives: Mapped[list[dict[str, Any]]] = mapped_column(sa.JSON, default=list)
    sentiment: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)
    job: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)

    run: Mapped[AnalysisRun] = relationship(back_populates="themes")

    __table_args__ = (sa.UniqueConstraint("run_id", "key"),)


class ThemeAssignment(db.Model):
    """Which theme of a run a feedback item belongs to (none: set aside)."""

    __tablename__ = "theme_assignments"

    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("analysis_runs.id", ondelete="CASCADE"), primary_key=True
    )
    feedback_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback_items.id", ondelete="CASCADE"), primary_key=True
    )
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="CASCADE"), index=True
    )
    placed_later: Mapped[bool] = mapped_column(default=False)


THEME_LINK_ORIGINS = ("automatic", "workgroup")


class ThemeLink(db.Model):
    """Two themes of one run, usually in different languages, that say the same thing.

    Linked automatically when a multilingual sentence encoder finds them close, or by a
    workgroup. Stored once per pair, with the lower theme id first.
    """

    __tablename__ = "theme_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(
        sa.ForeignKey("analysis_runs.id", ondelete="CASCADE"), index=True
    )
    theme_id: Mapped[int] = mapped_column(sa.ForeignKey("themes.id", ondelete="CASCADE"))
    linked_theme_id: Mapped[int] = mapped_column(sa.ForeignKey("themes.id", ondelete="CASCADE"))
    origin: Mapped[str] = mapped_column(sa.String(10), default="workgroup")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("theme_id", "linked_theme_id"),
        sa.CheckConstraint("theme_id < linked_theme_id", name="ordered_pair"),
        sa.CheckConstraint(sql_in("origin", THEME_LINK_ORIGINS), name="origin_known"),
    )
