"""Storing an imported file of responses: all rows, or none.

The file is read and every row checked before anything is stored (see
:mod:`surveys.response_import`); then each row is stored like any other response, so its
open answers become feedback items for the analysis.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engage.audit.services import record
from engage.models import AuditAction, Channel, Survey
from engage.responses.services import definition_of, submit_response
from surveys.response_import import (
    ImportRefused,
    RowProblem,
    read_responses,
    read_table,
)

MAX_ROWS = 20_000
CHANNELS = tuple(channel.value for channel in Channel)


def import_responses(
    session: Session,
    survey: Survey,
    data: bytes,
    filename: str,
    *,
    actor: Any = None,
    default_channel: str = Channel.PAPER.value,
    max_rows: int = MAX_ROWS,
) -> int:
    """Store every response in the file, against the survey's published version.

    Returns how many were stored; :class:`ImportRefused` (nothing stored) otherwise.
    """
    version = survey.current_version
    if version is None:
        raise ImportRefused([RowProblem(0, "", "not_published")])
    definition = definition_of(version)
    header, rows = read_table(data, filename, max_rows=max_rows)
    imported = read_responses(
        definition, header, rows, channels=CHANNELS, default_channel=default_channel
    )
    entered_by = actor if getattr(actor, "is_authenticated", False) else None
    for row in imported:
        submission = submit_response(
            session,
            version=version,
            answers=row.answers,
            language=row.language,
            channel=row.channel,
            source_tag=row.source,
            submitted_at=row.submitted_at,
            entered_by=entered_by,
            definition=definition,
        )
        if row.area is not None:
            submission.response.area = row.area
        submission.response.place = row.place
        submission.response.form_number = row.form_number
    record(
        session,
        AuditAction.RESPONSES_IMPORTED,
        actor=entered_by,
        subject=survey,
        detail={"responses": len(imported), "file": filename[-120:]},
    )
    session.flush()
    return len(imported)
