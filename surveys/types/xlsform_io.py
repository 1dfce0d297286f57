"""What a question type sees of an XLSForm: one ``survey`` row, and the reader or writer.

Framework-free on purpose: the workbook itself is handled by :mod:`surveys.xlsform`, which
implements :class:`XLSFormReading` and :class:`XLSFormWriting` for the types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol

from surveys.schema import LocalizedText, Question

Cells = dict[str, Any]
"""One row of the ``survey`` sheet being written: column name to value."""
ChoiceItem = tuple[str, LocalizedText, dict[str, str]]
"""One row of the ``choices`` sheet: (name, label per language, extra columns)."""


@dataclass(frozen=True)
class XLSFormRow:
    """One ``survey`` row: ``base`` is its lower-cased XLSForm type (``"select_one"``,
    ``"begin group"`` …) and ``args`` the words after it (``("areas", "or_other")``)."""

    number: int
    cells: Mapping[str, str]
    base: str
    args: tuple[str, ...] = ()

    @property
    def type(self) -> str:
        """The type cell as written (whitespace normalised)."""
        return " ".join(self.cells.get("type", "").split())

    def cell(self, column: str) -> str:
        return self.cells.get(column, "")

    @property
    def engage_type(self) -> str:
        return self.cell("engage_type")

    @property
    def appearances(self) -> frozenset[str]:
        return frozenset(self.cell("appearance").split())

    @property
    def is_required(self) -> bool:
        return self.cell("required").strip().lower() in ("yes", "true", "true()", "1", "y")


class XLSFormReading(Protocol):
    """The importer, as question types see it."""

    languages: list[str]

    def problem(self, row: int, code: str, /, **params: Any) -> None:
        """``row`` cannot be read: it is left out, and ``code`` says why in the report."""

    def adapt(self, row: int, code: str, /, **params: Any) -> None:
        """``row`` is read with a change, which ``code`` names in the report."""

    def choices(self, row: int, list_name: str) -> list[dict[str, Any]] | None:
        """A copy of the options of ``list_name``; reports ``unknown_choice_list`` if none."""

    def texts(self, cells: Mapping[str, str], base: str) -> LocalizedText:
        """The text of column ``base`` (``label``, ``hint``) in every language column."""

    def word(self, key: str) -> LocalizedText:
        """A word Engage supplies itself (``yes``, ``no``, ``other``, ``specify``)."""


class XLSFormGroupReading(Protocol):
    """Reads a question written as a group of rows (a grid), one row at a time."""

    def add(self, row: XLSFormRow) -> None:
        """A question row inside the group."""

    def finish(self) -> dict[str, Any] | None:
        """The question's type-specific fields (with ``required``), or None after problems."""


class XLSFormWriting(Protocol):
    """The exporter, as question types see it."""

    languages: list[str]

    def text_cells(self, column: str, text: LocalizedText) -> dict[str, str]:
        """``{"label::English (en)": ..., ...}`` for ``text``."""

    def add_list(self, name: str, items: list[ChoiceItem]) -> None:
        """Add a choice list (once: a second list of the same name is skipped)."""

    def option_list(self, q: Question) -> None:
        """Add ``q.options`` as the choice list named ``q.code``."""

    def word(self, key: str) -> LocalizedText:
        """A word Engage supplies itself (``yes``, ``no``, ``other``, ``specify``)."""

    def append(self, cells: Cells) -> None:
        """Add a row to the ``survey`` sheet."""


def list_argument(row: XLSFormRow, sheet: XLSFormReading, *, or_other: bool = False) -> str | None:
    """The choice list name of ``select_one <list>`` (``[or_other]`` when allowed)."""
    args = row.args
    if len(args) == 1 or (or_other and len(args) == 2 and args[1] == "or_other"):
        return args[0]
    sheet.problem(row.number, "unsupported_type", type=row.type)
    return None
