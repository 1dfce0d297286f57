"""A response export built in the background into a file kept for a limited time.

A large export (more responses than a web request can stream within the server's timeout)
is written by ``engage worker`` into the export folder; the staff member who asked
follows its progress on a page and downloads the file until ``expires_at``, after which
``engage purge`` deletes it.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from engage.extensions import db
from engage.models.survey import Survey
from engage.models.transitions import IllegalTransition
from engage.orm import StrEnumType, sql_in, utcnow


class ExportStatus(enum.StrEnum):
    """``queued`` → ``running`` → ``done`` or ``failed``; a queued export may also fail."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ExportFile(db.Model):
    __tablename__ = "export_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("surveys.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[ExportStatus] = mapped_column(
        StrEnumType(ExportStatus, 10), default=ExportStatus.QUEUED
    )
    # The ExportOptions asked for, as JSON (see engage.exports.files).
    options: Mapped[dict[str, Any]] = mapped_column(default=dict)
    total: Mapped[int] = mapped_column(default=0)  # responses the export holds
    written: Mapped[int] = mapped_column(default=0)  # responses written so far
    stored_name: Mapped[str | None] = mapped_column(sa.String(80))  # in the export folder
    download_name: Mapped[str] = mapped_column(sa.String(200), default="")
    size_bytes: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(sa.String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None] = mapped_column(index=True)

    survey: Mapped[Survey] = relationship()

    __table_args__ = (sa.CheckConstraint(sql_in("status", ExportStatus), name="status_known"),)

    @validates("status")
    def _known_status(self, _key: str, value: str) -> ExportStatus:
        return ExportStatus(value)

    @property
    def is_active(self) -> bool:
        return self.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == ExportStatus.DONE:
            return 100
        return min(99, self.written * 100 // self.total) if self.total else 0

    def is_expired(self, now: datetime | None = None) -> bool:
        return self.expires_at is not None and self.expires_at <= (now or utcnow())

    def start(self, total: int, stored_name: str | None = None) -> None:
        """Building begins, into ``stored_name`` (named now, so that a job killed midway
        leaves a file the purge can find)."""
        if self.status != ExportStatus.QUEUED:
            raise IllegalTransition("export_not_queued", state=self.status)
        self.status, self.total, self.written = ExportStatus.RUNNING, total, 0
        self.stored_name = stored_name

    def advance(self, written: int) -> None:
        self.written = written

    def finish(self, size: int, keep: timedelta) -> None:
        if self.status != ExportStatus.RUNNING:
            raise IllegalTransition("export_not_running", state=self.status)
        self.status = ExportStatus.DONE
        self.size_bytes = size
        self.finished_at = utcnow()
        self.expires_at = self.finished_at + keep
        self.written = self.total

    def fail(self, code: str, keep: timedelta) -> None:
        if self.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
            raise IllegalTransition("export_ended", state=self.status)
        self.status, self.error = ExportStatus.FAILED, code[:80]
        self.finished_at = utcnow()
        self.expires_at = self.finished_at + keep
