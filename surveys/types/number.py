"""Number: ``int``, or with ``decimals`` ``int``/``float``; ``integer``/``decimal`` in XLSForm."""

from __future__ import annotations

from typing import Any

from surveys.schema import Question
from surveys.types._numeric import NumericType
from surveys.types.base import N_, register
from surveys.types.xlsform_io import Cells, XLSFormReading, XLSFormRow, XLSFormWriting


@register
class Number(NumericType):
    name = "number"
    label = N_("Number")
    description = N_("A number, such as an age or a count, with optional limits.")
    position = 100
    storage = "number"
    editor_fields = ("minimum", "maximum", "decimals")
    xlsform_types = ("integer", "int", "decimal")
    xlsform_default_for = ("integer", "int", "decimal")

    def allows_decimals(self, q: Question) -> bool:
        return q.decimals

    def read_xlsform(self, row: XLSFormRow, sheet: XLSFormReading) -> dict[str, Any] | None:
        fields = super().read_xlsform(row, sheet)
        if fields is not None and row.base == "decimal":
            fields["decimals"] = True
        return fields

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        return {"type": "decimal" if q.decimals else "integer"}

    def xlsform_constraints(self, q: Question) -> list[str]:
        return [
            f". {op} {value}"
            for op, value in ((">=", q.minimum), ("<=", q.maximum))
            if value is not None
        ]
