"""Real-form trial of the XLSForm import (issue 15): every form in a folder, dry run.

Usage: python bench/xlsform_corpus.py FOLDER [--areas "North,South"] [--codes]
(with PYTHONPATH=. and ENGAGE_ENV=testing, as for the tests)

Each file in FOLDER (``.xlsx``, ``.xls``, ``.csv``, ``.md``, ``.json``) goes through
:func:`engage.builder.survey_import.read_survey_file`, the same reading the upload and
``engage import survey --dry-run`` use, in process (an application on a throwaway SQLite
database, for the configuration and the messages; nothing is stored). Choice files a
form names (``select_one_from_file fruits.csv``) are read from FOLDER/media/, so that
they are not taken for forms. For each form it prints whether it would be imported or is
refused, how many rows were left out, changed or not kept, and every message, with its
place in the file. A crash (an exception other than the
importer's own refusal) is counted and printed with the form's name; the trial goes on.
The totals end the output: forms, share imported, refused, crashes.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

FORM_SUFFIXES = (".xlsx", ".xls", ".csv", ".md", ".json")


@dataclass
class Outcome:
    """What became of one form."""

    name: str
    status: str  # "imported", "refused" or "crash"
    counts: dict[str, int] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


def try_form(path: Path, media: Path, areas: tuple[str, ...], codes: bool) -> Outcome:
    """Read one form as the dry run does; never raises."""
    from engage.builder.survey_import import read_survey_file
    from engage.cli import MediaFiles
    from engage.web.messages import (
        IMPORT_OUTCOMES,
        import_problem_line,
        import_problem_message,
    )
    from engage.web.uploads import import_limits

    try:
        preview = read_survey_file(
            path.name, path.read_bytes(), import_limits(), MediaFiles(media, ()), areas
        )
        lines = []
        for problem in (*preview.report, *preview.problems):
            outcome = str(IMPORT_OUTCOMES.get(problem.outcome, "")) or "Refused"
            code = f" [{problem.message_code}]" if codes else ""
            lines.append(f"{outcome}: {import_problem_line(problem)}{code}")
        for problem in preview.definition_problems:
            message = import_problem_message(problem.code, problem.params)
            lines.append(f"Refused: {problem.path}: {message}")
        if preview.refused:
            return Outcome(path.name, "refused", {}, lines)
        counts = dict(preview.counts)
        return Outcome(path.name, "imported", counts, lines)
    except Exception:  # a crash is what this trial looks for
        return Outcome(path.name, "crash", {}, traceback.format_exc().splitlines())


def report(outcomes: list[Outcome]) -> None:
    """Per form, then the totals."""
    for outcome in outcomes:
        counts = outcome.counts
        detail = ""
        if outcome.status == "imported":
            detail = (
                f" ({counts['questions']} questions on {counts['pages']} pages; "
                f"left out {counts.get('left_out', 0)}, changed {counts.get('adapted', 0)}, "
                f"not kept {counts.get('ignored', 0)})"
            )
        print(f"== {outcome.name}: {outcome.status.upper()}{detail}")
        for line in outcome.lines:
            print(f"   {line}")
    total = len(outcomes)
    imported = sum(o.status == "imported" for o in outcomes)
    refused = sum(o.status == "refused" for o in outcomes)
    crashes = [o.name for o in outcomes if o.status == "crash"]
    share = f"{imported / total:.0%}" if total else "-"
    print()
    print(f"forms {total}, imported {imported} ({share}), refused {refused}, ", end="")
    print(f"crashes {len(crashes)}")
    if crashes:
        print("crashed: " + ", ".join(crashes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--areas", default="", help="The campaign's areas, comma-separated.")
    parser.add_argument("--codes", action="store_true", help="Show each message's code too.")
    args = parser.parse_args()
    areas = tuple(a.strip() for a in args.areas.split(",") if a.strip())
    forms = sorted(
        p for p in args.folder.iterdir() if p.is_file() and p.suffix.lower() in FORM_SUFFIXES
    )

    from engage import create_app

    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "ENGAGE_ENV": "testing",
                "SECRET_KEY": "bench",
                "DATABASE_URL": f"sqlite:///{folder}/bench.sqlite",
            }
        )
        with app.test_request_context("/"):
            report([try_form(path, args.folder / "media", areas, args.codes) for path in forms])


if __name__ == "__main__":
    main()
