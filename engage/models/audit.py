"""The audit log: what staff did, and when, kept for administrators to review."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from engage.extensions import db
from engage.orm import utcnow


class AuditAction(enum.StrEnum):
    """Everything the audit log records. Adding one needs no migration."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    SIGN_OUT = "sign_out"
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere"
    PASSWORD_CHANGED = "password_changed"
    USER_INVITED = "user_invited"
    ROLE_CHANGED = "role_changed"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated"
    WORKGROUP_CREATED = "workgroup_created"
    WORKGROUP_CHANGED = "workgroup_changed"
    MEMBER_ADDED = "member_added"
    MEMBER_REMOVED = "member_removed"
    CAMPAIGN_ASSIGNED = "campaign_assigned"
    CAMPAIGN_UNASSIGNED = "campaign_unassigned"
    PUBLISHED = "published"
    WAVE_STARTED = "wave_started"
    EXPORTED = "exported"
    RESPONSES_IMPORTED = "responses_imported"
    RESPONSE_EXCLUDED = "response_excluded"
    RESPONSE_RESTORED = "response_restored"
    DELETED = "deleted"
    DATA_PURGED = "data_purged"
    RESIDENT_DATA_DELETED = "resident_data_deleted"
    CONTACTS_EXPORTED = "contacts_exported"
    THEME_EDITED = "theme_edited"
    REPORT_BACK_PUBLISHED = "report_back_published"
    REPORT_BACK_WITHDRAWN = "report_back_withdrawn"
    ROUND_RESULTS_PUBLISHED = "round_results_published"
    ROUND_RESULTS_WITHDRAWN = "round_results_withdrawn"


class AuditEvent(db.Model):
    """One recorded staff action.

    The actor's e-mail and the subject's label are copied, so an entry stays readable
    after the account or the object is deleted. ``detail`` holds small facts (the old
    and new role, how many rows were purged), never residents' answers.
    """

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    actor_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    actor_email: Mapped[str] = mapped_column(sa.String(254), default="")
    subject_type: Mapped[str] = mapped_column(sa.String(40), default="")
    subject_id: Mapped[int | None]
    subject_label: Mapped[str] = mapped_column(sa.String(200), default="")
    remote_address: Mapped[str] = mapped_column(sa.String(64), default="")
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} by {self.actor_email}>"
