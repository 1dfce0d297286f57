"""A survey's responses as rows, read in batches so that memory stays bounded.

What the rows need of the survey is read before the first row: a web download is
streamed after the request's own session has ended, and reads with a new one.

``export_table`` gives the header and an iterator of rows (one per response, every
version of the survey, oldest first); the writers in :mod:`engage.exports.writers`
stream them as CSV, Excel or JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from engage.audit.services import record
from engage.campaigns.waves import Wave
from engage.models import AuditAction, Response, Survey, SurveyVersion
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


def _responses(
    session: Session, survey_id: int, where: ExportFilter, progress: Progress | None = None
) -> Iterator[Response]:
    """The responses, oldest first, read ``BATCH_SIZE`` at a time by id (keyset): each
    batch is a short query of its own, so no cursor stays open between batches, only one
    batch is held at a time, and ``progress`` (given the count so far after each batch)
    may commit."""
    query = (
        _matching(survey_id, where)
        .order_by(Response.id)
        .limit(BATCH_SIZE)
        .options(selectinload(Response.answers), joinedload(Response.entered_by))
    )
    after, done = 0, 0
    while True:
        batch = session.scalars(query.where(Response.id > after)).all()
        if not batch:
            return
        after = batch[-1].id
        done += len(batch)
        yield from batch
        del batch
        if progress is not None:
            progress(done)


def count_matching(session: Session, survey: Survey, where: ExportFilter) -> int:
    """How many responses an export of ``survey`` filtered by ``where`` holds."""
    query = _matching(survey.id, where).with_only_columns(sa.func.count(Response.id))
    return session.scalar(query) or 0


def _interviewer(response: Response) -> str | None:
    person = response.entered_by
    return (person.name or person.email) if person is not None else None


def response_record(response: Response, number: int) -> dict[str, Any]:
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
        "interviewer": _interviewer(response),
        "place": response.place,
        "form_number": response.form_number,
        "answers": {answer.question_code: answer.value for answer in response.answers},
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
