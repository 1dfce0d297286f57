"""Opening an uploaded ``.xlsx`` within an import's bounds, its sheets read row by row.

``openpyxl.load_workbook(read_only=True)`` reads every sheet once while opening it when
the sheet has no ``<dimension>`` element (as files written by streaming tools often
have), so a sheet of 600,000 rows costs tens of seconds before its first row is seen.
Here the sheets are opened without that scan: their rows are read as they are asked for,
and the file underneath refuses to be read past the import's deadline.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from os import PathLike
from typing import IO, Any

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from surveys.errors import ImportFailed, ImportProblem
from surveys.limits import ImportBudget

UNREADABLE_PARTS = (SyntaxError, KeyError, ValueError, zipfile.BadZipFile, OSError, EOFError)
"""What openpyxl raises for a workbook whose parts (zip entries, their XML) are broken
(``xml.etree`` and lxml parse errors are both ``SyntaxError``s)."""


class _Sheet(ReadOnlyWorksheet):
    """A read-only sheet that does not read itself through to learn its size."""

    def _get_size(self) -> None:
        return None


class _TimedFile(io.BytesIO):
    """The uploaded bytes, refusing to be read once the import's time is up."""

    def __init__(self, data: bytes, budget: ImportBudget) -> None:
        super().__init__(data)
        self.budget = budget

    def read(self, size: int | None = -1, /) -> bytes:
        self.budget.check_time()
        return super().read(size)


def not_a_workbook(code: str = "not_an_xlsx_file") -> ImportFailed:
    return ImportFailed([ImportProblem("", 0, code, {})])


@contextmanager
def open_sheets(data: bytes, budget: ImportBudget) -> Iterator[list[Any]]:
    """The workbook's worksheets (``.title``, ``.iter_rows(values_only=True)``).

    Raises :class:`ImportFailed`: ``not_an_xlsx_file`` for a file that is no workbook or
    whose parts are broken, or the bound of ``budget`` it goes past. Reading rows later
    may raise the same.
    """
    budget.check_zip(io.BytesIO(data))
    try:
        reader = ExcelReader(_TimedFile(data, budget), read_only=True, data_only=True)
    except ImportFailed:
        raise
    except (InvalidFileException, *UNREADABLE_PARTS):
        raise not_a_workbook() from None
    try:
        try:
            reader.read_manifest()
            reader.read_strings()
            reader.read_workbook()
            apply_stylesheet(reader.archive, reader.wb)
            sheets = [
                _Sheet(reader.wb, sheet.name, rel.target, reader.shared_strings)
                for sheet, rel in reader.parser.find_sheets()
                if rel.target in reader.valid_files and "chartsheet" not in rel.Type
            ]
        except ImportFailed:
            raise
        except UNREADABLE_PARTS:
            raise not_a_workbook() from None
        yield sheets
    finally:
        reader.archive.close()


def sheet_rows(sheet: Any, budget: ImportBudget) -> Iterator[tuple[Any, ...]]:
    """The sheet's rows as tuples of values, within the budget's rows and time.

    Broken XML met on the way is ``not_an_xlsx_file``.
    """
    rows = budget.rows(sheet.iter_rows(values_only=True), sheet.title)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except ImportFailed:
            raise
        except UNREADABLE_PARTS:
            raise not_a_workbook() from None
        yield row


def source_bytes(source: str | PathLike[str] | bytes | IO[bytes]) -> bytes:
    """The bytes of a path, a binary file or bytes."""
    if isinstance(source, bytes):
        return source
    if hasattr(source, "read"):
        return source.read()
    with open(source, "rb") as file:
        return file.read()
