"""Grid: rows × columns, one column per row; ``options`` are the columns.

Stored as ``{row value: column value}``. In XLSForm a grid is a nested ``table-list``
group with one ``select_one <code>`` row per grid row, named ``<code>_<row value>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from surveys.errors import AnswerError, DefinitionProblem
from surveys.schema import Question
from surveys.types.base import N_, Cleaned, FormData, QuestionType, first_value, register
from surveys.types.xlsform_io import (
    Cells,
    XLSFormGroupReading,
    XLSFormReading,
    XLSFormRow,
    XLSFormWriting,
)


@register
class Matrix(QuestionType):
    name = "matrix"
    label = N_("Grid (rows × columns)")
    description = N_("Answer the same question for several rows, one column per row.")
    position = 120
    has_options = True
    has_rows = True
    takes_default = False  # XLSForm grids have a default per row, not kept
    storage = "matrix"
    editor_fields = ("options", "rows")
    required_fields = ("options", "rows")
    messages = {
        "incomplete_rows": N_("Choose an answer in every row."),
        "unknown_row": N_("Choose one of the answers shown."),
    }
    xlsform_types = ("begin group",)
    xlsform_appearances = frozenset({"table-list"})

    def check(self, q: Question, path: str) -> list[DefinitionProblem]:
        problems = []
        if not q.options:
            problems.append(DefinitionProblem(f"{path}.options", "options_required"))
        if not q.rows:
            problems.append(DefinitionProblem(f"{path}.rows", "rows_required"))
        if any(o.specify for o in (*q.options, *q.rows)):
            problems.append(DefinitionProblem(f"{path}.options", "specify_not_supported"))
        return problems

    def first_field_id(self, q: Question) -> str:
        return f"{q.code}__{q.rows[0].value}-0" if q.rows else q.code

    def form_values(self, q: Question, answer: Any) -> dict[str, list[str]]:
        if not isinstance(answer, Mapping):
            return {}
        return {f"{q.code}__{row}": [str(column)] for row, column in answer.items()}

    def read_form(self, q: Question, form: FormData) -> tuple[Any, Any]:
        values = {}
        for row in q.rows:
            value = first_value(form, f"{q.code}__{row.value}")
            if value is not None:
                values[row.value] = value
        return values or None, None

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw == {}:
            return Cleaned()
        if not isinstance(raw, Mapping):
            return self.error(q, "invalid_value", expected="object")
        rows = {r.value for r in q.rows}
        for row, column in raw.items():
            if row not in rows:
                return self.error(q, "unknown_row", row=str(row), field=f"{q.code}__{row}")
            if column in (None, ""):
                continue
            if not isinstance(column, str) or q.option(column) is None:
                return self.error(
                    q, "invalid_choice", row=row, value=str(column), field=f"{q.code}__{row}"
                )
        value = {r.value: raw[r.value] for r in q.rows if raw.get(r.value) not in (None, "")}
        return Cleaned(value or None)

    def required_error(self, q: Question, value: Any) -> AnswerError | None:
        if value is None:
            return AnswerError("required", q.code)
        missing = [r.value for r in q.rows if r.value not in value]
        if missing:
            return AnswerError("incomplete_rows", q.code, {"rows": missing})
        return None

    # -- exports: one column per row ---------------------------------------------------

    def export_columns(self, q: Question) -> list[str]:
        return [f"{q.code}/{r.value}" for r in q.rows]

    def export_cells(self, q: Question, answers: Mapping[str, Any]) -> dict[str, Any]:
        chosen = answers.get(q.code)
        if not isinstance(chosen, Mapping):
            return {}
        return {f"{q.code}/{row}": column for row, column in chosen.items()}

    def import_value(self, q: Question, cells: Mapping[str, str]) -> Any:
        rows = {r.value: (cells.get(f"{q.code}/{r.value}") or "").strip() for r in q.rows}
        return {row: column for row, column in rows.items() if column} or None

    # -- XLSForm -----------------------------------------------------------------------

    def read_xlsform_group(self, row: XLSFormRow, sheet: XLSFormReading) -> XLSFormGroupReading:
        return _GridRows(row, sheet)

    def write_xlsform(self, q: Question, row: Cells, sheet: XLSFormWriting) -> None:
        row.update(type="begin group", appearance="table-list", required="")
        sheet.append(row)
        sheet.option_list(q)
        for r in q.rows:
            sheet.append(
                {
                    "type": f"select_one {q.code}",
                    "name": f"{q.code}_{r.value}",
                    **sheet.text_cells("label", r.label),
                    "required": "yes" if q.required else "",
                }
            )
        sheet.append({"type": "end group", "name": q.code})


class _GridRows:
    """The ``select_one`` rows of a ``table-list`` group, read into one grid question."""

    def __init__(self, group: XLSFormRow, sheet: XLSFormReading) -> None:
        self.group = group
        self.sheet = sheet
        self.code = group.cell("name")
        self.list_name: str | None = None
        self.rows: list[dict[str, Any]] = []
        self.required: list[bool] = []

    def add(self, row: XLSFormRow) -> None:
        if row.base != "select_one" or len(row.args) != 1:
            self.sheet.problem(row.number, "matrix_row_must_be_select_one", type=row.type)
            return
        if self.list_name not in (None, row.args[0]):
            self.sheet.problem(row.number, "matrix_rows_must_share_list", list=row.args[0])
            return
        if row.cell("relevant"):
            self.sheet.adapt(row.number, "relevant_on_matrix_row_unsupported")
        self.list_name = row.args[0]
        name = row.cell("name")
        value = name[len(self.code) + 1 :] if name.startswith(f"{self.code}_") else name
        self.rows.append({"value": value, "label": self.sheet.texts(row.cells, "label")})
        self.required.append(row.is_required)

    def finish(self) -> dict[str, Any] | None:
        number = self.group.number
        if not self.rows:
            self.sheet.problem(number, "empty_matrix")
            return None
        assert self.list_name is not None
        options = self.sheet.choices(number, self.list_name)
        if options is None:
            return None
        return {
            "type": Matrix.name,
            "rows": self.rows,
            "options": options,
            "required": all(self.required),
        }
