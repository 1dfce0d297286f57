"""Responses typed in elsewhere (paper forms, another tool) read from a CSV or Excel file.

The columns are those of a response export (see :mod:`surveys.export`): question codes
(``code``, ``code__other``, ``code/<option>``, ``code/<row>``) plus ``language``,
``channel``, ``source``, ``area``, ``submitted_at``, ``place`` (where an interviewer took
it down) and ``form_number`` (the number written on a paper form) (a question with one
of these codes takes the column); an export's own ``response_id``, ``survey_version``,
``started_at`` and ``interviewer`` are read and ignored, so an export can be imported
again. Reading is all-or-nothing: every problem is reported with its row and column, and
rows are only returned when there is none.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from surveys.errors import AnswerError
from surveys.export import answer_columns
from surveys.schema import SurveyDefinition, other_key
from surveys.types import get_type, is_storable
from surveys.validation import validate_answers

META_COLUMNS = ("language", "channel", "source", "area", "submitted_at", "place", "form_number")
IGNORED_COLUMNS = ("response_id", "survey_version", "started_at", "interviewer")
MAX_SOURCE = 80
MAX_AREA = 120
MAX_PLACE = 120
MAX_FORM_NUMBER = 40
MAX_PROBLEMS = 200
MAX_UNPACKED_BYTES = 256 * 2**20
_UNREADABLE = (SyntaxError, KeyError, ValueError, zipfile.BadZipFile, OSError, EOFError)


@dataclass(frozen=True)
class RowProblem:
    """What is wrong, where: ``row`` is the spreadsheet's row number (the header is 1;
    0: the whole file) and ``column`` the column's header (empty: the whole row)."""

    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    answer_error: AnswerError | None = None


class ImportRefused(Exception):
    """The file cannot be imported; ``problems`` says every reason found."""

    def __init__(self, problems: Sequence[RowProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = list(problems)


@dataclass(frozen=True)
class ImportedResponse:
    """One row, checked: answers as the engine stores them, and where they came from."""

    row: int
    answers: dict[str, Any]
    language: str
    channel: str
    source: str | None
    area: str | None
    submitted_at: datetime | None
    place: str | None = None
    form_number: str | None = None


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _refuse(code: str, **params: Any) -> ImportRefused:
    return ImportRefused([RowProblem(0, "", code, params)])


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse("not_utf8") from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _unpacked_size(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    try:
        if _unpacked_size(data) > MAX_UNPACKED_BYTES:  # a "zip bomb"
            raise _refuse("file_too_large")
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, *_UNREADABLE):
        raise _refuse("not_an_xlsx_file") from None
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(v) for v in values]
    except _UNREADABLE:
        raise _refuse("not_an_xlsx_file") from None
    finally:
        workbook.close()


def read_table(data: bytes, filename: str, *, max_rows: int) -> tuple[list[str], list[list[str]]]:
    """The header and the data rows of a ``.csv`` or ``.xlsx`` file; blank rows dropped.

    :class:`ImportRefused` for an unreadable file, no header, or more than ``max_rows``
    data rows (reading stops there).
    """
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in ("csv", "xlsx"):
        raise _refuse("unknown_file_type")
    rows = _xlsx_rows(data) if suffix == "xlsx" else _csv_rows(data)
    header: list[str] | None = None
    body: list[list[str]] = []
    try:
        for values in rows:
            if header is None:
                header = [v.strip() for v in values]
                continue
            body.append(values)
            if len(body) > max_rows:
                raise _refuse("too_many_rows", max=max_rows)
    except csv.Error:
        raise _refuse("not_a_csv_file") from None
    if header is None or not any(header):
        raise _refuse("no_header")
    while header and not header[-1]:
        header.pop()
    return header, body


def _check_header(header: list[str], definition: SurveyDefinition) -> list[RowProblem]:
    known = {*answer_columns([definition]), *META_COLUMNS, *IGNORED_COLUMNS}
    problems = []
    seen: set[str] = set()
    for number, name in enumerate(header, 1):
        if not name:
            problems.append(RowProblem(1, "", "blank_column", {"number": number}))
        elif name in seen:
            problems.append(RowProblem(1, name, "repeated_column", {"column": name}))
        elif name not in known:
            problems.append(RowProblem(1, name, "unknown_column", {"column": name}))
        seen.add(name)
    return problems


def _submitted_at(text: str) -> datetime | str | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return "bad_date"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _answers(definition: SurveyDefinition, cells: dict[str, str]) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for q in definition.questions():
        qtype = get_type(q.type)
        if not qtype.answerable:
            continue
        value = qtype.import_value(q, cells)
        if value is not None:
            answers[q.code] = value
        other = (cells.get(other_key(q.code)) or "").strip()
        if other:
            answers[other_key(q.code)] = other
    return answers


def _read_row(
    number: int,
    cells: dict[str, str],
    definition: SurveyDefinition,
    channels: Collection[str],
    default_channel: str,
    problems: list[RowProblem],
) -> ImportedResponse | None:
    found = len(problems)
    questions = set(answer_columns([definition]))
    meta = {name: "" if name in questions else cells.get(name, "") for name in META_COLUMNS}
    for name, text in meta.items():  # answers are checked by their question types
        if not is_storable(text):
            problems.append(RowProblem(number, name, "unstorable_text"))
            meta[name] = ""
    language = meta["language"].strip() or definition.source_language
    if language not in definition.languages:
        problems.append(RowProblem(number, "language", "unknown_language", {"language": language}))
    channel = meta["channel"].strip().lower() or default_channel
    if channel not in channels:
        problems.append(RowProblem(number, "channel", "unknown_channel", {"channel": channel[:40]}))
    source = meta["source"].strip() or None
    if source is not None and len(source) > MAX_SOURCE:
        problems.append(RowProblem(number, "source", "too_long", {"max": MAX_SOURCE}))
    area = meta["area"].strip() or None
    if area is not None and len(area) > MAX_AREA:
        problems.append(RowProblem(number, "area", "too_long", {"max": MAX_AREA}))
    place = meta["place"].strip() or None
    if place is not None and len(place) > MAX_PLACE:
        problems.append(RowProblem(number, "place", "too_long", {"max": MAX_PLACE}))
    form_number = meta["form_number"].strip() or None
    if form_number is not None and len(form_number) > MAX_FORM_NUMBER:
        problems.append(RowProblem(number, "form_number", "too_long", {"max": MAX_FORM_NUMBER}))
    submitted_at = _submitted_at(meta["submitted_at"].strip())
    if isinstance(submitted_at, str):
        problems.append(RowProblem(number, "submitted_at", "bad_date"))
        submitted_at = None
    result = validate_answers(definition, _answers(definition, cells))
    for error in result.errors:
        problems.append(RowProblem(number, error.question, "answer", answer_error=error))
    if len(problems) > found:
        return None
    return ImportedResponse(
        number, result.answers, language, channel, source, area, submitted_at, place, form_number
    )


def read_responses(
    definition: SurveyDefinition,
    header: list[str],
    rows: list[list[str]],
    *,
    channels: Collection[str],
    default_channel: str,
) -> list[ImportedResponse]:
    """Every row checked against ``definition``; :class:`ImportRefused` with every
    problem (up to ``MAX_PROBLEMS``) if there is any, so nothing is half-imported."""
    problems = _check_header(header, definition)
    if problems:
        raise ImportRefused(problems)
    imported: list[ImportedResponse] = []
    for number, values in enumerate(rows, 2):
        if not any(v.strip() for v in values):
            continue
        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            problems.append(RowProblem(number, "", "extra_cells"))
            continue
        cells = dict(zip(header, values, strict=False))
        row = _read_row(number, cells, definition, channels, default_channel, problems)
        if row is not None:
            imported.append(row)
        if len(problems) >= MAX_PROBLEMS:
            break
    if problems:
        raise ImportRefused(problems)
    if not imported:
        raise _refuse("no_rows")
    return imported
