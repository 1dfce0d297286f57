"""Choices read from a CSV file uploaded beside the form (``select_one_from_file``).

An XLSForm row ``select_one_from_file stops.csv`` takes its choices from the file
``stops.csv`` (a form's "media file"): a ``name`` column (the value stored) and a
``label`` column, with ``label::<language>`` columns for translations, as ODK Collect
reads it. Other columns are kept, like the extra columns of the ``choices`` sheet, where a
``choice_filter`` compares them.

A file is all-or-nothing: one bad row (no name, no label, a name given twice) and none of
its choices are used; each bad row is listed with its row and column, and the question is
left out. The file is read within the import's row and time bounds.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from surveys.errors import ImportFailed, ImportProblem
from surveys.limits import ImportBudget

MAX_CHOICE_FILE_BYTES = 5 * 1024 * 1024
MAX_LISTED_PROBLEMS = 20
"""Row problems listed per file; the rest are counted."""


@dataclass(frozen=True)
class ChoiceFile:
    """A CSV of choices as read: its rows (``(row number, {header: text})``, row 1 being
    the header) or, when it cannot be used, the problems that say why."""

    name: str
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[int, dict[str, str]], ...] = ()
    problems: tuple[ImportProblem, ...] = ()

    @property
    def usable(self) -> bool:
        return not self.problems


def _problem(file: str, row: int, code: str, column: str = "", **params: Any) -> ImportProblem:
    return ImportProblem(file, row, code, {"file": file, **params}, column, "left_out")


def read_choice_file(name: str, data: bytes, budget: ImportBudget) -> ChoiceFile:
    """The choices of the CSV file ``name``; a file or row Engage cannot use gives a
    :class:`ChoiceFile` with ``problems`` (never raises, except when the import's time is
    up)."""
    if len(data) > MAX_CHOICE_FILE_BYTES:
        megabytes = MAX_CHOICE_FILE_BYTES // (1024 * 1024)
        return ChoiceFile(
            name, problems=(_problem(name, 0, "choice_file_too_large", megabytes=megabytes),)
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ChoiceFile(name, problems=(_problem(name, 0, "choice_file_not_utf8"),))
    if "\x00" in text or not text.strip():
        code = "choice_file_not_csv" if text.strip() else "choice_file_empty"
        return ChoiceFile(name, problems=(_problem(name, 0, code),))
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip() for h in next(reader, [])]
        records = list(budget.rows(reader, name))
    except csv.Error:
        return ChoiceFile(name, problems=(_problem(name, 0, "choice_file_not_csv"),))
    except ImportFailed as failed:
        if failed.problems and failed.problems[0].message_code == "too_many_rows":
            limit = failed.problems[0].params.get("limit")
            return ChoiceFile(
                name, problems=(_problem(name, 0, "choice_file_too_many_rows", limit=limit),)
            )
        raise
    keys = [h.lower() for h in header]
    missing = [c for c in ("name", "label") if c not in keys and not _has_language(keys, c)]
    if "name" not in keys:
        missing = ["name"]
    if missing:
        return ChoiceFile(
            name, problems=(_problem(name, 1, "choice_file_columns", column=missing[0]),)
        )
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[ImportProblem] = []
    seen: dict[str, int] = {}
    for number, values in enumerate(records, start=2):
        row = {}
        for key, value in zip(header, values, strict=False):
            if key and value.strip() and key not in row:
                row[key] = value.strip()
        if not row:
            continue  # a blank line
        lowered = {k.lower(): v for k, v in row.items()}
        value = lowered.get("name", "")
        name_column = header[keys.index("name")] if "name" in keys else "name"
        if not value:
            problems.append(_problem(name, number, "choice_file_missing_name", name_column))
        elif value in seen:
            first = seen[value]
            code = "choice_file_duplicate_name"
            problems.append(_problem(name, number, code, name_column, name=value, first=first))
        else:
            seen[value] = number
        if not any(k.split(":")[0] == "label" for k in lowered):
            column = header[keys.index("label")] if "label" in keys else "label"
            problems.append(_problem(name, number, "choice_file_missing_label", column))
        rows.append((number, row))
    if not rows and not problems:
        problems.append(_problem(name, 0, "choice_file_empty"))
    if len(problems) > MAX_LISTED_PROBLEMS:
        more = len(problems) - MAX_LISTED_PROBLEMS
        problems = problems[:MAX_LISTED_PROBLEMS]
        problems.append(_problem(name, 0, "choice_file_more_problems", count=more))
    return ChoiceFile(name, tuple(header), tuple(rows), tuple(problems))


def _has_language(keys: list[str], base: str) -> bool:
    return any(k.split(":")[0] == base and ":" in k for k in keys)
