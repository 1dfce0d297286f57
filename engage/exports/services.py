"""A survey's responses as rows, read in batches so that memory stays bounded.

What the rows need of the survey is read before the first row: a web download is
streamed after the request's own session has ended, and reads with a new one.

``export_table`` gives the header and an iterator of rows (one per response, every
version of the survey, oldest first); the writers in :mod:`engage.exports.writers`
stream them as CSV, Excel or JSON.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from engage.audit.services import record
from engage.models import AuditAction, Response, Survey, SurveyVersion
from engage.responses.services import definition_of
from surveys.export import answer_cells, table_columns

BATCH_SIZE = 500


@dataclass(frozen=True)
class ExportTable:
    """The header of a response export and its rows, read lazily."""

    columns: list[str]
    rows: Iterator[dict[str, Any]]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _responses(session: Session, survey_id: int) -> Iterator[Response]:
    query = (
        sa.select(Response)
        .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
        .where(SurveyVersion.survey_id == survey_id, ~Response.is_excluded)
        .order_by(Response.id)
        .options(selectinload(Response.answers))
        .execution_options(yield_per=BATCH_SIZE)
    )
    yield from session.scalars(query)


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
        "answers": {answer.question_code: answer.value for answer in response.answers},
    }


def export_records(session: Session, survey: Survey) -> Iterator[dict[str, Any]]:
    """Every response of ``survey`` as a :func:`response_record`, oldest first."""
    numbers = {v.id: v.number for v in survey.versions}
    survey_id = survey.id

    def records() -> Iterator[dict[str, Any]]:
        for response in _responses(session, survey_id):
            yield response_record(response, numbers[response.survey_version_id])

    return records()


def export_table(session: Session, survey: Survey) -> ExportTable:
    """The flat table of ``survey``'s responses: metadata columns, then answer columns."""
    versions = sorted(survey.versions, key=lambda v: v.number, reverse=True)
    definitions = {v.id: definition_of(v) for v in versions}
    columns = table_columns(definitions[v.id] for v in versions)
    numbers = {v.id: v.number for v in versions}
    survey_id = survey.id

    def rows() -> Iterator[dict[str, Any]]:
        for response in _responses(session, survey_id):
            record = response_record(response, numbers[response.survey_version_id])
            answers = record.pop("answers")
            record.update(  # a question coded like a metadata column takes its place
                answer_cells(definitions[response.survey_version_id], answers)
            )
            yield record

    return ExportTable(columns, rows())


def survey_by_slug(session: Session, slug: str) -> Survey | None:
    return session.scalar(sa.select(Survey).where(Survey.slug == slug))


def record_export(session: Session, survey: Survey, fmt: str, *, actor: Any) -> None:
    """Note in the audit log that ``actor`` exported ``survey``'s responses."""
    record(session, AuditAction.EXPORTED, actor=actor, subject=survey, detail={"format": fmt})
