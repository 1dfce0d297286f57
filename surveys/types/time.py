"""Time of day: stored as ``"HH:MM"`` (24-hour); ``time`` in XLSForm.

Typed in a time field, or as text where a browser has none: ``14:30``, ``9:05``,
``14h30``, ``2:30 pm`` are read; seconds are dropped.
"""

from __future__ import annotations

import re
from typing import Any

from surveys.digits import ascii_digits
from surveys.schema import Question
from surveys.types.base import N_, Cleaned, QuestionType, register
from surveys.types.xlsform_io import Cells, XLSFormWriting

_TIME = re.compile(
    r"^(?P<h>\d{1,2})(?:[:h.](?P<m>\d{2})(?::\d{2}(?:\.\d+)?)?)?\s*(?P<ampm>[ap]\.?m\.?)?$",
    re.IGNORECASE,
)


def parse_time(text: str) -> str | None:
    """``"14:30"`` for a time of day written in one of the usual ways, else None."""
    match = _TIME.match(ascii_digits(text.strip()).replace("\u202f", " "))
    if match is None or (match["m"] is None and match["ampm"] is None):
        return None
    hour, minute = int(match["h"]), int(match["m"] or 0)
    if match["ampm"]:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if match["ampm"][0].lower() == "p" else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


@register
class Time(QuestionType):
    name = "time"
    label = N_("Time")
    description = N_("A time of day, such as when the bus came.")
    position = 112
    storage = "time"
    messages = {"invalid_time": N_("Enter a time, like 14:30.")}
    xlsform_types = ("time",)
    xlsform_default_for = ("time",)

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw == "":
            return Cleaned()
        text = parse_time(raw) if isinstance(raw, str) else None
        if text is None:
            return self.error(q, "invalid_time")
        return Cleaned(text)

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        return {"type": "time"}
