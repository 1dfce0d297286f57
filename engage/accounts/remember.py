"""'Keep me signed in': one revocable token per device.

The device's cookie holds ``<token id>:<secret>``; the database keeps only the sha256
of the secret, so neither a copy of the database nor an old cookie of another device
signs anybody in. Deleting a token signs that device out. Services flush, never commit.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.models import RememberToken, User
from engage.orm import utcnow


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_remember_token(session: Session, *, user: User, lifetime: timedelta) -> str:
    """Store a new token for ``user``'s device; return the cookie value to give it.

    The user's expired tokens are deleted on the way.
    """
    session.execute(
        sa.delete(RememberToken).where(
            RememberToken.user_id == user.id, RememberToken.expires_at <= utcnow()
        )
    )
    secret = secrets.token_urlsafe(32)
    token = RememberToken(user=user, token_hash=_hash(secret), expires_at=utcnow() + lifetime)
    session.add(token)
    session.flush()
    return f"{token.id}:{secret}"


def _parse(value: str) -> tuple[int, str] | None:
    token_id, _, secret = value.partition(":")
    if not token_id.isdigit() or not secret or len(value) > 200:
        return None
    return int(token_id), secret


def _find(session: Session, value: str) -> RememberToken | None:
    parsed = _parse(value)
    if parsed is None:
        return None
    token = session.get(RememberToken, parsed[0])
    if token is None or not hmac.compare_digest(token.token_hash, _hash(parsed[1])):
        return None
    return token


def get_remembered_token(session: Session, value: str) -> RememberToken | None:
    """The unexpired token a cookie value names, its account active; ``None`` otherwise."""
    token = _find(session, value)
    if token is None or not token.is_usable() or not token.user.is_active_account:
        return None
    return token


def revoke_remember_token(session: Session, value: str | None) -> None:
    """Sign out the device whose cookie holds ``value`` (nothing if it names no token)."""
    token = _find(session, value or "")
    if token is not None:
        session.delete(token)
        session.flush()


def revoke_all_remember_tokens(session: Session, user: User) -> None:
    """Sign out every remembered device of ``user``."""
    session.execute(sa.delete(RememberToken).where(RememberToken.user_id == user.id))


def count_remembered_devices(session: Session, user: User, now: datetime | None = None) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(RememberToken)
            .where(RememberToken.user_id == user.id, RememberToken.expires_at > (now or utcnow()))
        )
        or 0
    )
