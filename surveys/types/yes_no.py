"""Yes or no: stored as ``"yes"`` or ``"no"``; ``select_one yes_no`` in XLSForm."""

from __future__ import annotations

from typing import Any

from surveys.conditions import Comparison
from surveys.schema import Question
from surveys.types.base import N_, Cleaned, QuestionType, register
from surveys.types.xlsform_io import (
    Cells,
    XLSFormReading,
    XLSFormRow,
    XLSFormWriting,
    list_argument,
)

_VALUES = ("yes", "no")


@register
class YesNo(QuestionType):
    name = "yes_no"
    label = N_("Yes or no")
    description = N_("Answer yes or no.")
    position = 70
    storage = "yes_no"
    xlsform_types = ("select_one",)
    xlsform_engage_type = True

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw == "":
            return Cleaned()
        if isinstance(raw, bool):
            return Cleaned("yes" if raw else "no")
        if isinstance(raw, str) and raw.strip().lower() in _VALUES:
            return Cleaned(raw.strip().lower())
        return self.error(q, "invalid_choice", value=str(raw))

    def answer_values(self, q: Question) -> list[str]:
        return list(_VALUES)

    def first_field_id(self, q: Question) -> str:
        return f"{q.code}-0"  # the "yes" radio button

    def unknown_condition_values(self, q: Question, comparison: Comparison) -> list[Any]:
        if comparison.op in ("equals", "not_equals") and comparison.value not in _VALUES:
            return [comparison.value]
        return []

    def read_xlsform(self, row: XLSFormRow, sheet: XLSFormReading) -> dict[str, Any] | None:
        list_name = list_argument(row, sheet)
        options = None if list_name is None else sheet.choices(row.number, list_name)
        if options is None:
            return None
        if tuple(o["value"] for o in options) != _VALUES:
            sheet.problem(row.number, "yes_no_list_must_be_yes_no", list=list_name)
            return None
        return {"type": self.name}

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        sheet.add_list("yes_no", [(v, sheet.word(v), {}) for v in _VALUES])
        return {"type": "select_one yes_no", "engage_type": "yes_no"}
