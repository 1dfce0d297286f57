"""CSV and XLSX translator files: columns ``key``, ``source (en)``, ``translation (es)``.

The language codes in the column names are what the import checks. CSV is UTF-8 with a
byte-order mark, so that Excel opens it with the right characters; cells that a
spreadsheet would take for a formula (``=``, ``+``, ``-``, ``@``) are written with a
leading apostrophe, which the import removes again. In XLSX every cell is text, the key
and source columns are locked (the sheet is protected without a password, so only the
translation column can be typed into), and right-to-left languages read right to left.
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection

from surveys.errors import ImportFailed, ImportProblem
from surveys.i18n import text_direction
from surveys.limits import ImportBudget, ImportLimits
from surveys.schema import SurveyDefinition
from surveys.translation_files.model import (
    FileEntry,
    TranslationFile,
    normalize_newlines,
    translator_rows,
)
from surveys.xlsform.sheets import cell_text
from surveys.xlsform.workbook import open_sheets, sheet_rows

SHEET_TITLE = "translation"
_HEADER = re.compile(r"^\s*(key|source|translation)\s*(?:\(\s*([A-Za-z0-9_-]+)\s*\))?\s*$", re.I)
_FORMULA_START = ("=", "+", "-", "@")


def header(definition: SurveyDefinition, lang: str) -> list[str]:
    return ["key", f"source ({definition.source_language})", f"translation ({lang})"]


def _guard(text: str) -> str:
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _unguard(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:].startswith(_FORMULA_START) else text


def write_csv_file(definition: SurveyDefinition, lang: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header(definition, lang))
    for key, source, translation in translator_rows(definition, lang):
        writer.writerow([key, _guard(source), _guard(translation)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_xlsx_file(definition: SurveyDefinition, lang: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(header(definition, lang))
    for row in translator_rows(definition, lang):
        sheet.append(list(row))
    locked_fill = PatternFill("solid", fgColor="EEEEEE")
    source_order = 2 if text_direction(definition.source_language) == "rtl" else 1
    target_order = 2 if text_direction(lang) == "rtl" else 1
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = locked_fill
    for key_cell, source_cell, target_cell in sheet.iter_rows(min_row=2):
        for cell in (key_cell, source_cell, target_cell):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        key_cell.fill = locked_fill
        source_cell.fill = locked_fill
        source_cell.alignment = Alignment(wrap_text=True, vertical="top", readingOrder=source_order)
        target_cell.alignment = Alignment(wrap_text=True, vertical="top", readingOrder=target_order)
        target_cell.protection = Protection(locked=False)
    for column, width in (("A", 32), ("B", 60), ("C", 60)):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.formatCells = False
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _columns(cells: list[str], sheet: str) -> tuple[dict[str, int], dict[str, str | None]]:
    """Column positions and languages from the header row; raises if one is missing."""
    positions: dict[str, int] = {}
    languages: dict[str, str | None] = {}
    for index, cell in enumerate(cells):
        match = _HEADER.match(cell)
        if match and match[1].lower() not in positions:
            positions[match[1].lower()] = index
            languages[match[1].lower()] = match[2]
    missing = [name for name in ("key", "source", "translation") if name not in positions]
    if missing:
        raise ImportFailed(
            [ImportProblem(sheet, 1, "missing_column", {"column": name}) for name in missing]
        )
    return positions, languages


def _table(rows: list[tuple[int, list[str]]], fmt: str, sheet: str = "") -> TranslationFile:
    if not rows:
        raise ImportFailed([ImportProblem(sheet, 1, "empty_file", {})])
    first_row, header_cells = rows[0]
    positions, languages = _columns(header_cells, sheet)

    def cell(values: list[str], name: str) -> str:
        index = positions[name]
        return _unguard(normalize_newlines(values[index])) if index < len(values) else ""

    entries = tuple(
        FileEntry(
            row=number,
            key=cell(values, "key").strip(),
            source=cell(values, "source"),
            translation=cell(values, "translation"),
        )
        for number, values in rows[1:]
        if any(v.strip() for v in values)
    )
    return TranslationFile(
        format=fmt,
        language=languages["translation"],
        source_language=languages["source"],
        entries=entries,
        sheet=sheet,
        language_row=first_row,
    )


def read_csv_file(data: bytes, budget: ImportBudget | None = None) -> TranslationFile:
    """Read a CSV file (UTF-8, comma, semicolon or tab separated)."""
    budget = budget or ImportLimits().start()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = data[: error.start].count(b"\n") + 1
        raise ImportFailed([ImportProblem("", row, "not_utf8", {})]) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, values in enumerate(budget.rows(reader), start=1):
            rows.append((number, values))
    except csv.Error:
        raise ImportFailed([ImportProblem("", len(rows) + 1, "invalid_csv", {})]) from None
    return _table(rows, "csv")


def read_xlsx_file(data: bytes, budget: ImportBudget | None = None) -> TranslationFile:
    """Read an XLSX workbook: the ``translation`` sheet, or else the first one."""
    budget = budget or ImportLimits().start()
    with open_sheets(data, budget) as worksheets:
        if not worksheets:
            raise ImportFailed([ImportProblem("", 0, "empty_file", {})])
        titled = {ws.title.strip().lower(): ws for ws in worksheets}
        sheet = titled.get(SHEET_TITLE) or worksheets[0]
        rows: list[tuple[int, list[str]]] = [
            (number, [_text(value) for value in values])
            for number, values in enumerate(sheet_rows(sheet, budget), start=1)
        ]
        title = sheet.title
    return _table(rows, "xlsx", title)


def _text(value: Any) -> str:
    return "" if value is None else cell_text(value) if not isinstance(value, str) else value
