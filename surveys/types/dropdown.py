"""Dropdown: a single choice from a long list; ``select_one`` ``minimal`` in XLSForm."""

from __future__ import annotations

from surveys.schema import Question
from surveys.types.base import N_, register
from surveys.types.single_choice import SingleChoice
from surveys.types.xlsform_io import Cells, XLSFormWriting


@register
class Dropdown(SingleChoice):
    name = "dropdown"
    label = N_("Dropdown (long list)")
    description = N_("Choose one answer from a long list, such as neighbourhoods.")
    position = 60
    xlsform_default_for = ()
    xlsform_appearances = frozenset({"minimal", "autocomplete"})

    def first_field_id(self, q: Question) -> str:
        return q.code  # the select

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        return {**super().xlsform_cells(q, sheet), "appearance": "minimal"}
