"""Listening campaigns and the workgroups that make sense of them."""

from __future__ import annotations

import enum
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from engage.extensions import db
from engage.orm import StrEnumType, TimestampMixin, sql_in

if TYPE_CHECKING:
    from engage.models.survey import Survey
    from engage.models.user import User


class CampaignStatus(enum.StrEnum):
    """A campaign's state, chosen by staff on the campaign form (any to any).

    Only an ``open`` campaign's published surveys take answers.
    """

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


campaign_workgroups = sa.Table(
    "campaign_workgroups",
    db.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("workgroup_id", sa.ForeignKey("workgroups.id", ondelete="CASCADE"), primary_key=True),
)

workgroup_members = sa.Table(
    "workgroup_members",
    db.metadata,
    sa.Column("workgroup_id", sa.ForeignKey("workgroups.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
)


class Campaign(TimestampMixin, db.Model):
    """A listening campaign: who it wants to hear, where, in which languages, and when."""

    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(80), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    purpose: Mapped[str] = mapped_column(sa.Text, default="")
    target_population: Mapped[str] = mapped_column(sa.Text, default="")
    # Areas (neighbourhoods) the campaign covers, as a list of names.
    areas: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Language codes offered to residents; the first is the default.
    languages: Mapped[list[str]] = mapped_column(sa.JSON, default=lambda: ["en"])
    # The community's make-up, for representativeness: {dimension: {group: share}}.
    baseline: Mapped[dict[str, Any]] = mapped_column(default=dict)
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    status: Mapped[CampaignStatus] = mapped_column(
        StrEnumType(CampaignStatus, 12), default=CampaignStatus.DRAFT
    )
    # Where residents can see what came of the campaign ("you said, we did").
    report_back_url: Mapped[str | None] = mapped_column(sa.String(500))
    # Residents' contact details (opt-ins) are deleted the day after this date.
    contacts_retained_until: Mapped[date | None]
    # Why residents who leave contact details may be contacted, by language (shown on the
    # thank-you page; where a language has none, a fixed sentence is shown).
    contact_purpose: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    # Smallest group of people the dashboard shows; None: the site's SUPPRESSION_THRESHOLD.
    suppression_threshold: Mapped[int | None]

    workgroups: Mapped[list[Workgroup]] = relationship(
        secondary=campaign_workgroups, back_populates="campaigns"
    )
    surveys: Mapped[list[Survey]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan"
    )

    __table_args__ = (sa.CheckConstraint(sql_in("status", CampaignStatus), name="status_known"),)

    @validates("status")
    def _known_status(self, _key: str, value: str) -> CampaignStatus:
        """The form sets the status directly; a value outside the enum is a ValueError."""
        return CampaignStatus(value)

    @hybrid_property
    def is_open(self) -> bool:
        """Its published surveys take answers (in SQL too: ``where(Campaign.is_open)``)."""
        return self.status == CampaignStatus.OPEN

    def contacts_due_for_purge(self, today: date) -> bool:
        """Its retention date has passed: contact details left for it are to be deleted."""
        return self.contacts_retained_until is not None and self.contacts_retained_until < today

    def threshold(self, default: int) -> int:
        """The smallest group its dashboard shows: its own setting, else ``default``."""
        return self.suppression_threshold or default

    @property
    def default_language(self) -> str:
        return self.languages[0] if self.languages else "en"


class Workgroup(TimestampMixin, db.Model):
    """People who review a campaign's themes and plan what to do about them."""

    __tablename__ = "workgroups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(120), unique=True)
    description: Mapped[str] = mapped_column(sa.Text, default="")

    members: Mapped[list[User]] = relationship(
        secondary=workgroup_members, back_populates="workgroups"
    )
    campaigns: Mapped[list[Campaign]] = relationship(
        secondary=campaign_workgroups, back_populates="workgroups"
    )


class ListeningSession(TimestampMixin, db.Model):
    """A listening session or focus group held for a campaign."""

    __tablename__ = "listening_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaigns.id", ondelete="CASCADE"))
    held_on: Mapped[date]
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    area: Mapped[str | None] = mapped_column(sa.String(120))
    facilitator: Mapped[str] = mapped_column(sa.String(120), default="")
    # Every language the session was held in, interpretation included.
    languages: Mapped[list[str]] = mapped_column(
        sa.JSON, default=lambda: ["en"], server_default='["en"]'
    )
    attendance: Mapped[int] = mapped_column(default=0)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    # Who attended, counted by the facilitator: {dimension: {group: count}}.
    demographics: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")

    campaign: Mapped[Campaign] = relationship()
