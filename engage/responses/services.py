"""Storing responses, once each, and the feedback items the text analysis works on.

Every channel (the web form, the JSON API, interviewers, imports) stores through
:func:`submit_response`, so they share one validation and one idempotency rule.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analysis import mask_pii
from engage.invitations.services import InviteError, consume_invite
from engage.models import (
    Answer,
    Channel,
    FeedbackItem,
    Response,
    SurveyInvite,
    SurveyVersion,
    User,
)
from engage.themes.services import request_placement
from surveys import AnswerError, SurveyDefinition, validate_answers
from surveys.schema import OPEN_TEXT_ROLES


class InvalidAnswers(Exception):
    """The answers do not satisfy the survey; ``errors`` says which and why."""

    def __init__(self, errors: tuple[AnswerError, ...]) -> None:
        super().__init__(", ".join(f"{e.question}: {e.code}" for e in errors))
        self.errors = errors


class IdempotencyKeyReused(Exception):
    """The key came before with another survey or other answers; nothing is revealed."""


@dataclass(frozen=True)
class Submission:
    response: Response
    created: bool  # False when the idempotency key had been seen: nothing was stored


SOURCE_TAG_MAX_LENGTH = 80


def clean_source_tag(raw: object) -> str | None:
    """A link's source tag as it is kept: text, without what no database stores (NUL,
    lone surrogates), at most 80 characters. A tag is never a reason to refuse a resident."""
    if raw is None or raw == "":
        return None
    text = "".join(ch for ch in str(raw) if ch != "\x00" and not 0xD800 <= ord(ch) <= 0xDFFF)
    return text.strip()[:SOURCE_TAG_MAX_LENGTH] or None


def definition_of(version: SurveyVersion) -> SurveyDefinition:
    return SurveyDefinition.from_dict(version.definition)


def get_response_by_key(session: Session, key: str) -> Response | None:
    return session.scalar(sa.select(Response).where(Response.idempotency_key == key))


def submission_fingerprint(
    version: SurveyVersion, answers: dict[str, Any], language: str, channel: str
) -> str:
    """A hash of what a submission says, to tell a retry from a reused key."""
    sent = {
        "survey": version.survey_id,
        "language": language,
        "channel": str(channel),
        "answers": answers,
    }
    canonical = json.dumps(sent, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _retry_of(
    session: Session, key: str, version: SurveyVersion, fingerprint: str
) -> Submission | None:
    """The stored response when ``key`` was used before for the same submission;
    :class:`IdempotencyKeyReused` when it was used for another one."""
    existing = get_response_by_key(session, key)
    if existing is None:
        return None
    same_survey = existing.version.survey_id == version.survey_id
    if not same_survey or existing.idempotency_fingerprint not in (None, fingerprint):
        raise IdempotencyKeyReused(key)
    return Submission(existing, created=False)


def demographic_snapshot(definition: SurveyDefinition, answers: dict[str, Any]) -> dict[str, Any]:
    """The respondent's demographic answers by dimension, copied onto feedback items."""
    return {
        q.dimension: answers[q.code]
        for q in definition.questions()
        if q.dimension and q.code in answers
    }


def _area(definition: SurveyDefinition, answers: dict[str, Any]) -> str | None:
    value = demographic_snapshot(definition, answers).get("area")
    return value if isinstance(value, str) else None


def submit_response(
    session: Session,
    *,
    version: SurveyVersion,
    answers: dict[str, Any],
    language: str,
    channel: str = Channel.WEB,
    idempotency_key: str | None = None,
    source_tag: str | None = None,
    started_at: datetime | None = None,
    submitted_at: datetime | None = None,
    entered_by: User | None = None,
    definition: SurveyDefinition | None = None,
    invite: SurveyInvite | None = None,
    invite_required: bool = False,
) -> Submission:
    """Validate and store one response with its answers and feedback items.

    A second call with the same ``idempotency_key`` stores nothing and returns the first
    response, also when two arrive at the same moment.

    With ``invite``, the invitation is consumed in the same transaction (raising
    :class:`InviteError` if it was already used for another response); with
    ``invite_required`` and no ``invite``, ``InviteError("required")`` is raised. A
    retry with a known ``idempotency_key`` returns its response before either check.
    """
    fingerprint = submission_fingerprint(version, answers, language, channel)
    if idempotency_key and (retry := _retry_of(session, idempotency_key, version, fingerprint)):
        return retry
    if invite_required and invite is None:
        raise InviteError("required")
    definition = definition or definition_of(version)
    result = validate_answers(definition, answers)
    if not result.ok:
        raise InvalidAnswers(result.errors)
    clean = result.answers

    response = Response(
        version=version,
        language=language,
        channel=channel,
        source_tag=source_tag,
        area=_area(definition, clean),
        idempotency_key=idempotency_key or None,
        idempotency_fingerprint=fingerprint if idempotency_key else None,
        started_at=started_at,
        entered_by_id=entered_by.id if entered_by else None,
        answers=[Answer(question_code=code, value=value) for code, value in clean.items()],
    )
    if submitted_at is not None:
        response.submitted_at = submitted_at
    try:
        with session.begin_nested():
            if invite is not None:
                consume_invite(session, invite.id)
            session.add(response)
            session.flush()
    except (IntegrityError, InviteError):
        # Another request with the same key won the race (and used the invitation):
        # that one is the response.
        retry = (
            _retry_of(session, idempotency_key, version, fingerprint) if idempotency_key else None
        )
        if retry is None:
            raise
        return retry
    _add_feedback_items(session, definition, response, clean)
    return Submission(response, created=True)


def _add_feedback_items(
    session: Session, definition: SurveyDefinition, response: Response, answers: dict[str, Any]
) -> None:
    snapshot = demographic_snapshot(definition, answers)
    campaign_id = response.version.survey.campaign_id
    added = 0
    for question in definition.questions():
        text = answers.get(question.code)
        if question.analysis_role not in OPEN_TEXT_ROLES or not isinstance(text, str):
            continue
        if not text.strip():
            continue
        session.add(
            FeedbackItem(
                campaign_id=campaign_id,
                response_id=response.id,
                question_code=question.code,
                analysis_role=question.analysis_role,
                channel=response.channel,
                language=response.language,
                text=text,
                redacted_text=mask_pii(text),
                demographics=snapshot,
            )
        )
        added += 1
    session.flush()
    if added:
        request_placement(session, campaign_id)
