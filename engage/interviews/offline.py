"""Interviews taken down without a connection.

The offline page holds the whole survey in one form; its script keeps each finished
interview on the phone, with a key of its own, and sends it when the connection is
back. Each one is stored here through :func:`~engage.responses.services.submit_response`
(the JSON intake's validation and idempotency), so a resend is never stored twice.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from engage.models import Channel, Survey
from engage.orm import utcnow
from engage.resident.condition_hints import printed_conditions
from engage.resident.page_model import (
    QuestionView,
    Text,
    build_question_views,
    localized,
    localized_optional,
)
from engage.responses.services import Submission, get_survey_for_intake, submit_response
from engage.web.messages import answer_error_message
from surveys import AnswerError, SurveyDefinition, get_type, is_storable
from surveys.validation import form_answers

MAX_KEY = 80
MAX_PLACE = 120
MAX_FIELDS = 2000
# How far a phone's clock is believed: an interview finished up to a month ago (the
# phone stayed offline), and not in the future beyond a few minutes of clock drift.
OLDEST_INTERVIEW = timedelta(days=30)
CLOCK_DRIFT = timedelta(minutes=5)


class RefusedInterview(Exception):
    """A queued interview that cannot be read (``code``: ``invalid_json``,
    ``key_required``, ``unknown_language``), or that another interviewer took down
    (``other_interviewer``); nothing is stored."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class QueuedInterview:
    """One interview as the phone kept it: its fields as the web form would send them."""

    key: str
    language: str
    place: str | None
    fields: dict[str, list[str]]
    started_at: datetime | None = None
    finished_at: datetime | None = None
    interviewer: int | None = None  # who took it down (their user id), as the phone says


def clean_text(raw: object, limit: int) -> str | None:
    """Text as kept: without what no database stores (NUL, lone surrogates), trimmed."""
    if not isinstance(raw, str):
        return None
    text = "".join(ch for ch in raw if ch != "\x00" and not 0xD800 <= ord(ch) <= 0xDFFF)
    return text.strip()[:limit] or None


def _fields(raw: object) -> dict[str, list[str]]:
    if not isinstance(raw, Mapping) or len(raw) > MAX_FIELDS:
        raise RefusedInterview("invalid_json")
    fields: dict[str, list[str]] = {}
    for name, values in raw.items():
        values = [values] if isinstance(values, str) else values
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise RefusedInterview("invalid_json")
        fields[str(name)] = values[:MAX_FIELDS]
    return fields


def _moment(raw: object) -> datetime | None:
    """A time the phone reported, if it is believable."""
    if not isinstance(raw, str):
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    now = utcnow()
    return moment if now - OLDEST_INTERVIEW <= moment <= now + CLOCK_DRIFT else None


def read_queued_interview(
    payload: object, key: str | None, definition: SurveyDefinition
) -> QueuedInterview:
    """The interview in a sync request's JSON body (``{"language", "place", "fields",
    "started_at", "finished_at", "interviewer"}``) with its idempotency ``key``."""
    key = clean_text(key, MAX_KEY)
    if not isinstance(payload, Mapping):
        raise RefusedInterview("invalid_json")
    if key is None or not is_storable(key):
        raise RefusedInterview("key_required")
    language = payload.get("language")
    if language not in definition.languages:
        raise RefusedInterview("unknown_language")
    return QueuedInterview(
        key=key,
        language=str(language),
        place=clean_text(payload.get("place"), MAX_PLACE),
        fields=_fields(payload.get("fields")),
        started_at=_moment(payload.get("started_at")),
        finished_at=_moment(payload.get("finished_at")),
        interviewer=_user_id(payload.get("interviewer")),
    )


def _user_id(raw: object) -> int | None:
    return raw if isinstance(raw, int) and not isinstance(raw, bool) else None


def store_interview(
    session: Session, survey: Survey, interview: QueuedInterview, *, interviewer: Any
) -> Submission:
    """Store ``interview`` as a response taken down by ``interviewer`` (once per key).

    Raises what :func:`submit_response` raises: ``InvalidAnswers`` (nothing stored,
    the phone keeps the interview to correct it) and ``IdempotencyKeyReused``; and
    ``RefusedInterview("other_interviewer")`` when another interviewer took it down on a
    shared phone: it is theirs to send, so that the response names who entered it.
    """
    if interview.interviewer is not None and interview.interviewer != interviewer.id:
        raise RefusedInterview("other_interviewer")
    target = get_survey_for_intake(session, survey.slug)
    assert target is not None  # the caller checked that the survey takes answers
    submission = submit_response(
        session,
        version=target.version,
        answers=form_answers(target.definition, interview.fields),
        language=interview.language,
        channel=Channel.INTERVIEWER,
        idempotency_key=interview.key,
        started_at=interview.started_at,
        submitted_at=interview.finished_at,
        entered_by=interviewer,
        definition=target.definition,
        has_themes=target.has_themes,
    )
    if submission.created and interview.place:
        submission.response.place = interview.place
        session.flush()
    return submission


@dataclass(frozen=True)
class OfflinePage:
    """One page of the survey as the offline form shows it (every page on one form)."""

    title: Text | None
    description: Text | None
    questions: list[QuestionView]
    conditions: dict[str, str]
    """When to ask each question asked only if an earlier answer calls for it, by code."""


def offline_pages(
    definition: SurveyDefinition,
    language: str,
    values: Mapping[str, Sequence[str]],
    errors: Sequence[AnswerError] = (),
) -> list[OfflinePage]:
    """Every page of the survey in ``language``, with ``values`` and ``errors`` shown."""
    pages = []
    conditions = printed_conditions(definition, language)
    for page in definition.pages:
        pages.append(
            OfflinePage(
                title=localized_optional(page.title, language, definition),
                description=localized_optional(page.description, language, definition),
                questions=build_question_views(
                    definition, page.questions, language, values, errors
                ),
                conditions={
                    q.code: conditions[q.code] for q in page.questions if q.code in conditions
                },
            )
        )
    return pages


def refused_answers(
    definition: SurveyDefinition, language: str, errors: Sequence[AnswerError]
) -> list[dict[str, str]]:
    """Each refused answer for the phone: the question, where it is, and why."""
    shown = []
    codes = {q.code: q for q in definition.questions()}
    for error in errors:
        question = codes.get(error.question)
        shown.append(
            {
                "question": error.question,
                "field": get_type(question.type).first_field_id(question) if question else "",
                "label": localized(question.label, language, definition).text if question else "",
                "message": answer_error_message(error),
            }
        )
    return shown
