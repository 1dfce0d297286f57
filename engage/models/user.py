"""Staff accounts and the one-time tokens that create them or reset their passwords."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from engage.extensions import db
from engage.orm import sql_in, utcnow
from engage.permissions import Role

if TYPE_CHECKING:
    from engage.models.campaign import Workgroup


class User(UserMixin, db.Model):
    """Somebody who signs in: an administrator, staff, interviewer or workgroup member.

    Residents are never users: they answer anonymously.
    """

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    role: Mapped[str] = mapped_column(sa.String(20))
    is_active_account: Mapped[bool] = mapped_column(default=True)
    preferred_locale: Mapped[str | None] = mapped_column(sa.String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Part of every session's identifier: bumping it ends every session of the account.
    session_generation: Mapped[int] = mapped_column(default=0, server_default="0")

    workgroups: Mapped[list[Workgroup]] = relationship(
        secondary="workgroup_members", back_populates="members"
    )

    __table_args__ = (
        sa.CheckConstraint(sql_in("role", [r.value for r in Role]), name="role_known"),
    )

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """The identifier kept in a session: the account and its session generation."""
        return f"{self.id}:{self.session_generation}"

    def end_all_sessions(self) -> None:
        """Make every session of this account stop working at its next request."""
        self.session_generation = (self.session_generation or 0) + 1

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive accounts.
        return self.is_active_account

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role}>"


class RememberToken(db.Model):
    """One device on which somebody chose "keep me signed in".

    The device's cookie holds the token's id and a random secret; only a hash of the
    secret is stored. Deleting the row signs the device out.
    """

    __tablename__ = "remember_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    expires_at: Mapped[datetime]

    user: Mapped[User] = relationship()

    def is_usable(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) < self.expires_at


class AccountToken(db.Model):
    """A one-time link an administrator hands over: an invitation or a password reset.

    Only a hash of the token is stored, so a copy of the database cannot be used to
    sign up or take over an account.
    """

    __tablename__ = "account_tokens"

    KIND_INVITE = "invite"
    KIND_RESET = "reset"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(10))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    role: Mapped[str | None] = mapped_column(sa.String(20))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    __table_args__ = (sa.CheckConstraint(sql_in("kind", ["invite", "reset"]), name="kind_known"),)

    def is_usable(self, now: datetime | None = None) -> bool:
        return self.used_at is None and (now or utcnow()) < self.expires_at
