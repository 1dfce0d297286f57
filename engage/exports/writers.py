"""Writing an export as CSV, Excel or JSON, a chunk at a time.

Each writer takes what :mod:`engage.exports.services` reads and yields bytes, so a web
response or a file is written while the rows are still being read from the database.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from sqlalchemy.orm import Session

from engage.exports.codebook import (
    build_codebook,
    codebook_header,
    codebook_rows,
    fixed_labels,
    languages_of,
)
from engage.exports.services import (
    ExportOptions,
    ExportTable,
    Progress,
    export_records,
    export_table,
)
from engage.models import Survey
from surveys.export import formula_safe

CHUNK_ROWS = 200
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "zip": "application/zip",
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


def _xlsx_cells(sheet: Any, values: Iterable[Any]) -> list[WriteOnlyCell]:
    cells = []
    for value in values:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        cells.append(cell)
    return cells


def iter_xlsx(table: ExportTable, codebook: dict[str, Any] | None = None) -> Iterator[bytes]:
    """An Excel workbook written in openpyxl's write-only mode (rows go to disk); with
    a ``codebook``, a second sheet "Codebook"."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("responses")
    sheet.append(_xlsx_cells(sheet, table.columns))
    for row in table.rows:
        sheet.append(_xlsx_cells(sheet, (row.get(column) for column in table.columns)))
    if codebook is not None:
        book = workbook.create_sheet("Codebook")
        book.append(_xlsx_cells(book, codebook_header(codebook)))
        for values in codebook_rows(codebook):
            book.append(_xlsx_cells(book, values))
    with tempfile.TemporaryFile() as spool:
        workbook.save(spool)
        spool.seek(0)
        while chunk := spool.read(64 * 1024):
            yield chunk


def iter_json(
    records: Iterable[dict[str, Any]], codebook: dict[str, Any] | None = None
) -> Iterator[bytes]:
    """A JSON array of response records, one per line inside the brackets; with a
    ``codebook``, an object ``{"codebook": {...}, "responses": [...]}``."""
    if codebook is not None:
        yield b'{"codebook": ' + json.dumps(codebook, ensure_ascii=False).encode()
        yield b',\n"responses": '
    yield b"[\n"
    for number, record in enumerate(records):
        separator = ",\n" if number else ""
        yield (separator + json.dumps(record, ensure_ascii=False)).encode()
    yield b"\n]}\n" if codebook is not None else b"\n]\n"


def iter_codebook_csv(codebook: dict[str, Any]) -> Iterator[bytes]:
    """The codebook as a CSV file (UTF-8 with a byte-order mark), formula-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(codebook_header(codebook))
    for values in codebook_rows(codebook):
        writer.writerow([_cell_text(value) for value in values])
    yield ("\ufeff" + buffer.getvalue()).encode()


class _ZipSink:
    """A write-only stream that hands on what a ``ZipFile`` writes (no seeking)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


def iter_zip(files: Iterable[tuple[str, Iterator[bytes]]]) -> Iterator[bytes]:
    """A zip archive of ``files`` (name, chunks), streamed as it is written."""
    sink = _ZipSink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:  # type: ignore[arg-type]
        for name, chunks in files:
            with archive.open(name, "w", force_zip64=True) as member:
                for chunk in chunks:
                    member.write(chunk)
                    if sink.parts:
                        yield sink.take()
    yield sink.take()


def file_extension(options: ExportOptions) -> str:
    """The extension of the file an export downloads as (a CSV with its codebook: zip)."""
    return "zip" if options.format == "csv" and options.codebook else options.format


def stream_export(
    session: Session,
    survey: Survey,
    options: ExportOptions | str | None = None,
    *,
    progress: Progress | None = None,
) -> Iterator[bytes]:
    """``survey``'s responses as a file in ``options.format`` (``csv``, ``xlsx`` or
    ``json``), filtered, as codes or labels, with the codebook if asked: in the CSV's
    case, a zip of ``responses.csv`` and ``codebook.csv``. ``progress`` is told how many
    responses were read after each batch."""
    if not isinstance(options, ExportOptions):
        options = ExportOptions(format=options or "csv")
    fixed = fixed_labels(languages_of(survey)) if options.labels else None
    codebook = build_codebook(survey, options) if options.codebook else None
    if options.format == "json":
        return iter_json(export_records(session, survey, options, fixed, progress), codebook)
    table = export_table(session, survey, options, fixed, progress)
    if options.format == "xlsx":
        return iter_xlsx(table, codebook)
    if codebook is None:
        return iter_csv(table)
    files = [("responses.csv", iter_csv(table)), ("codebook.csv", iter_codebook_csv(codebook))]
    return iter_zip(files)
