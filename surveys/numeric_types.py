"""Numeric and date question types: number, rating, 0–10 scale, date."""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from surveys.errors import DefinitionProblem
from surveys.question_base import (
    Cleaned,
    FormData,
    QuestionType,
    ascii_digits,
    first_value,
    register,
)
from surveys.schema import Question

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _parse_number(raw: Any, *, decimals: bool) -> int | float | str:
    """The number in ``raw``, or an error code string."""
    if isinstance(raw, bool):
        return "not_a_number"
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        number: float = raw
    elif isinstance(raw, str):
        text = ascii_digits(raw.strip()).replace(" ", "").replace("\u00a0", "")
        if decimals and "," in text and "." not in text and text.count(",") == 1:
            text = text.replace(",", ".")  # decimal comma, as typed in es/fr/ar
        if re.fullmatch(r"[+-]?\d+", text):
            return int(text)
        if not re.fullmatch(r"[+-]?(\d+\.\d*|\.\d+|\d+)([eE][+-]?\d+)?", text):
            return "not_a_number"
        number = float(text)
    else:
        return "not_a_number"
    if not math.isfinite(number):
        return "not_a_number"
    if number.is_integer():
        return int(number)
    return number if decimals else "not_a_whole_number"


class _NumericBase(QuestionType):
    numeric_bounds = True

    def bounds(self, q: Question) -> tuple[Any, Any]:
        lo = q.minimum if q.minimum is not None else self.default_min
        hi = q.maximum if q.maximum is not None else self.default_max
        return lo, hi

    def check(self, q: Question, path: str) -> list[DefinitionProblem]:
        lo, hi = self.bounds(q)
        problems = [
            DefinitionProblem(f"{path}.{name}", "not_a_number")
            for name, v in (("minimum", q.minimum), ("maximum", q.maximum))
            if isinstance(v, str)
        ]
        if not problems and lo is not None and hi is not None and lo > hi:
            problems.append(DefinitionProblem(f"{path}.minimum", "minimum_above_maximum"))
        return problems

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw == "":
            return Cleaned()
        number = _parse_number(raw, decimals=q.decimals and self.name == "number")
        if isinstance(number, str):
            return self.error(q, number)
        lo, hi = self.bounds(q)
        if lo is not None and number < lo:
            return self.error(q, "below_min", min=lo)
        if hi is not None and number > hi:
            return self.error(q, "above_max", max=hi)
        return Cleaned(number)


@register
class Number(_NumericBase):
    name = "number"


@register
class Rating(_NumericBase):
    """A rating scale whose points may each carry a label (``point_labels``)."""

    name = "rating"
    default_min = 1
    default_max = 5

    def check(self, q: Question, path: str) -> list[DefinitionProblem]:
        problems = super().check(q, path)
        lo, hi = self.bounds(q)
        if problems:
            return problems
        if not all(isinstance(v, int) for v in (lo, hi)) or hi - lo > 20:
            problems.append(DefinitionProblem(f"{path}.maximum", "invalid_scale"))
            return problems
        for point in q.point_labels:
            if not re.fullmatch(r"-?\d+", point) or not lo <= int(point) <= hi:
                problems.append(
                    DefinitionProblem(f"{path}.point_labels", "invalid_point", {"point": point})
                )
        return problems

    def points(self, q: Question) -> list[int]:
        lo, hi = self.bounds(q)
        return list(range(int(lo), int(hi) + 1))


@register
class Scale(Rating):
    """The 0–10 scale (importance, satisfaction, likelihood), labelled at its ends."""

    name = "scale"
    default_min = 0
    default_max = 10


@register
class Date(QuestionType):
    name = "date"

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


def _parse_date(text: str) -> date | None:
    if not _ISO_DATE.match(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None
