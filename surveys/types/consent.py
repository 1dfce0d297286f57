"""Consent: one "I agree" box, stored as ``True``; ``acknowledge`` in XLSForm.

Unticked is unanswered; required means it must be ticked.
"""

from __future__ import annotations

from typing import Any

from surveys.errors import AnswerError
from surveys.schema import Question
from surveys.types.base import N_, Cleaned, QuestionType, register
from surveys.types.xlsform_io import Cells, XLSFormWriting

_TRUTHY = frozenset({"yes", "true", "on", "1", "agree", "ok"})
_FALSY = frozenset({"no", "false", "off", "0"})


@register
class Consent(QuestionType):
    name = "consent"
    label = N_("Consent")
    description = N_("A box to tick to agree before going on.")
    position = 130
    takes_default = False  # consent is given by the resident, never filled in
    storage = "consent"
    messages = {"consent_required": N_("Tick the box to agree, or you cannot continue.")}
    xlsform_types = ("acknowledge",)
    xlsform_default_for = ("acknowledge",)

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw is False or raw == "":
            return Cleaned()
        if raw is True:
            return Cleaned(True)
        if isinstance(raw, str) and raw.strip().lower() in _TRUTHY:
            return Cleaned(True)
        if isinstance(raw, str) and raw.strip().lower() in _FALSY:
            return Cleaned()
        return self.error(q, "invalid_value", expected="boolean")

    def required_error(self, q: Question, value: Any) -> AnswerError | None:
        return AnswerError("consent_required", q.code) if value is None else None

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        return {"type": "acknowledge"}
