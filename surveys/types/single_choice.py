"""Single choice: one option value, stored as a string (specify text in ``q__other``)."""

from __future__ import annotations

from typing import Any

from surveys.schema import Question
from surveys.types._choice import ChoiceType
from surveys.types.base import N_, Cleaned, register


@register
class SingleChoice(ChoiceType):
    name = "single_choice"
    label = N_("Single choice")
    description = N_("Choose one answer from a short list.")
    position = 30
    storage = "choice"
    xlsform_types = ("select_one",)
    xlsform_default_for = ("select_one",)

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw == "":
            return Cleaned()
        if not isinstance(raw, str):
            return self.error(q, "invalid_value", expected="string")
        if q.option(raw) is None:
            return self.error(q, "invalid_choice", value=raw)
        text = self._other(q, [raw], other)
        if isinstance(text, Cleaned):
            return text
        return Cleaned(raw, text)
