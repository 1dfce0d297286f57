"""Short text: a line of text, stored stripped and NFC-normalised."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from surveys.patterns import is_valid_pattern, matches
from surveys.schema import Question
from surveys.types.base import N_, Cleaned, QuestionType, clean_text, is_storable, register
from surveys.types.xlsform_io import Cells, XLSFormWriting

_LENGTH = re.compile(r"^string-length\(\s*\.\s*\)\s*<=\s*(\d+)$")
_REGEX = re.compile(r"""^regex\(\s*\.\s*,\s*(?:'(?P<sq>[^']*)'|"(?P<dq>[^"]*)")\s*\)$""")


@register
class ShortText(QuestionType):
    name = "short_text"
    label = N_("Short text")
    description = N_("A line of text, such as a name or a street.")
    position = 10
    analysable_as_text = True
    storage = "text"
    editor_fields = ("max_length",)
    text_pattern = True
    messages = {
        "pattern_mismatch": N_("Check this answer: it is not written in the form asked for.")
    }
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
        if text and q.pattern is not None and not matches(q.pattern, text):
            return self.error(q, "pattern_mismatch")
        return Cleaned(text or None)

    def read_xlsform_constraint(
        self, part: str, question: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        m = _LENGTH.match(part)
        if m:
            return {"max_length": int(m[1])}
        m = _REGEX.match(part)
        pattern = m and (m["sq"] if m["sq"] is not None else m["dq"])
        return {"pattern": pattern} if pattern and is_valid_pattern(pattern) else None

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        return {"type": "text"}

    def xlsform_constraints(self, q: Question) -> list[str]:
        parts = [] if q.max_length is None else [f"string-length(.) <= {q.max_length}"]
        if q.pattern is not None:
            quote = "'" if "'" not in q.pattern else '"'
            parts.append(f"regex(., {quote}{q.pattern}{quote})")
        return parts
