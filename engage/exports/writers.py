"""Writing an export as CSV, Excel or JSON, a chunk at a time.

Each writer takes what :mod:`engage.exports.services` reads and yields bytes, so a web
response or a file is written while the rows are still being read from the database.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy.orm import Session

from engage.exports.services import ExportTable, export_records, export_table
from engage.models import Survey
from surveys.export import formula_safe

CHUNK_ROWS = 200
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _cell_text(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return formula_safe(value)


def iter_csv(table: ExportTable) -> Iterator[bytes]:
    """UTF-8 CSV with a byte-order mark, so that Excel reads every script correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    yield ("\ufeff" + buffer.getvalue()).encode()
    buffer.seek(0)
    buffer.truncate()
    for number, row in enumerate(table.rows, 1):
        writer.writerow([_cell_text(row.get(column)) for column in table.columns])
        if number % CHUNK_ROWS == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def iter_xlsx(table: ExportTable) -> Iterator[bytes]:
    """An Excel workbook written in openpyxl's write-only mode (rows go to disk)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("responses")
    sheet.append(table.columns)
    for row in table.rows:
        cells = []
        for column in table.columns:
            value = row.get(column)
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
            cells.append(cell)
        sheet.append(cells)
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(64 * 1024):
            yield chunk


def iter_json(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """A JSON array of response records, one per line inside the brackets."""
    yield b"[\n"
    for number, record in enumerate(records):
        separator = ",\n" if number else ""
        yield (separator + json.dumps(record, ensure_ascii=False)).encode()
    yield b"\n]\n"


def stream_export(session: Session, survey: Survey, fmt: str) -> Iterator[bytes]:
    """``survey``'s responses as a file in ``fmt`` (``csv``, ``xlsx`` or ``json``)."""
    if fmt == "json":
        return iter_json(export_records(session, survey))
    table = export_table(session, survey)
    return iter_csv(table) if fmt == "csv" else iter_xlsx(table)
