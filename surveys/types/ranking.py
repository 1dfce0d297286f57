"""Ranking: residents put the options in order of preference.

Without JavaScript each option has a select of ranks beside it (fields
``<code>__<option>``); every rank is used once and every option gets one. Stored as the
``list[str]`` of option values, most preferred first. From JSON the same list is sent.
In XLSForm: ``rank <list>`` (ODK's rank widget).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from surveys.digits import ascii_digits
from surveys.errors import DefinitionProblem
from surveys.schema import Question
from surveys.types.base import N_, Cleaned, FormData, QuestionType, first_value, register
from surveys.types.xlsform_io import (
    Cells,
    XLSFormReading,
    XLSFormRow,
    XLSFormWriting,
    list_argument,
)


@register
class Ranking(QuestionType):
    name = "ranking"
    label = N_("Ranking")
    description = N_("Put the options in order, from the most to the least preferred.")
    position = 65
    has_options = True
    multiple = True
    takes_default = False  # an order of preference is the resident's own
    storage = "ranking"
    editor_fields = ("options",)
    required_fields = ("options",)
    messages = {
        "rank_missing": N_("Give every option a rank."),
        "rank_repeated": N_("Give each option a different rank."),
        "rank_invalid": N_("Choose a rank from the list for each option."),
    }
    xlsform_types = ("rank",)
    xlsform_default_for = ("rank",)

    def check(self, q: Question, path: str) -> list[DefinitionProblem]:
        problems = []
        if not q.options:
            problems.append(DefinitionProblem(f"{path}.options", "options_required"))
        if any(o.specify for o in q.options):
            problems.append(DefinitionProblem(f"{path}.options", "specify_not_supported"))
        return problems

    def answer_values(self, q: Question) -> list[str]:
        return []  # an order, not a choice: skip logic does not look at it

    def first_field_id(self, q: Question) -> str:
        return f"{q.code}__{q.options[0].value}" if q.options else q.code

    def form_values(self, q: Question, answer: Any) -> dict[str, list[str]]:
        if not isinstance(answer, list):
            return {}
        return {f"{q.code}__{value}": [str(rank)] for rank, value in enumerate(answer, 1)}

    def read_form(self, q: Question, form: FormData) -> tuple[Any, Any]:
        ranks = {}
        for option in q.options:
            rank = first_value(form, f"{q.code}__{option.value}")
            if rank is not None:
                ranks[option.value] = rank
        return ranks or None, None

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw == {} or raw == []:
            return Cleaned()
        if isinstance(raw, Mapping):
            return self._from_ranks(q, raw)
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            return self.error(q, "invalid_value", expected="list_of_strings")
        unknown = [v for v in raw if q.option(v) is None]
        if unknown:
            return self.error(q, "invalid_choice", values=unknown)
        if len(set(raw)) != len(raw):
            return self.error(q, "rank_repeated")
        if len(raw) != len(q.options):
            return self.error(q, "rank_missing")
        return Cleaned(list(raw))

    def _from_ranks(self, q: Question, raw: Mapping[Any, Any]) -> Cleaned:
        """``{option value: rank}`` (a form's selects) into the options in rank order."""
        count = len(q.options)
        ranks: dict[str, int] = {}
        for value, rank in raw.items():
            if q.option(str(value)) is None:
                return self.error(q, "invalid_choice", values=[str(value)])
            text = ascii_digits(str(rank)).strip()
            if not text.isdigit() or not 1 <= int(text) <= count:
                return self.error(q, "rank_invalid", field=f"{q.code}__{value}")
            ranks[str(value)] = int(text)
        if len(set(ranks.values())) != len(ranks):
            return self.error(q, "rank_repeated")
        if len(ranks) != count:
            return self.error(q, "rank_missing")
        return Cleaned(sorted(ranks, key=ranks.__getitem__))

    # -- XLSForm -----------------------------------------------------------------------

    def read_xlsform(self, row: XLSFormRow, sheet: XLSFormReading) -> dict[str, Any] | None:
        list_name = list_argument(row, sheet)
        options = None if list_name is None else sheet.choices(row.number, list_name)
        if options is None:
            return None
        return {"type": self.name, "options": options}

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        sheet.option_list(q)
        return {"type": f"rank {q.code}"}

    # -- exports: the order, then each option's rank (1 = most preferred) --------------

    def export_columns(self, q: Question) -> list[str]:
        return [q.code, *(f"{q.code}/{o.value}" for o in q.options)]

    def export_cells(self, q: Question, answers: Mapping[str, Any]) -> dict[str, Any]:
        cells = super().export_cells(q, answers)
        order = answers.get(q.code)
        if isinstance(order, list):
            cells.update({f"{q.code}/{value}": rank for rank, value in enumerate(order, 1)})
        return cells

    def import_value(self, q: Question, cells: Mapping[str, str]) -> Any:
        text = (cells.get(q.code) or "").strip()
        if text:
            return text.split()
        ranks = {o.value: cells.get(f"{q.code}/{o.value}") or "" for o in q.options}
        return {value: rank for value, rank in ranks.items() if rank.strip()} or None
