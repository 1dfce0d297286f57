"""Pick up to N: multiple choice that must set ``max_choices`` ("choose up to 3")."""

from __future__ import annotations

from surveys.errors import DefinitionProblem
from surveys.schema import Question
from surveys.types.base import N_, register
from surveys.types.multiple_choice import MultipleChoice
from surveys.types.xlsform_io import Cells, XLSFormWriting


@register
class PickUpTo(MultipleChoice):
    name = "pick_up_to"
    label = N_("Pick up to N")
    description = N_("Choose up to a set number of answers, such as the top three.")
    position = 50
    required_fields = ("options", "max_choices")
    xlsform_default_for = ()
    xlsform_engage_type = True

    def check(self, q: Question, path: str) -> list[DefinitionProblem]:
        problems = super().check(q, path)
        if q.max_choices is None:
            problems.append(DefinitionProblem(f"{path}.max_choices", "missing_field"))
        return problems

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        return {**super().xlsform_cells(q, sheet), "engage_type": "pick_up_to"}
