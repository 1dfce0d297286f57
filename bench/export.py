"""Memory of a response export: 10,000 and 100,000 responses, streamed as CSV, JSON,
Excel, and as a zip of CSV answers written as labels with the codebook (``csv+book``),
filtered by date in SQL.

Budget (DESIGN.md): 100,000 responses streamed in bounded memory. The baseline is the
same export of a tenth as many responses in the same run: bounded memory means the peak
hardly grows with the number of responses (a ratio near 1, not near 10).

Usage: python bench/export.py [--responses 100000]
Builds a throwaway SQLite database with one published survey, inserts the responses in
bulk, then streams each export to /dev/null while tracemalloc records the peak.
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
    session.execute(
        sa.insert(Response),
        [
            {
                "id": start + i,
                "survey_version_id": version_id,
                "language": "en",
                "channel": "web",
                "submitted_at": now,
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


VARIANTS = ("csv", "json", "xlsx", "csv+book")


def _options(variant: str):  # type: ignore[no-untyped-def]
    from datetime import date

    from engage.exports.services import ExportFilter, ExportOptions

    if variant != "csv+book":
        return ExportOptions(format=variant)
    return ExportOptions(
        format="csv",
        filter=ExportFilter(submitted_from=date(2000, 1, 1)),
        labels="es",
        codebook=True,
    )


def _measure(session, survey, variant: str) -> tuple[float, float, int]:
    from engage.exports.writers import stream_export

    tracemalloc.start()
    began = time.perf_counter()
    size = 0
    for chunk in stream_export(session, survey, _options(variant)):
        size += len(chunk)
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20, seconds, size


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
            print(f"{'responses':>10} {'format':>8} {'peak MiB':>9} {'seconds':>8} {'MiB out':>8}")
            results = {}
            for count in (small, args.responses):
                if count == args.responses:
                    _fill(db.session, version_id, small + 1, args.responses - small)
                    db.session.commit()
                for fmt in VARIANTS:
                    db.session.expunge_all()
                    survey = db.session.merge(survey)
                    peak, seconds, size = _measure(db.session, survey, fmt)
                    results[count, fmt] = peak
                    print(f"{count:>10} {fmt:>8} {peak:>9.1f} {seconds:>8.1f} {size / 2**20:>8.1f}")
            for fmt in VARIANTS:
                ratio = results[args.responses, fmt] / results[small, fmt]
                print(f"peak ratio {fmt} ({args.responses} / {small} responses): {ratio:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
