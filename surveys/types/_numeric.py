"""What the numeric types share: parsing typed numbers, bounds and ``. >= N`` constraints."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

from surveys.digits import ascii_digits
from surveys.errors import DefinitionProblem
from surveys.schema import Question
from surveys.types.base import N_, Cleaned, QuestionType

_BOUND = re.compile(r"^\.\s*(>=|<=|>|<)\s*(-?\d+(?:\.\d+)?)$")


def parse_number(raw: Any, *, decimals: bool) -> int | float | str:
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


class NumericType(QuestionType):
    """A number between optional bounds (``minimum``/``maximum`` or the type's defaults)."""

    is_numeric = True
    numeric_bounds = True
    messages = {
        "not_a_number": N_("Enter a number, like 3."),
        "not_a_whole_number": N_("Enter a whole number, like 3."),
    }

    def bounds(self, q: Question) -> tuple[Any, Any]:
        lo = q.minimum if q.minimum is not None else self.default_min
        hi = q.maximum if q.maximum is not None else self.default_max
        return lo, hi

    def allows_decimals(self, q: Question) -> bool:
        return False

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
        number = parse_number(raw, decimals=self.allows_decimals(q))
        if isinstance(number, str):
            return self.error(q, number)
        lo, hi = self.bounds(q)
        if lo is not None and number < lo:
            return self.error(q, "below_min", min=lo)
        if hi is not None and number > hi:
            return self.error(q, "above_max", max=hi)
        return Cleaned(number)

    def read_xlsform_constraint(
        self, part: str, question: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """``. >= N`` and ``. <= N`` as they are; ``. > N`` and ``. < N`` as the nearest
        whole number inside when the answer is whole (``. < 30``: at most 29). Limits
        include their number, so a strict one on a number with decimals cannot be kept:
        None (the importer then rejects the row)."""
        m = _BOUND.match(part)
        if m is None:
            return None
        op, number = m[1], float(m[2])
        if op in (">", "<"):
            if question.get("decimals"):
                return None
            number = float(math.floor(number) + 1 if op == ">" else math.ceil(number) - 1)
        value = int(number) if number.is_integer() else number
        return {"minimum" if op.startswith(">") else "maximum": value}
