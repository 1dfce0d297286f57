"""Invitations to panel surveys: one response per invited person.

An invitation is a random token in a personal link. Only the token's SHA-256 hash is
stored, so the plain tokens exist only in what :func:`create_invites` returns. An
invitation is consumed in the same transaction as the response it allowed, by an
``UPDATE ... WHERE used_at IS NULL`` that must change exactly one row: two submissions
at the same moment cannot both use it.

For anonymity an invitation is never linked to its response, and ``used_at`` keeps only
the day (midnight UTC), so that it cannot be matched to a response's exact time.
"""

from __future__ import annotations

import csv
import hashlib
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.models import Survey, SurveyInvite
from engage.orm import utcnow
from surveys import is_storable

MAX_INVITES_PER_BATCH = 1000
MAX_LABEL_LENGTH = 120
TOKEN_BYTES = 18  # 24 URL-safe characters, 144 bits


class InviteError(Exception):
    """A response that needs an invitation could not use one.

    ``code`` is ``"required"`` (none given), ``"invalid"`` (unknown token) or
    ``"used"`` (already used for another response).
    """

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class NewInvite:
    invite: SurveyInvite
    token: str  # shown once; only its hash is stored


@dataclass(frozen=True)
class InviteCounts:
    total: int
    used: int

    @property
    def unused(self) -> int:
        return self.total - self.used


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _usage_day(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)


def create_invites(
    session: Session, survey: Survey, *, count: int, labels: Sequence[str] = ()
) -> list[NewInvite]:
    """``count`` new invitations; ``labels[i]`` (e.g. a panel ID) goes on the i-th one.

    Returns the plain tokens: they are not stored and cannot be shown again.
    """
    if not 1 <= count <= MAX_INVITES_PER_BATCH:
        raise ValueError(f"count must be between 1 and {MAX_INVITES_PER_BATCH}")
    if len(labels) > count:
        raise ValueError("more labels than invitations")
    created = []
    for index in range(count):
        token = secrets.token_urlsafe(TOKEN_BYTES)
        label = labels[index].strip() if index < len(labels) else ""
        invite = SurveyInvite(survey=survey, token_hash=hash_token(token), label=label)
        session.add(invite)
        created.append(NewInvite(invite, token))
    session.flush()
    return created


def get_invite_by_token(session: Session, survey: Survey, token: str | None) -> SurveyInvite | None:
    """The invitation to ``survey`` with this token, used or not; None if there is none."""
    if not token or len(token) > 200 or not is_storable(token):
        return None
    return session.scalar(
        sa.select(SurveyInvite).where(
            SurveyInvite.token_hash == hash_token(token), SurveyInvite.survey_id == survey.id
        )
    )


def consume_invite(session: Session, invite_id: int) -> None:
    """Mark the invitation used, or raise ``InviteError("used")`` if it already was.

    The conditional UPDATE is atomic: of two transactions consuming the same invitation,
    the second waits for the first and then changes no row.
    """
    result = session.execute(
        sa.update(SurveyInvite)
        .where(SurveyInvite.id == invite_id, SurveyInvite.used_at.is_(None))
        .values(used_at=_usage_day(utcnow()))
    )
    if result.rowcount != 1:
        raise InviteError("used")


def set_invite_only(session: Session, survey: Survey, invite_only: bool) -> None:
    survey.invite_only = invite_only
    session.flush()


def list_invites(session: Session, survey: Survey) -> list[SurveyInvite]:
    """The survey's invitations, oldest first."""
    return list(session.scalars(invites_query(survey)))


def invites_query(survey: Survey) -> sa.Select[tuple[SurveyInvite]]:
    """The survey's invitations, oldest first, as a query (to page through)."""
    return (
        sa.select(SurveyInvite)
        .where(SurveyInvite.survey_id == survey.id)
        .order_by(SurveyInvite.created_at, SurveyInvite.id)
    )


def count_invites(session: Session, survey: Survey) -> InviteCounts:
    total, used = session.execute(
        sa.select(sa.func.count(SurveyInvite.id), sa.func.count(SurveyInvite.used_at)).where(
            SurveyInvite.survey_id == survey.id
        )
    ).one()
    return InviteCounts(int(total), int(used))


def invite_links_csv(rows: Sequence[tuple[str, str]]) -> str:
    """``link,label`` rows as CSV text (with a BOM, so spreadsheets read it as UTF-8).

    A label that a spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``) is
    prefixed with an apostrophe.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["link", "label"])
    for link, label in rows:
        if label[:1] in ("=", "+", "-", "@", "\t", "\r"):
            label = "'" + label
        writer.writerow([link, label])
    return "\ufeff" + out.getvalue()
