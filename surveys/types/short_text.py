"""Short text: a line of text, stored stripped and NFC-normalised."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from surveys.schema import Question
from surveys.types.base import N_, Cleaned, QuestionType, clean_text, is_storable, register
from surveys.types.xlsform_io import Cells, XLSFormWriting

_LENGTH = re.compile(r"^string-length\(\s*\.\s*\)\s*<=\s*(\d+)$")


@register
class ShortText(QuestionType):
    name = "short_text"
    label = N_("Short text")
    description = N_("A line of text, such as a name or a street.")
    position = 10
    analysable_as_text = True
    storage = "text"
    editor_fields = ("max_length",)
    xlsform_types = ("text",)
    xlsform_default_for = ("text",)
    default_max_length = 500

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None:
            return Cleaned()
        if not isinstance(raw, str):
            return self.error(q, "invalid_value", expected="string")
        if not is_storable(raw):
            return self.error(q, "unstorable_text")
        text = clean_text(raw)
        limit = q.max_length or self.default_max_length
        if len(text) > limit:
            return self.error(q, "too_long", max=limit, length=len(text))
        return Cleaned(text or None)

    def read_xlsform_constraint(
        self, part: str, question: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        m = _LENGTH.match(part)
        return {"max_length": int(m[1])} if m else None

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        return {"type": "text"}

    def xlsform_constraints(self, q: Question) -> list[str]:
        return [] if q.max_length is None else [f"string-length(.) <= {q.max_length}"]
