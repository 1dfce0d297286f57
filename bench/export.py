"""Memory and time of a response export: 10,000 and 100,000 responses, streamed as CSV,
JSON, Excel, and with the options staff use (``+book``: filtered by date and by wave in
SQL, answers written as Spanish labels, with the codebook: a zip of two CSV files, or a
second Excel sheet); then the largest built as the background job does it.

Budget (DESIGN.md): 100,000 responses streamed in bounded memory. The baseline is the
same export of a tenth as many responses in the same run: bounded memory means the peak
hardly grows with the number of responses (a ratio near 1, not near 10).

Usage: python bench/export.py [--responses 100000]
Builds a throwaway SQLite database with one published survey, inserts the responses in
bulk (half of them entered by an interviewer, with a place and a paper form number),
then streams each export to nowhere twice: once for the wall time, once while
tracemalloc records the peak (tracing slows it several times).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.factories import make_survey  # after the path is set


def _fill(session, version_id: int, start: int, count: int) -> None:
    import sqlalchemy as sa

    from engage.models import Answer, Response
    from engage.orm import utcnow

    now = utcnow()
    interviewer = _interviewer(session)
    session.execute(
        sa.insert(Response),
        [
            {
                "id": start + i,
                "survey_version_id": version_id,
                "language": "en",
                "channel": "web" if i % 2 else "interviewer",
                "submitted_at": now,
                "entered_by_id": None if i % 2 else interviewer,
                "place": None if i % 2 else "Northgate library",
                "form_number": None if i % 2 else f"P-{start + i:06d}",
            }
            for i in range(count)
        ],
    )
    session.execute(
        sa.insert(Answer),
        [
            row
            for i in range(count)
            for row in (
                {
                    "response_id": start + i,
                    "question_code": "obstacle",
                    "value": f"The number {i} bus never comes on time, so I am late for work",
                },
                {"response_id": start + i, "question_code": "bus_importance", "value": i % 11},
                {"response_id": start + i, "question_code": "area", "value": "north"},
            )
        ],
    )


def _interviewer(session) -> int:
    import sqlalchemy as sa

    from engage.models import User

    found = session.scalar(sa.select(User.id).where(User.email == "bench@example.org"))
    if found is None:
        user = User(email="bench@example.org", name="Amina", password_hash="-", role="interviewer")
        session.add(user)
        session.flush()
        found = user.id
    return found


VARIANTS = ("csv", "json", "xlsx", "csv+book", "xlsx+book")


def _options(variant: str):  # type: ignore[no-untyped-def]
    from datetime import UTC, date, datetime

    from engage.campaigns.waves import Wave
    from engage.exports.services import ExportFilter, ExportOptions

    fmt, _, book = variant.partition("+")
    if not book:
        return ExportOptions(format=fmt)
    return ExportOptions(
        format=fmt,
        filter=ExportFilter(
            submitted_from=date(2000, 1, 1),
            wave=Wave(1, "", datetime(2000, 1, 1, tzinfo=UTC), None),
        ),
        labels="es",
        codebook=True,
    )


def _export(session, survey, variant: str) -> int:
    from engage.exports.writers import stream_export

    size = 0
    for chunk in stream_export(session, survey, _options(variant)):
        size += len(chunk)
    return size


def _measure(session, survey, variant: str) -> tuple[float, float, float, int]:
    """Wall seconds, peak MiB and seconds under tracemalloc, MiB written."""
    began = time.perf_counter()
    size = _export(session, survey, variant)
    wall = time.perf_counter() - began
    session.expunge_all()
    survey = session.merge(survey)
    tracemalloc.start()
    began = time.perf_counter()
    _export(session, survey, variant)
    traced = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return wall, peak / 2**20, traced, size


def _background(app, session, survey, variant: str, folder: str) -> tuple[float, str, int]:
    """The export as the background job builds it (progress committed per batch)."""
    from engage.exports.files import build_export_file, options_as_json
    from engage.models import ExportFile

    app.config["EXPORT_FOLDER"] = folder
    extension = "zip" if variant == "csv+book" else variant.partition("+")[0]
    export = ExportFile(
        survey_id=survey.id,
        options=options_as_json(_options(variant)),
        download_name=f"bench-responses.{extension}",
    )
    session.add(export)
    session.commit()
    began = time.perf_counter()
    build_export_file(session, export.id)
    seconds = time.perf_counter() - began
    export = session.get(ExportFile, export.id)
    return seconds, str(export.status), export.size_bytes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000)
    args = parser.parse_args()
    small = args.responses // 10

    from flask_migrate import upgrade

    from engage import create_app
    from engage.extensions import db

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "ENGAGE_ENV": "testing",
                "SECRET_KEY": "bench",
                "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite",
            }
        )
        with app.app_context():
            upgrade()
            survey = make_survey(db.session, slug="bench")
            version_id = survey.versions[0].id
            _fill(db.session, version_id, 1, small)
            db.session.commit()
            print(
                f"{'responses':>10} {'format':>9} {'wall s':>7} {'peak MiB':>9} "
                f"{'traced s':>9} {'MiB out':>8}",
                flush=True,
            )
            results = {}
            for count in (small, args.responses):
                if count == args.responses:
                    _fill(db.session, version_id, small + 1, args.responses - small)
                    db.session.commit()
                for fmt in VARIANTS:
                    db.session.expunge_all()
                    survey = db.session.merge(survey)
                    wall, peak, traced, size = _measure(db.session, survey, fmt)
                    results[count, fmt] = peak
                    print(
                        f"{count:>10} {fmt:>9} {wall:>7.1f} {peak:>9.1f} {traced:>9.1f} "
                        f"{size / 2**20:>8.1f}",
                        flush=True,
                    )
            for fmt in VARIANTS:
                ratio = results[args.responses, fmt] / results[small, fmt]
                print(f"peak ratio {fmt} ({args.responses} / {small} responses): {ratio:.2f}")
            for fmt in ("csv+book", "xlsx+book"):
                db.session.expunge_all()
                survey = db.session.merge(survey)
                seconds, status, size = _background(app, db.session, survey, fmt, folder)
                print(
                    f"background job {fmt} ({args.responses} responses): {seconds:.1f} s, "
                    f"{status}, {size / 2**20:.1f} MiB",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
