"""Multiple choice: a list of option values in option order (specify text in ``q__other``).

An exclusive option ("prefer not to say") cannot be combined with others; ``max_choices``
caps how many may be chosen.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from surveys.schema import Question, other_key
from surveys.types._choice import ChoiceType
from surveys.types.base import N_, NP_, Cleaned, FormData, first_value, form_values, register

_COUNT = re.compile(r"^count-selected\(\s*\.\s*\)\s*<=\s*(\d+)$")


@register
class MultipleChoice(ChoiceType):
    name = "multiple_choice"
    label = N_("Multiple choice")
    description = N_("Choose every answer that applies.")
    position = 40
    multiple = True
    counts_choices = True
    storage = "choices"
    editor_fields = ("options", "options.specify", "options.exclusive", "max_choices")
    messages = {
        **ChoiceType.messages,
        "exclusive_choice": N_("“Prefer not to say” cannot be combined with other answers."),
        "too_many_choices": NP_(
            "Choose at most %(num)d answer.", "Choose at most %(num)d answers.", "max"
        ),
    }
    select_type = "select_multiple"
    xlsform_types = ("select_multiple",)
    xlsform_default_for = ("select_multiple",)

    def read_form(self, q: Question, form: FormData) -> tuple[Any, Any]:
        return form_values(form, q.code) or None, first_value(form, other_key(q.code))

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw == [] or raw == "":
            return Cleaned()
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            return self.error(q, "invalid_value", expected="list_of_strings")
        invalid = [v for v in raw if q.option(v) is None]
        if invalid:
            return self.error(q, "invalid_choice", values=invalid)
        chosen = [o.value for o in q.options if o.value in raw]
        exclusive = [o.value for o in q.options if o.value in chosen and o.is_exclusive]
        if exclusive and len(chosen) > 1:
            return self.error(q, "exclusive_choice", value=exclusive[0])
        if q.max_choices is not None and len(chosen) > q.max_choices:
            return self.error(q, "too_many_choices", max=q.max_choices, count=len(chosen))
        text = self._other(q, chosen, other)
        if isinstance(text, Cleaned):
            return text
        return Cleaned(chosen, text)

    def read_xlsform_constraint(
        self, part: str, question: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        m = _COUNT.match(part)
        return {"max_choices": int(m[1])} if m else None

    def xlsform_constraints(self, q: Question) -> list[str]:
        return [] if q.max_choices is None else [f"count-selected(.) <= {q.max_choices}"]

    # -- exports: the chosen values, then 1/0 for each option (blank: unanswered) -----

    def export_columns(self, q: Question) -> list[str]:
        columns = super().export_columns(q)
        return [columns[0], *(f"{q.code}/{o.value}" for o in q.options), *columns[1:]]

    def export_cells(self, q: Question, answers: Mapping[str, Any]) -> dict[str, Any]:
        cells = super().export_cells(q, answers)
        chosen = answers.get(q.code)
        if isinstance(chosen, list):
            cells.update({f"{q.code}/{o.value}": int(o.value in chosen) for o in q.options})
        return cells

    def import_value(self, q: Question, cells: Mapping[str, str]) -> Any:
        text = (cells.get(q.code) or "").strip()
        if text:
            return text.split()
        ticked = [o.value for o in q.options if (cells.get(f"{q.code}/{o.value}") or "") == "1"]
        return ticked or None
