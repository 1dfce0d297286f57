"""Information text between questions; it has no answer. ``note`` in XLSForm."""

from __future__ import annotations

from typing import Any

from surveys.errors import AnswerError
from surveys.schema import Question
from surveys.types.base import N_, Cleaned, FormData, QuestionType, register
from surveys.types.xlsform_io import Cells, XLSFormWriting


@register
class Info(QuestionType):
    name = "info"
    label = N_("Information text (no answer)")
    description = N_("Text between questions, such as an explanation; it has no answer.")
    position = 140
    answerable = False
    takes_default = False  # nothing to answer
    storage = "none"
    xlsform_types = ("note",)
    xlsform_default_for = ("note",)

    def read_form(self, q: Question, form: FormData) -> tuple[Any, Any]:
        return None, None

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None:
            return Cleaned()
        return self.error(q, "not_answerable")

    def required_error(self, q: Question, value: Any) -> AnswerError | None:
        return None

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        return {"type": "note"}
