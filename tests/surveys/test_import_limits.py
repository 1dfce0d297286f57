"""Imports stop at their bounds: rows, time and unzipped size, with a code saying which."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from openpyxl import Workbook

from surveys import ImportFailed
from surveys.limits import ImportLimits
from surveys.translation_files import read_translation_file
from surveys.xlsform import import_xlsform


def _xlsform(rows: int, *, write_only: bool = True) -> bytes:
    # A streamed workbook has no <dimension> element: the case openpyxl reads through.
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet("survey") if write_only else book.active
    if not write_only:
        sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    for n in range(rows):
        sheet.append(["text", f"q{n}", f"Question {n}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _codes(failed: pytest.ExceptionInfo[ImportFailed]) -> list[tuple[str, dict]]:
    return [(p.message_code, p.params) for p in failed.value.problems]


@pytest.mark.parametrize("write_only", [True, False])
def test_xlsform_past_the_row_bound_is_refused(write_only):
    limits = ImportLimits(max_rows=50)
    assert len(import_xlsform(_xlsform(49, write_only=write_only), limits).definition.pages)
    with pytest.raises(ImportFailed) as failed:
        import_xlsform(_xlsform(50, write_only=write_only), limits)
    assert _codes(failed) == [("too_many_rows", {"limit": 50})]


def _with_sheet_data(sheet_data: bytes, *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A one-sheet ("survey") workbook whose sheet XML holds ``sheet_data``, no dimension."""
    buffer = io.BytesIO()
    book = Workbook()
    book.active.title = "survey"
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:A1" />', b"")
                data = data.replace(b"<sheetData>", b"<sheetData>" + sheet_data)
            target.writestr(info, data, compression)
    return out.getvalue()


def _cell(column: str, row: int, text: str) -> str:
    return f'<c r="{column}{row}" t="inlineStr"><is><t>{text}</t></is></c>'


def _rows_xml(count: int) -> bytes:
    rows = [f'<row r="1">{_cell("A", 1, "type")}{_cell("B", 1, "name")}</row>']
    rows += [
        f'<row r="{n}">{_cell("A", n, "text")}{_cell("B", n, f"q{n}")}</row>'
        for n in range(2, count + 1)
    ]
    return "".join(rows).encode()


def test_a_large_xlsform_is_refused_without_being_read_through():
    data = _with_sheet_data(_rows_xml(100_000))
    started = time.perf_counter()
    with pytest.raises(ImportFailed) as failed:
        import_xlsform(data, ImportLimits(max_rows=1_000, max_unzipped_bytes=10**9))
    assert _codes(failed) == [("too_many_rows", {"limit": 1_000})]
    assert time.perf_counter() - started < 1.0


def test_translation_files_past_the_row_bound_are_refused():
    limits = ImportLimits(max_rows=10)
    csv = ("key,source (en),translation (es)\n" + "k,a,b\n" * 10).encode()
    po = b'msgid ""\nmsgstr ""\n\n' + b'msgctxt "k"\nmsgid "a"\nmsgstr "b"\n\n' * 10
    for data, fmt in ((csv, "csv"), (po, "po"), (_xlsform(10), "xlsx")):
        with pytest.raises(ImportFailed) as failed:
            read_translation_file(data, fmt, limits)
        assert _codes(failed) == [("too_many_rows", {"limit": 10})], fmt


def test_an_import_past_its_time_is_refused():
    with pytest.raises(ImportFailed) as failed:
        import_xlsform(_xlsform(3_000), ImportLimits(max_seconds=0))
    assert _codes(failed) == [("import_too_slow", {"seconds": 0})]


def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_read():
    bomb = _with_sheet_data(b" " * (3 * 1024 * 1024))
    assert len(bomb) < 50_000
    limits = ImportLimits(max_unzipped_bytes=2 * 1024 * 1024)
    for read in (
        lambda: import_xlsform(bomb, limits),
        lambda: read_translation_file(bomb, "xlsx", limits),
    ):
        with pytest.raises(ImportFailed) as failed:
            read()
        assert _codes(failed) == [("unzipped_too_large", {"megabytes": 2})]


def test_text_forms_past_the_row_bound_are_refused():
    limits = ImportLimits(max_rows=10)
    csv = "survey,type,name,label\n" + "".join(f",text,q{n},Q{n}\n" for n in range(12))
    markdown = "| survey |\n| | type | name | label |\n" + "".join(
        f"| | text | q{n} | Q{n} |\n" for n in range(12)
    )
    for data in (csv, markdown):
        with pytest.raises(ImportFailed) as failed:
            import_xlsform(data.encode(), limits)
        assert _codes(failed) == [("too_many_rows", {"limit": 10})]
