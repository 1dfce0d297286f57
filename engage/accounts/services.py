"""Accounts: sign-in, invitations, password resets, roles and deactivation.

Services take the database session, change things and flush; the caller commits.
Failures raise :class:`AccountError` with a code the web layer turns into a
translated message.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.accounts.remember import revoke_all_remember_tokens, revoke_remember_token
from engage.audit.services import record as audit
from engage.models import AccountToken, AuditAction, User
from engage.orm import utcnow
from engage.permissions import Role

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 200
MAX_LOGGED_EMAIL = 254
RESET_MAX_AGE = timedelta(days=2)
# A valid hash to check against when the e-mail is unknown, so that a wrong e-mail
# and a wrong password take the same time.
_DUMMY_USER = User(password_hash="")


class AccountError(Exception):
    """An account operation that cannot be done; ``code`` says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def normalise_email(email: str) -> str:
    return email.strip().lower()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_user_by_email(session: Session, email: str) -> User | None:
    return session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(sa.select(User).order_by(User.is_active_account.desc(), User.name)))


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError("password_too_short")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError("password_too_long")


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or ``None``; both are audited.

    A failure is recorded with the e-mail as typed: the caller keeps that entry
    although it answers with an error.
    """
    user = get_user_by_email(session, email)
    if user is None:
        if not _DUMMY_USER.password_hash:
            _DUMMY_USER.set_password(secrets.token_urlsafe(16))
        _DUMMY_USER.check_password(password)
    elif user.check_password(password) and user.is_active_account:
        user.last_login_at = utcnow()
        audit(session, AuditAction.SIGN_IN, actor=user, subject=user)
        session.flush()
        return user
    audit(
        session,
        AuditAction.SIGN_IN_FAILED,
        actor_email=email.strip()[:MAX_LOGGED_EMAIL],
        subject=user,
    )
    session.flush()
    return None


def end_all_sessions(session: Session, user: User) -> None:
    """Every session and remembered device of ``user`` stops working."""
    user.end_all_sessions()
    revoke_all_remember_tokens(session, user)
    session.flush()


def sign_out(session: Session, *, user: User, remembered: str | None) -> None:
    """``user`` signs out of this device: its remember-me token (if any) is revoked."""
    revoke_remember_token(session, remembered)
    audit(session, AuditAction.SIGN_OUT, actor=user, subject=user)
    session.flush()


def sign_out_everywhere(session: Session, *, user: User, actor: User) -> None:
    """End every session of ``user`` (``actor`` is the user or an administrator)."""
    end_all_sessions(session, user)
    audit(session, AuditAction.SIGN_OUT_EVERYWHERE, actor=actor, subject=user)
    session.flush()


def create_user(
    session: Session, *, email: str, name: str, password: str, role: Role | str
) -> User:
    email = normalise_email(email)
    if get_user_by_email(session, email) is not None:
        raise AccountError("email_taken")
    check_password_rules(password)
    user = User(email=email, name=name.strip(), role=Role(role).value)
    user.set_password(password)
    session.add(user)
    session.flush()
    return user


def _issue_token(
    session: Session,
    *,
    kind: str,
    email: str,
    max_age: timedelta,
    role: str | None = None,
    user: User | None = None,
    created_by: User | None = None,
) -> str:
    token = secrets.token_urlsafe(32)
    session.add(
        AccountToken(
            kind=kind,
            token_hash=hash_token(token),
            email=email,
            role=role,
            user=user,
            created_by=created_by,
            expires_at=utcnow() + max_age,
        )
    )
    session.flush()
    return token


def invite_user(
    session: Session, *, email: str, role: Role | str, created_by: User, max_age: timedelta
) -> str:
    """Create a one-time sign-up token for ``email``; return the token to hand over."""
    email = normalise_email(email)
    if get_user_by_email(session, email) is not None:
        raise AccountError("email_taken")
    token = _issue_token(
        session,
        kind=AccountToken.KIND_INVITE,
        email=email,
        role=Role(role).value,
        created_by=created_by,
        max_age=max_age,
    )
    audit(
        session,
        AuditAction.USER_INVITED,
        actor=created_by,
        detail={"email": email, "role": Role(role).value},
    )
    session.flush()
    return token


def get_usable_token(session: Session, token: str, kind: str) -> AccountToken:
    record = session.scalar(
        sa.select(AccountToken).where(
            AccountToken.token_hash == hash_token(token), AccountToken.kind == kind
        )
    )
    if record is None or record.used_at is not None:
        raise AccountError("invalid_token")
    if not record.is_usable():
        raise AccountError("token_expired")
    return record


def accept_invitation(session: Session, *, token: str, name: str, password: str) -> User:
    record = get_usable_token(session, token, AccountToken.KIND_INVITE)
    user = create_user(
        session, email=record.email, name=name, password=password, role=record.role or "member"
    )
    record.used_at = utcnow()
    record.user = user
    session.flush()
    return user


def create_reset_link(session: Session, *, user: User, created_by: User) -> str:
    """A one-time token with which ``user`` chooses a new password."""
    return _issue_token(
        session,
        kind=AccountToken.KIND_RESET,
        email=user.email,
        user=user,
        created_by=created_by,
        max_age=RESET_MAX_AGE,
    )


def reset_password(session: Session, *, token: str, password: str) -> User:
    record = get_usable_token(session, token, AccountToken.KIND_RESET)
    if record.user is None or not record.user.is_active_account:
        raise AccountError("invalid_token")
    check_password_rules(password)
    user = record.user
    user.set_password(password)
    record.used_at = utcnow()
    end_all_sessions(session, user)
    audit(
        session, AuditAction.PASSWORD_CHANGED, actor=user, subject=user, detail={"by": "reset_link"}
    )
    session.flush()
    return user


def _count_active_admins(session: Session) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(User)
            .where(User.role == Role.ADMIN.value, User.is_active_account.is_(True))
        )
        or 0
    )


def _guard_last_admin(session: Session, user: User) -> None:
    if (
        user.role == Role.ADMIN.value
        and user.is_active_account
        and (_count_active_admins(session) <= 1)
    ):
        raise AccountError("last_admin")


def change_role(session: Session, *, user: User, role: Role | str, actor: User) -> None:
    """Give ``user`` another role; their sessions end, so the new role applies at once."""
    role = Role(role)
    if role.value == user.role:
        return
    _guard_last_admin(session, user)
    old = user.role
    user.role = role.value
    end_all_sessions(session, user)
    audit(
        session,
        AuditAction.ROLE_CHANGED,
        actor=actor,
        subject=user,
        detail={"from": old, "to": role.value},
    )
    session.flush()


def set_active(session: Session, *, user: User, active: bool, actor: User) -> None:
    """Deactivate (which ends every session) or reactivate ``user``."""
    if active == user.is_active_account:
        return
    if not active:
        _guard_last_admin(session, user)
        end_all_sessions(session, user)
    user.is_active_account = active
    action = AuditAction.ACCOUNT_REACTIVATED if active else AuditAction.ACCOUNT_DEACTIVATED
    audit(session, action, actor=actor, subject=user)
    session.flush()
