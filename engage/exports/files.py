"""Large exports, built in the background into a file kept for a limited time.

A web request streams an export of up to ``EXPORT_STREAM_LIMIT`` responses itself (5,000
by default: a second or two as CSV, a few seconds as Excel). A larger one could outlast
the server's request timeout (30 s in ``gunicorn.conf.py``; bench/README.md has the
figures for 100,000 responses), so it becomes an :class:`ExportFile`: the job
:data:`EXPORT_JOB` (``engage worker``; inline without Redis) writes it into the export
folder, committing its progress as it goes; the staff member who asked follows it on a
page and downloads the file until it expires (:data:`KEEP`), after which
:func:`purge_expired_exports` (``engage purge``) deletes it. Every export is audited
when asked for.
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import asdict
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from engage.campaigns.waves import wave_numbered
from engage.exports.services import ExportFilter, ExportOptions, count_matching, record_export
from engage.jobs import enqueue_after_commit
from engage.models import ExportFile, ExportStatus, Survey
from engage.orm import utcnow

log = logging.getLogger(__name__)

EXPORT_JOB = "engage.exports.files.build_export_file"
PURGE_JOB = "engage.exports.files.purge_expired_exports"
KEEP = timedelta(hours=24)  # how long a finished file can be downloaded


def stream_limit() -> int:
    """Most responses a request streams itself (``EXPORT_STREAM_LIMIT``, 5,000)."""
    return int(current_app.config.get("EXPORT_STREAM_LIMIT") or 5000)


def export_folder() -> Path:
    """Where export files are written (``EXPORT_FOLDER``, else ``instance/exports``): a
    folder the web processes and the workers share."""
    given = current_app.config.get("EXPORT_FOLDER")
    return Path(given) if given else Path(current_app.instance_path) / "exports"


def options_as_json(options: ExportOptions) -> dict[str, Any]:
    data = asdict(options)
    where = options.filter
    data["filter"] = {
        "submitted_from": where.submitted_from.isoformat() if where.submitted_from else None,
        "submitted_to": where.submitted_to.isoformat() if where.submitted_to else None,
        "channel": where.channel,
        "language": where.language,
        "wave": where.wave.number if where.wave else None,
    }
    return data


def options_from_json(survey: Survey, data: dict[str, Any]) -> ExportOptions:
    where = data.get("filter") or {}

    def day(key: str) -> date | None:
        return date.fromisoformat(where[key]) if where.get(key) else None

    wave = wave_numbered(survey, where["wave"]) if where.get("wave") else None
    return ExportOptions(
        format=data.get("format", "csv"),
        filter=ExportFilter(
            submitted_from=day("submitted_from"),
            submitted_to=day("submitted_to"),
            channel=where.get("channel"),
            language=where.get("language"),
            wave=wave,
        ),
        labels=data.get("labels"),
        codebook=bool(data.get("codebook")),
    )


def request_export(
    session: Session,
    survey: Survey,
    options: ExportOptions,
    download_name: str,
    *,
    actor: Any,
    total: int,
) -> ExportFile:
    """Ask for ``survey``'s export of ``total`` responses to be built in the background
    (audited); the job is sent once the request commits."""
    export = ExportFile(
        survey=survey,
        created_by_id=actor.id if actor is not None else None,
        options=options_as_json(options),
        total=total,
        download_name=download_name,
    )
    session.add(export)
    record_export(session, survey, options, actor=actor, background=True)
    session.flush()
    enqueue_after_commit(session, EXPORT_JOB, export.id)
    return export


def build_export_file(session: Session, export_id: int) -> None:
    """The job: write export ``export_id`` into the export folder, its progress committed
    after each batch of responses; it ends ``done`` with the file, or ``failed``."""
    from engage.exports.writers import stream_export

    export = session.get(ExportFile, export_id)
    if export is None or export.status != ExportStatus.QUEUED:
        return
    survey = export.survey
    options = options_from_json(survey, export.options)
    stored = f"{secrets.token_hex(16)}.{Path(export.download_name).suffix.lstrip('.')}"
    export.start(count_matching(session, survey, options.filter), stored)
    session.commit()
    folder = export_folder()
    folder.mkdir(parents=True, exist_ok=True)
    partial = _partial(folder / stored)

    def progress(written: int) -> None:
        export.advance(written)
        session.commit()

    try:
        with partial.open("wb") as stream:
            for chunk in stream_export(session, survey, options, progress=progress):
                stream.write(chunk)
        os.replace(partial, folder / stored)
        export.finish((folder / stored).stat().st_size, KEEP)
        session.commit()
    except Exception:
        log.exception("export %s failed", export_id)
        session.rollback()
        partial.unlink(missing_ok=True)
        export = session.get(ExportFile, export_id)
        export.fail("unexpected", KEEP)
        session.commit()


def _partial(path: Path) -> Path:
    return path.with_name(f"{path.name}.part")


def own_export(session: Session, export_id: int, user: Any) -> ExportFile | None:
    """Export ``export_id`` if ``user`` asked for it (nobody else sees it)."""
    export = session.get(ExportFile, export_id)
    if export is None or export.created_by_id != getattr(user, "id", None):
        return None
    return export


def file_of(export: ExportFile) -> Path | None:
    """The finished file of ``export``, while it may still be downloaded."""
    if export.status != ExportStatus.DONE or export.is_expired() or not export.stored_name:
        return None
    path = export_folder() / export.stored_name
    return path if path.is_file() else None


def recent_exports(session: Session, survey: Survey, user: Any) -> list[ExportFile]:
    """``user``'s background exports of ``survey`` not yet expired, newest first."""
    return list(
        session.scalars(
            sa.select(ExportFile)
            .where(
                ExportFile.survey_id == survey.id,
                ExportFile.created_by_id == getattr(user, "id", None),
                sa.or_(ExportFile.expires_at.is_(None), ExportFile.expires_at > utcnow()),
                # not yet built: only while a worker may still build it
                sa.or_(ExportFile.expires_at.is_not(None), ExportFile.created_at > utcnow() - KEEP),
            )
            .order_by(ExportFile.id.desc())
            .limit(10)
        )
    )


def purge_expired_exports(session: Session) -> int:
    """Delete the files and records of exports past their expiry, and of exports asked
    for longer ago than ``KEEP`` that no worker ever finished; how many."""
    now = utcnow()
    never_built = sa.and_(ExportFile.expires_at.is_(None), ExportFile.created_at <= now - KEEP)
    expired = list(
        session.scalars(
            sa.select(ExportFile).where(sa.or_(ExportFile.expires_at <= now, never_built))
        )
    )
    folder = export_folder()
    for export in expired:
        if export.stored_name:  # the file, or what a stopped job left half written
            (folder / export.stored_name).unlink(missing_ok=True)
            _partial(folder / export.stored_name).unlink(missing_ok=True)
        session.delete(export)
    session.flush()
    return len(expired)
