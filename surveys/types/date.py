"""Date: stored as ``"YYYY-MM-DD"``; typed whole or in three boxes (year, month, day)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from surveys.digits import ascii_digits
from surveys.errors import DefinitionProblem
from surveys.schema import Question
from surveys.types.base import N_, Cleaned, FormData, QuestionType, first_value, register
from surveys.types.xlsform_io import Cells, XLSFormWriting

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_BOUND = re.compile(r"^\.\s*(>=|<=)\s*date\(\s*'(\d{4}-\d{2}-\d{2})'\s*\)$")


@register
class Date(QuestionType):
    name = "date"
    label = N_("Date")
    description = N_("A date, with an optional earliest and latest date.")
    position = 110
    storage = "date"
    editor_fields = ("minimum", "maximum")
    messages = {"invalid_date": N_("Enter a real date, like 27 3 2007.")}
    xlsform_types = ("date",)
    xlsform_default_for = ("date",)

    def check(self, q: Question, path: str) -> list[DefinitionProblem]:
        return [
            DefinitionProblem(f"{path}.{name}", "invalid_date")
            for name, v in (("minimum", q.minimum), ("maximum", q.maximum))
            if v is not None and (not isinstance(v, str) or _parse_date(v) is None)
        ]

    def read_form(self, q: Question, form: FormData) -> tuple[Any, Any]:
        whole = first_value(form, q.code)
        if whole is not None:
            return whole, None
        parts = [first_value(form, f"{q.code}__{p}") for p in ("year", "month", "day")]
        if not any(parts):
            return None, None
        if not all(parts):
            return "incomplete", None
        year, month, day = (ascii_digits(p or "").strip() for p in parts)
        return f"{year.zfill(4)}-{month.zfill(2)}-{day.zfill(2)}", None

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw == "":
            return Cleaned()
        if not isinstance(raw, str):
            return self.error(q, "invalid_date")
        parsed = _parse_date(ascii_digits(raw.strip()))
        if parsed is None:
            return self.error(q, "invalid_date")
        text = parsed.isoformat()
        if isinstance(q.minimum, str) and text < q.minimum:
            return self.error(q, "below_min", min=q.minimum)
        if isinstance(q.maximum, str) and text > q.maximum:
            return self.error(q, "above_max", max=q.maximum)
        return Cleaned(text)

    def read_xlsform_constraint(
        self, part: str, question: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        m = _DATE_BOUND.match(part)
        return {"minimum" if m[1] == ">=" else "maximum": m[2]} if m else None

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        return {"type": "date"}

    def xlsform_constraints(self, q: Question) -> list[str]:
        return [
            f". {op} date('{value}')"
            for op, value in ((">=", q.minimum), ("<=", q.maximum))
            if value is not None
        ]


def _parse_date(text: str) -> date | None:
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
