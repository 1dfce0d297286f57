"""Date and time: stored as ``"YYYY-MM-DDTHH:MM"``; ``datetime`` in XLSForm.

Typed in a date-and-time field, or as text where a browser has none (``2026-03-27 14:30``,
``2026-03-27T14:30:00``; a time zone or seconds are dropped).
"""

from __future__ import annotations

import re
from typing import Any

from surveys.digits import ascii_digits
from surveys.schema import Question
from surveys.types.base import N_, Cleaned, QuestionType, register
from surveys.types.date import _parse_date
from surveys.types.time import parse_time
from surveys.types.xlsform_io import Cells, XLSFormWriting

_DATE_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]\s*([^+Z]+?)(?:Z|[+-]\d{2}:?\d{2})?$")


@register
class DateTime(QuestionType):
    name = "date_time"
    label = N_("Date and time")
    description = N_("A date with a time of day, such as when something happened.")
    position = 114
    storage = "date_time"
    messages = {"invalid_date_time": N_("Enter a date and a time, like 2026-03-27 14:30.")}
    xlsform_types = ("datetime",)
    xlsform_default_for = ("datetime",)

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw == "":
            return Cleaned()
        match = _DATE_TIME.match(ascii_digits(raw.strip())) if isinstance(raw, str) else None
        day = _parse_date(match[1]) if match else None
        time = parse_time(match[2]) if match else None
        if day is None or time is None:
            return self.error(q, "invalid_date_time")
        return Cleaned(f"{day.isoformat()}T{time}")

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        return {"type": "datetime"}
