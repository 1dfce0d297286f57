"""Reading a campaign's responses: the filtered list, one response in words, and
setting a response aside as a duplicate or spam (it stays stored, out of the results).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import Session, joinedload

from engage.audit.services import record
from engage.campaigns.waves import Wave
from engage.models import (
    AuditAction,
    Campaign,
    ExclusionReason,
    Response,
    ResponseDraft,
    Survey,
    SurveyVersion,
    User,
)
from surveys.i18n import text_direction, text_for
from surveys.schema import Question, SurveyDefinition, other_key
from surveys.types import get_type

STATUSES = ("included", "excluded", "partial")


@dataclass(frozen=True)
class ResponseFilters:
    """What the list is narrowed to; ``None`` or empty: any."""

    survey_id: int | None = None
    channel: str | None = None
    language: str | None = None
    source: str | None = None
    area: str | None = None
    submitted_from: date | None = None
    submitted_to: date | None = None
    status: str = "included"
    entered_by_id: int | None = None  # the interviewer (or staff member) who entered it
    place: str | None = None  # where an interviewer took it down
    # One wave of the chosen survey: responses sent (drafts started) in its period.
    wave: Wave | None = None


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def responses_query(campaign: Campaign, filters: ResponseFilters) -> sa.Select[Any]:
    """The campaign's submitted responses matching ``filters``, newest first."""
    query = (
        sa.select(Response)
        .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
        .join(Survey, SurveyVersion.survey_id == Survey.id)
        .where(Survey.campaign_id == campaign.id)
        .where(Response.is_excluded if filters.status == "excluded" else ~Response.is_excluded)
        .order_by(Response.submitted_at.desc(), Response.id.desc())
        .options(joinedload(Response.entered_by))
    )
    if filters.survey_id:
        query = query.where(Survey.id == filters.survey_id)
    for column, value in (
        (Response.channel, filters.channel),
        (Response.language, filters.language),
        (Response.source_tag, filters.source),
        (Response.area, filters.area),
        (Response.entered_by_id, filters.entered_by_id),
        (Response.place, filters.place),
    ):
        if value:
            query = query.where(column == value)
    if filters.submitted_from:
        query = query.where(Response.submitted_at >= _day_start(filters.submitted_from))
    if filters.submitted_to:
        end = _day_start(filters.submitted_to + timedelta(days=1))
        query = query.where(Response.submitted_at < end)
    if filters.wave is not None:
        query = query.where(*filters.wave.conditions(Response.submitted_at))
    return query


def drafts_query(campaign: Campaign, filters: ResponseFilters) -> sa.Select[Any]:
    """Answers residents started and have not sent (yet), most recently touched first."""
    query = (
        sa.select(ResponseDraft)
        .join(SurveyVersion, ResponseDraft.survey_version_id == SurveyVersion.id)
        .join(Survey, SurveyVersion.survey_id == Survey.id)
        .where(Survey.campaign_id == campaign.id, ResponseDraft.response_id.is_(None))
        .order_by(ResponseDraft.updated_at.desc(), ResponseDraft.id.desc())
    )
    if filters.survey_id:
        query = query.where(Survey.id == filters.survey_id)
    if filters.language:
        query = query.where(ResponseDraft.language == filters.language)
    if filters.source:
        query = query.where(ResponseDraft.source_tag == filters.source)
    if filters.submitted_from:
        query = query.where(ResponseDraft.started_at >= _day_start(filters.submitted_from))
    if filters.submitted_to:
        end = _day_start(filters.submitted_to + timedelta(days=1))
        query = query.where(ResponseDraft.started_at < end)
    if filters.wave is not None:
        query = query.where(*filters.wave.conditions(ResponseDraft.started_at))
    return query


def distinct_values(session: Session, campaign: Campaign, column: Any) -> list[str]:
    """The values ``column`` (a Response column) takes in the campaign, sorted."""
    query = (
        sa.select(column)
        .distinct()
        .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
        .join(Survey, SurveyVersion.survey_id == Survey.id)
        .where(Survey.campaign_id == campaign.id, column.is_not(None))
        .order_by(column)
    )
    return [str(value) for value in session.scalars(query)]


def interviewers(session: Session, campaign: Campaign) -> list[User]:
    """The people who entered responses of the campaign (interviewers, staff), by name."""
    entered = (
        sa.select(Response.entered_by_id)
        .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
        .join(Survey, SurveyVersion.survey_id == Survey.id)
        .where(Survey.campaign_id == campaign.id)
    )
    return list(
        session.scalars(sa.select(User).where(User.id.in_(entered)).order_by(User.name, User.id))
    )


# -- one response in words -------------------------------------------------------------


@dataclass(frozen=True)
class ShownText:
    """Survey text in the reader's language, or in the language it falls back to."""

    text: str
    lang: str
    is_fallback: bool

    @property
    def dir(self) -> str:
        return text_direction(self.lang)


@dataclass(frozen=True)
class ReadableAnswer:
    """A question and its answer as a person reads them (empty ``lines``: unanswered)."""

    code: str
    label: ShownText
    lines: list[str] = field(default_factory=list)
    ordered: bool = False


def _shown(localized: Mapping[str, str], lang: str, source: str) -> ShownText:
    text, found = text_for(localized, lang, source)
    return ShownText(text, found, found != lang)


def _option_label(q: Question, value: Any, lang: str, source: str) -> str:
    option = q.option(str(value))
    return _shown(option.label, lang, source).text if option is not None else str(value)


def _lines(q: Question, answers: Mapping[str, Any], lang: str, source: str) -> list[str]:
    value = answers.get(q.code)
    if value is None:
        return []
    if isinstance(value, Mapping):  # a grid: one line per row
        rows = {r.value: _shown(r.label, lang, source).text for r in q.rows}
        return [
            f"{rows.get(row, row)}: {_option_label(q, column, lang, source)}"
            for row, column in value.items()
        ]
    if value is True or value == "yes":
        lines = [_("Yes")]
    elif value == "no" and not q.options:
        lines = [_("No")]
    elif isinstance(value, list):
        lines = [_option_label(q, v, lang, source) for v in value]
    elif q.options:
        lines = [_option_label(q, value, lang, source)]
    else:
        lines = [str(value)]
    other = answers.get(other_key(q.code))
    if other:
        lines.append(str(other))
    return lines


def readable_answers(
    definition: SurveyDefinition, answers: Mapping[str, Any], lang: str
) -> list[ReadableAnswer]:
    """Every question that takes an answer, with the answer in words, in survey order."""
    source = definition.source_language
    return [
        ReadableAnswer(
            q.code,
            _shown(q.label, lang, source),
            _lines(q, answers, lang, source),
            ordered=q.type == "ranking",
        )
        for q in definition.questions()
        if get_type(q.type).answerable
    ]


@dataclass(frozen=True)
class CalculatedValue:
    code: str
    expression: str
    value: str


def calculated_values(
    definition: SurveyDefinition, answers: Mapping[str, Any]
) -> list[CalculatedValue]:
    """The survey's calculations (XLSForm ``calculate``) as stored with the response."""
    return [
        CalculatedValue(c.code, c.expression, str(answers[c.code]) if c.code in answers else "")
        for c in definition.calculations
    ]


# -- setting aside ---------------------------------------------------------------------


def exclude_response(
    session: Session, response: Response, reason: str, note: str, *, actor: Any
) -> None:
    """Set ``response`` aside (``IllegalTransition`` if it already is), audited."""
    response.exclude(ExclusionReason(reason), note, by=actor)
    record(
        session,
        AuditAction.RESPONSE_EXCLUDED,
        actor=actor,
        subject=response,
        detail={"reason": reason},
    )
    session.flush()


def restore_response(session: Session, response: Response, *, actor: Any) -> None:
    """Count ``response`` in the results again (``IllegalTransition`` if it was not out)."""
    response.restore()
    record(session, AuditAction.RESPONSE_RESTORED, actor=actor, subject=response)
    session.flush()
