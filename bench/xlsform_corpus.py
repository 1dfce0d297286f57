"""Real-form trial of the XLSForm import (issue 15): every form in a folder, dry run.

Usage: python bench/xlsform_corpus.py FOLDER [--areas "North,South"] [--codes] [--as-xlsx]
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

With ``--as-xlsx``, each text form (``.csv``, ``.md``) is also written as a real
``.xlsx`` workbook with openpyxl (one worksheet per sheet of the form, named as the form
names it, cells as Excel would store what was typed: whole numbers, decimals, TRUE/FALSE
and ISO dates as such, the rest as text) and read again through the same function; the
output then ends with every form whose outcome, counts or messages differ between the
text and the workbook (none is the expected answer). ``--save-xlsx FOLDER`` keeps the
workbooks, for ``engage import survey``.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import io
import re
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


_INTEGER = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]*\.[0-9]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def excel_value(text: str | None) -> object:
    """What Excel stores when ``text`` is typed in a cell."""
    if text is None or not text.strip():
        return None
    value = text.strip()
    if _INTEGER.fullmatch(value) and not (value.startswith("0") and len(value) > 1):
        return int(value)
    if _DECIMAL.fullmatch(value):
        return float(value)
    if value.upper() in ("TRUE", "FALSE"):
        return value.upper() == "TRUE"
    if _ISO_DATE.fullmatch(value):
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return value
    return value


def text_form_sheets(name: str, text: str) -> dict[str, list[tuple[str | None, ...]]]:
    """The sheets of a form in pyxform's CSV or Markdown form, as pyxform lays them out
    (the first column names the sheet; the rows after it are the sheet's, header first)."""
    if name.lower().endswith(".md"):
        from pyxform.xls2json_backends import _md_table_to_ss_structure

        return _md_table_to_ss_structure(text)
    sheets: dict[str, list[tuple[str | None, ...]]] = {}
    current = None
    for row in csv.reader(io.StringIO(text, newline="")):
        if not row:
            continue
        if row[0].strip():
            current = sheets.setdefault(row[0].strip(), [])
        cells = tuple(c.strip() or None for c in row[1:])
        if current is not None and any(cells):
            current.append(cells)
    return sheets


def text_form_to_xlsx(name: str, data: bytes) -> bytes:
    """The workbook a person would have typed the text form into."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in text_form_sheets(name, data.decode("utf-8-sig")).items():
        sheet = book.create_sheet(title=title[:31])
        for row in rows:
            sheet.append([excel_value(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def try_form(path: Path, media: Path, areas: tuple[str, ...], codes: bool) -> Outcome:
    """Read one form as the dry run does; never raises."""
    return try_bytes(path.name, path.read_bytes(), media, areas, codes)


def try_bytes(name: str, data: bytes, media: Path, areas: tuple[str, ...], codes: bool) -> Outcome:
    """Read one form's bytes as the dry run does; never raises."""
    from engage.builder.survey_import import read_survey_file
    from engage.cli import MediaFiles
    from engage.web.messages import (
        IMPORT_OUTCOMES,
        import_problem_line,
        import_problem_message,
    )
    from engage.web.uploads import import_limits

    try:
        preview = read_survey_file(name, data, import_limits(), MediaFiles(media, ()), areas)
        lines = []
        for problem in (*preview.report, *preview.problems):
            outcome = str(IMPORT_OUTCOMES.get(problem.outcome, "")) or "Refused"
            code = f" [{problem.message_code}]" if codes else ""
            lines.append(f"{outcome}: {import_problem_line(problem)}{code}")
        for problem in preview.definition_problems:
            message = import_problem_message(problem.code, problem.params)
            lines.append(f"Refused: {problem.path}: {message}")
        if preview.refused:
            return Outcome(name, "refused", {}, lines)
        counts = dict(preview.counts)
        return Outcome(name, "imported", counts, lines)
    except Exception:  # a crash is what this trial looks for
        return Outcome(name, "crash", {}, traceback.format_exc().splitlines())


def as_xlsx(
    path: Path, media: Path, areas: tuple[str, ...], codes: bool, keep: Path | None
) -> Outcome:
    """The text form at ``path`` written as a workbook, then read; never raises."""
    name = path.with_suffix(".xlsx").name
    try:
        data = text_form_to_xlsx(path.name, path.read_bytes())
    except Exception:
        lines = ["(writing the workbook)", *traceback.format_exc().splitlines()]
        return Outcome(name, "crash", {}, lines)
    if keep is not None:
        (keep / name).write_bytes(data)
    return try_bytes(name, data, media, areas, codes)


def differences(texts: list[Outcome], books: list[Outcome]) -> None:
    """Each form whose workbook was not read as its text was."""
    print()
    differ = 0
    for text, book in zip(texts, books, strict=True):
        same = (text.status, text.counts, text.lines) == (book.status, book.counts, book.lines)
        if same:
            continue
        differ += 1
        print(f"!= {text.name} {text.status} {text.counts}")
        print(f"   {book.name} {book.status} {book.counts}")
        for line in text.lines:
            if line not in book.lines:
                print(f"   text only: {line}")
        for line in book.lines:
            if line not in text.lines:
                print(f"   xlsx only: {line}")
    print(f"text forms read again as .xlsx: {len(texts)}, read differently: {differ}")


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
    parser.add_argument(
        "--as-xlsx", action="store_true", help="Also read each text form written as .xlsx."
    )
    parser.add_argument("--save-xlsx", type=Path, help="Keep the workbooks in this folder.")
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
        media = args.folder / "media"
        with app.test_request_context("/"):
            outcomes = [try_form(path, media, areas, args.codes) for path in forms]
            report(outcomes)
            if args.as_xlsx or args.save_xlsx:
                if args.save_xlsx:
                    args.save_xlsx.mkdir(parents=True, exist_ok=True)
                pairs = [
                    (outcome, as_xlsx(path, media, areas, args.codes, args.save_xlsx))
                    for path, outcome in zip(forms, outcomes, strict=True)
                    if path.suffix.lower() in (".csv", ".md")
                ]
                print()
                print("== The text forms written as .xlsx workbooks")
                books = [book for _text, book in pairs]
                report(books)
                differences([text for text, _book in pairs], books)


if __name__ == "__main__":
    main()
