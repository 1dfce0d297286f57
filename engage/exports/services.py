"""A survey's responses as rows, read in batches so that memory stays bounded.

What the rows need of the survey is read before the first row: a web download is
streamed after the request's own session has ended, and reads with a new one.

``export_table`` gives the header and an iterator of rows (one per response, every
version of the survey, oldest first); the writers in :mod:`engage.exports.writers`
stream them as CSV, Excel or JSON.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.audit.services import record
from engage.campaigns.waves import Wave
from engage.models import Answer, AuditAction, Response, Survey, SurveyVersion, User
from engage.responses.services import definition_of
from surveys.codebook import FixedLabels, label_answers, labelled_cells
from surveys.export import answer_cells, table_columns

BATCH_SIZE = 500
FORMATS = ("csv", "xlsx", "json")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


@dataclass(frozen=True)
class ExportFilter:
    """Which responses an export holds; ``None``: any. Dates are whole days in UTC, both
    ends included. Set-aside responses (duplicates, spam) are never exported.

    A new filter is a field here and a line in :meth:`clauses`.
    """

    submitted_from: date | None = None
    submitted_to: date | None = None
    channel: str | None = None
    language: str | None = None
    wave: Wave | None = None  # a period of the survey (engage.campaigns.waves)

    def clauses(self) -> list[sa.ColumnElement[bool]]:
        """The SQL conditions on ``Response`` this filter stands for."""
        clauses: list[sa.ColumnElement[bool]] = []
        if self.submitted_from is not None:
            clauses.append(Response.submitted_at >= _day_start(self.submitted_from))
        if self.submitted_to is not None:
            end = _day_start(self.submitted_to + timedelta(days=1))
            clauses.append(Response.submitted_at < end)
        if self.channel:
            clauses.append(Response.channel == self.channel)
        if self.language:
            clauses.append(Response.language == self.language)
        if self.wave is not None:
            clauses.extend(self.wave.conditions(Response.submitted_at))
        return clauses

    def as_detail(self) -> dict[str, str]:
        """The filters in use, as text for the audit log."""
        values = {
            "from": self.submitted_from.isoformat() if self.submitted_from else None,
            "to": self.submitted_to.isoformat() if self.submitted_to else None,
            "channel": self.channel,
            "language": self.language,
            "wave": str(self.wave.number) if self.wave else None,
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class ExportOptions:
    """What to export and how: the format, the filter, codes or the labels of one
    language (``labels``), and whether a codebook comes with the responses."""

    format: str = "csv"
    filter: ExportFilter = field(default_factory=ExportFilter)
    labels: str | None = None
    codebook: bool = False


@dataclass(frozen=True)
class ExportTable:
    """The header of a response export and its rows, read lazily."""

    columns: list[str]
    rows: Iterator[dict[str, Any]]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


Progress = Callable[[int], None]


def _matching(survey_id: int, where: ExportFilter) -> sa.Select[Any]:
    return (
        sa.select(Response)
        .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
        .where(SurveyVersion.survey_id == survey_id, ~Response.is_excluded, *where.clauses())
    )


@dataclass
class ExportedResponse:
    """What an export needs of one response, read as plain values (not ORM objects)."""

    id: int
    survey_version_id: int
    submitted_at: datetime | None
    started_at: datetime | None
    language: str
    channel: str
    source_tag: str | None
    area: str | None
    interviewer: str | None
    place: str | None
    form_number: str | None
    answers: dict[str, Any] = field(default_factory=dict)


_COLUMNS = (
    Response.id,
    Response.survey_version_id,
    Response.submitted_at,
    Response.started_at,
    Response.language,
    Response.channel,
    Response.source_tag,
    Response.area,
    sa.func.coalesce(sa.func.nullif(User.name, ""), User.email),
    Response.place,
    Response.form_number,
)


def _version_responses(
    session: Session, version_id: int, where: ExportFilter
) -> Iterator[ExportedResponse]:
    """One version's responses in id order, ``BATCH_SIZE`` at a time (keyset on the index
    of the version's responses, which is in id order: no sort, whatever the size)."""
    query = (
        sa.select(*_COLUMNS)
        .outerjoin(User, User.id == Response.entered_by_id)
        .where(Response.survey_version_id == version_id, ~Response.is_excluded, *where.clauses())
        .order_by(Response.id)
        .limit(BATCH_SIZE)
    )
    after = 0
    while True:
        rows = session.execute(query.where(Response.id > after))
        batch = [ExportedResponse(*row) for row in rows]
        if not batch:
            return
        by_id = {response.id: response for response in batch}
        answers = session.execute(
            sa.select(Answer.response_id, Answer.question_code, Answer.value).where(
                Answer.response_id.in_(list(by_id))
            )
        )
        for response_id, code, value in answers:
            by_id[response_id].answers[code] = value
        after = batch[-1].id
        yield from batch
        del batch, by_id


def _responses(
    session: Session, survey_id: int, where: ExportFilter, progress: Progress | None = None
) -> Iterator[ExportedResponse]:
    """The responses, oldest first: each version's read ``BATCH_SIZE`` at a time, each
    batch a short query of its own (no cursor stays open, at most a batch per version is
    held), merged by id. ``progress`` is told the count so far every ``BATCH_SIZE``
    responses and at the end; it may commit."""
    versions = session.scalars(
        sa.select(SurveyVersion.id)
        .where(SurveyVersion.survey_id == survey_id)
        .order_by(SurveyVersion.id)
    ).all()
    streams = [_version_responses(session, version, where) for version in versions]
    done = 0
    for response in heapq.merge(*streams, key=lambda response: response.id):
        yield response
        done += 1
        if progress is not None and done % BATCH_SIZE == 0:
            progress(done)
    if progress is not None and done % BATCH_SIZE:
        progress(done)


def count_matching(session: Session, survey: Survey, where: ExportFilter) -> int:
    """How many responses an export of ``survey`` filtered by ``where`` holds."""
    query = _matching(survey.id, where).with_only_columns(sa.func.count(Response.id))
    return session.scalar(query) or 0


def response_record(response: ExportedResponse, number: int) -> dict[str, Any]:
    """A response's metadata and its raw answers by question code (the JSON export)."""
    return {
        "response_id": response.id,
        "survey_version": number,
        "submitted_at": _iso(response.submitted_at),
        "started_at": _iso(response.started_at),
        "language": response.language,
        "channel": str(response.channel),
        "source": response.source_tag,
        "area": response.area,
        "interviewer": response.interviewer,
        "place": response.place,
        "form_number": response.form_number,
        "answers": response.answers,
    }


def export_records(
    session: Session,
    survey: Survey,
    options: ExportOptions | None = None,
    fixed: FixedLabels | None = None,
    progress: Progress | None = None,
) -> Iterator[dict[str, Any]]:
    """Every response of ``survey`` that ``options`` keep, as a :func:`response_record`,
    oldest first; with ``options.labels``, coded answers as labels in that language."""
    options = options or ExportOptions()
    definitions = {v.id: definition_of(v) for v in survey.versions}
    numbers = {v.id: v.number for v in survey.versions}
    survey_id = survey.id

    def records() -> Iterator[dict[str, Any]]:
        for response in _responses(session, survey_id, options.filter, progress):
            record = response_record(response, numbers[response.survey_version_id])
            if options.labels:
                definition = definitions[response.survey_version_id]
                record["answers"] = label_answers(
                    definition, record["answers"], options.labels, fixed
                )
            yield record

    return records()


def export_table(
    session: Session,
    survey: Survey,
    options: ExportOptions | None = None,
    fixed: FixedLabels | None = None,
    progress: Progress | None = None,
) -> ExportTable:
    """The flat table of ``survey``'s responses: metadata columns, then answer columns."""
    options = options or ExportOptions()
    versions = sorted(survey.versions, key=lambda v: v.number, reverse=True)
    definitions = {v.id: definition_of(v) for v in versions}
    columns = table_columns(definitions[v.id] for v in versions)
    numbers = {v.id: v.number for v in versions}
    survey_id = survey.id
    labels = options.labels

    def rows() -> Iterator[dict[str, Any]]:
        for response in _responses(session, survey_id, options.filter, progress):
            record = response_record(response, numbers[response.survey_version_id])
            answers = record.pop("answers")
            definition = definitions[response.survey_version_id]
            record.update(  # a question coded like a metadata column takes its place
                labelled_cells(definition, answers, labels, fixed)
                if labels
                else answer_cells(definition, answers)
            )
            yield record

    return ExportTable(columns, rows())


def survey_by_slug(session: Session, slug: str) -> Survey | None:
    return session.scalar(sa.select(Survey).where(Survey.slug == slug))


def record_export(
    session: Session,
    survey: Survey,
    options: ExportOptions,
    *,
    actor: Any,
    background: bool = False,
) -> None:
    """Note in the audit log that ``actor`` exported ``survey``'s responses, and how
    (``background``: into a file built by a job, see :mod:`engage.exports.files`)."""
    detail: dict[str, Any] = {"format": options.format, **options.filter.as_detail()}
    if options.labels:
        detail["labels"] = options.labels
    if options.codebook:
        detail["codebook"] = True
    if background:
        detail["background"] = True
    record(session, AuditAction.EXPORTED, actor=actor, subject=survey, detail=detail)


def count_responses(session: Session, survey: Survey) -> tuple[int, int]:
    """How many of ``survey``'s responses an export can hold, and how many are set aside
    (duplicates, spam: never exported)."""
    rows = session.execute(
        sa.select(Response.is_excluded, sa.func.count(Response.id))
        .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
        .where(SurveyVersion.survey_id == survey.id)
        .group_by(Response.is_excluded)
    ).all()
    counts = {bool(excluded): count for excluded, count in rows}
    return counts.get(False, 0), counts.get(True, 0)
