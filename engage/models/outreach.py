"""Tracked links: one address per outreach source (a flyer, a newsletter, a clinic)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.models.survey import Survey
from engage.orm import utcnow


class TrackedLink(db.Model):
    """A survey's address tagged with a source: every response through it carries the
    tag (``Response.source_tag``), so staff see which outreach reached whom."""

    __tablename__ = "tracked_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(sa.ForeignKey("surveys.id", ondelete="CASCADE"))
    tag: Mapped[str] = mapped_column(sa.String(80))
    label: Mapped[str] = mapped_column(sa.String(120))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    survey: Mapped[Survey] = relationship()

    __table_args__ = (sa.UniqueConstraint("survey_id", "tag", name="uq_tracked_links_survey_tag"),)
