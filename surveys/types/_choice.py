"""What the choice types share: options, "please specify" text and select lists."""

from __future__ import annotations

from typing import Any

from surveys.conditions import Comparison
from surveys.errors import DefinitionProblem
from surveys.schema import Question, other_key
from surveys.types.base import N_, Cleaned, QuestionType, clean_text, is_storable
from surveys.types.xlsform_io import (
    Cells,
    XLSFormReading,
    XLSFormRow,
    XLSFormWriting,
    list_argument,
)

OTHER_TEXT_MAX_LENGTH = 500
_VALUE_OPS = frozenset({"equals", "not_equals", "in", "contains"})


class ChoiceType(QuestionType):
    """Options to choose from; one option may ask to specify (text in ``q__other``)."""

    has_options = True
    filterable = True
    editor_fields = ("options", "options.specify")
    required_fields = ("options",)
    messages = {"other_text_required": N_("Say what “other” means for you.")}
    select_type = "select_one"
    """The XLSForm type it is written as."""

    def first_field_id(self, q: Question) -> str:
        return f"{q.code}-0"  # the first radio button or checkbox

    def check(self, q: Question, path: str) -> list[DefinitionProblem]:
        problems = []
        if not q.options:
            problems.append(DefinitionProblem(f"{path}.options", "options_required"))
        if sum(o.specify for o in q.options) > 1:
            problems.append(DefinitionProblem(f"{path}.options", "several_specify_options"))
        return problems

    def unknown_condition_values(self, q: Question, comparison: Comparison) -> list[Any]:
        if comparison.op not in _VALUE_OPS:
            return []
        values = comparison.value if comparison.op == "in" else (comparison.value,)
        return [v for v in values if q.option(str(v)) is None]

    def _other(self, q: Question, chosen: list[str], other: Any) -> Cleaned | str | None:
        specify = q.specify_option
        if specify is None or specify.value not in chosen:
            return None
        text = clean_text(other) if isinstance(other, str) else ""
        field = other_key(q.code)
        if not is_storable(text):
            return self.error(q, "unstorable_text", field=field)
        if not text:
            return self.error(q, "other_text_required", field=field)
        if len(text) > OTHER_TEXT_MAX_LENGTH:
            return self.error(q, "too_long", field=field, max=OTHER_TEXT_MAX_LENGTH)
        return text

    # -- XLSForm -----------------------------------------------------------------------

    def read_xlsform(self, row: XLSFormRow, sheet: XLSFormReading) -> dict[str, Any] | None:
        list_name = list_argument(row, sheet, or_other=True)
        if list_name is None:
            return None
        options = sheet.choices(row.number, list_name)
        if options is None:
            return None
        if len(row.args) == 2 and not any(o.get("specify") for o in options):
            options.append({"value": "other", "label": sheet.word("other"), "specify": True})
        return {"type": self.name, "options": options}

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        sheet.option_list(q)
        return {"type": f"{self.select_type} {q.code}"}

    def write_xlsform(self, q: Question, row: Cells, sheet: XLSFormWriting) -> None:
        """The question's row, then a ``<code>__other`` text row for "please specify",
        labelled with the option's ``specify_label`` (Engage's "Please specify" without)."""
        super().write_xlsform(q, row, sheet)
        specify = q.specify_option
        if specify is not None:
            sheet.append(
                {
                    "type": "text",
                    "name": other_key(q.code),
                    **sheet.text_cells("label", specify.specify_label or sheet.word("specify")),
                    "required": "yes",
                    "relevant": f"selected(${{{q.code}}}, '{specify.value}')",
                }
            )
