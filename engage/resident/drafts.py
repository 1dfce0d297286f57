"""Answers in progress: start, save a page, resume on another device, submit once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.models import (
    Channel,
    ContactOptIn,
    ResponseDraft,
    Survey,
    SurveyInvite,
    SurveyVersion,
    User,
)
from engage.orm import utcnow
from engage.responses.services import Submission, definition_of, submit_response
from surveys import SurveyDefinition, merge_page_answers

DRAFT_LIFETIME = timedelta(days=30)
DRAFT_COOKIE_LIFETIME = timedelta(days=1)
# No 0/O, 1/I/L: a code read aloud or copied from paper should not be mistyped.
RESUME_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
RESUME_CODE_LENGTH = 8


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def normalise_resume_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def resume_code_hash(code: str) -> str:
    """What is stored for a (normalised) resume code."""
    return _hash(code)


def format_resume_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


@dataclass(frozen=True)
class NewDraft:
    draft: ResponseDraft
    token: str  # for the cookie
    resume_code: str  # to show the resident, e.g. "K7MX-3PQA"


def start_draft(
    session: Session,
    *,
    version: SurveyVersion,
    language: str,
    source_tag: str | None = None,
    invite: SurveyInvite | None = None,
    channel: Channel = Channel.WEB,
    entered_by: User | None = None,
    place: str | None = None,
) -> NewDraft:
    """A resident's answers in progress; an interviewer's draft says who and where."""
    token = secrets.token_urlsafe(32)
    code = "".join(secrets.choice(RESUME_ALPHABET) for _ in range(RESUME_CODE_LENGTH))
    draft = ResponseDraft(
        version=version,
        token_hash=_hash(token),
        resume_code_hash=_hash(code),
        language=language,
        answers={},
        source_tag=source_tag,
        invite_id=invite.id if invite is not None else None,
        idempotency_key=f"draft-{secrets.token_hex(16)}",
        expires_at=utcnow() + DRAFT_LIFETIME,
        channel=str(channel),
        entered_by_id=entered_by.id if entered_by is not None else None,
        place=place,
    )
    session.add(draft)
    session.flush()
    return NewDraft(draft, token, format_resume_code(code))


def _usable(draft: ResponseDraft | None, survey: Survey) -> ResponseDraft | None:
    if draft is None or draft.expires_at < utcnow() or draft.version.survey_id != survey.id:
        return None
    return draft


def get_draft_by_token(session: Session, survey: Survey, token: str | None) -> ResponseDraft | None:
    if not token:
        return None
    draft = session.scalar(sa.select(ResponseDraft).where(ResponseDraft.token_hash == _hash(token)))
    return _usable(draft, survey)


def get_draft_by_resume_code(session: Session, survey: Survey, code: str) -> ResponseDraft | None:
    normalised = normalise_resume_code(code)
    if len(normalised) != RESUME_CODE_LENGTH:
        return None
    draft = session.scalar(
        sa.select(ResponseDraft).where(ResponseDraft.resume_code_hash == _hash(normalised))
    )
    draft = _usable(draft, survey)
    return draft if draft is not None and draft.response_id is None else None


def issue_resume_code(session: Session, draft: ResponseDraft) -> str:
    """A fresh resume code for ``draft`` (only its hash is kept, so the old one stops)."""
    code = "".join(secrets.choice(RESUME_ALPHABET) for _ in range(RESUME_CODE_LENGTH))
    draft.resume_code_hash = _hash(code)
    draft.expires_at = utcnow() + DRAFT_LIFETIME
    session.flush()
    return format_resume_code(code)


def rotate_token(session: Session, draft: ResponseDraft) -> str:
    """A new cookie token for a draft resumed on another device."""
    token = secrets.token_urlsafe(32)
    draft.token_hash = _hash(token)
    session.flush()
    return token


def save_page(
    session: Session,
    draft: ResponseDraft,
    definition: SurveyDefinition,
    page_index: int,
    page_answers: dict[str, Any],
    *,
    next_page_key: str | None,
) -> None:
    draft.answers = merge_page_answers(definition, page_index, draft.answers, page_answers)
    draft.page_key = next_page_key
    draft.expires_at = utcnow() + DRAFT_LIFETIME
    session.flush()


def submit_draft(session: Session, draft: ResponseDraft) -> Submission:
    """Store the draft as a response; a second call returns the same response.

    A draft started from an invitation consumes it (:class:`InviteError` if it has been
    used meanwhile); for an invite-only survey a draft without one raises
    ``InviteError("required")``. Once stored, the draft forgets its invitation, so that
    nothing links the invitation to the response.
    """
    invite = session.get(SurveyInvite, draft.invite_id) if draft.invite_id else None
    submission = submit_response(
        session,
        version=draft.version,
        answers=dict(draft.answers),
        language=draft.language,
        channel=Channel(draft.channel),
        idempotency_key=draft.idempotency_key,
        source_tag=draft.source_tag,
        started_at=draft.started_at,
        definition=definition_of(draft.version),
        invite=invite,
        invite_required=draft.version.survey.invite_only,
        entered_by=session.get(User, draft.entered_by_id) if draft.entered_by_id else None,
    )
    if draft.place and submission.created:
        submission.response.place = draft.place
    draft.response_id = submission.response_id
    draft.invite_id = None
    session.flush()
    return submission


def attach_invite(session: Session, draft: ResponseDraft, invite: SurveyInvite) -> None:
    """Let a draft in progress answer for ``invite`` (opened after starting without it)."""
    draft.invite_id = invite.id
    session.flush()


def add_contact_opt_in(
    session: Session,
    *,
    survey: Survey,
    name: str,
    contact: str,
    language: str,
    purpose: str = "",
) -> ContactOptIn:
    """Keep a resident's contact details with ``purpose``: what they were told they
    would be contacted for, as they read it."""
    opt_in = ContactOptIn(
        campaign_id=survey.campaign_id,
        name=name.strip(),
        contact=contact.strip(),
        language=language,
        purpose=purpose,
    )
    session.add(opt_in)
    session.flush()
    return opt_in
