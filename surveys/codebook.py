"""What an export's columns and codes mean, and answers written as labels instead of codes.

The codebook lists every question of every version of a survey (the newest version's
in its order, then those only older versions had, as :func:`surveys.export.answer_columns`
orders the columns): its code, the columns it fills, its type, its page, its text in
every language the survey has, and its options (value and label per language).

``fixed`` names the labels of types whose options are not in the definition (yes/no):
the caller, who knows the interface's translations, passes them by type name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from surveys.export import calculated_cells
from surveys.i18n import text_for
from surveys.schema import Calculation, LocalizedText, Question, SurveyDefinition, other_key
from surveys.types import get_type
from surveys.types.base import export_value

FixedLabels = Mapping[str, Mapping[str, LocalizedText]]
# Between the labels of a multiple answer in one cell (labels may contain spaces).
LABEL_SEPARATOR = "; "


def value_labels(q: Question, fixed: FixedLabels | None = None) -> dict[str, LocalizedText]:
    """The label per language of each value ``q`` stores (empty: it stores no codes)."""
    if fixed and q.type in fixed:
        return {value: dict(label) for value, label in fixed[q.type].items()}
    if q.options:
        return {o.value: dict(o.label) for o in q.options}
    return {}


def label_answers(
    definition: SurveyDefinition,
    answers: Mapping[str, Any],
    lang: str,
    fixed: FixedLabels | None = None,
) -> dict[str, Any]:
    """``answers`` with each stored code replaced by its label in ``lang`` (or in the
    survey's own language where ``lang`` has none). Other answers are left as they are."""
    labelled = dict(answers)
    for q in definition.questions():
        labels = value_labels(q, fixed)
        value = answers.get(q.code)
        if not labels or value is None:
            continue

        def name(code: Any, labels: Mapping[str, LocalizedText] = labels) -> Any:
            key = "yes" if code is True else str(code)  # consent is stored as True
            text, _lang = text_for(labels.get(key, {}), lang, definition.source_language)
            return text or export_value(code)

        if isinstance(value, Mapping):  # a grid: row → the column chosen
            labelled[q.code] = {row: name(column) for row, column in value.items()}
        elif isinstance(value, list):
            labelled[q.code] = [name(code) for code in value]
        else:
            labelled[q.code] = name(value)
    return labelled


def labelled_cells(
    definition: SurveyDefinition,
    answers: Mapping[str, Any],
    lang: str,
    fixed: FixedLabels | None = None,
) -> dict[str, Any]:
    """A response's cells with labels instead of codes: the question's own column (and a
    grid's row columns) read as labels; a multiple answer's labels joined by ``; ``.
    Per-option columns (ticked 1/0, a rank) keep their numbers."""
    cells: dict[str, Any] = {}
    labelled = label_answers(definition, answers, lang, fixed)
    for q in definition.questions():
        cells.update(get_type(q.type).export_cells(q, answers))
        value = labelled.get(q.code)
        if value is None or not value_labels(q, fixed):
            continue
        if isinstance(value, Mapping):
            cells.update({f"{q.code}/{row}": column for row, column in value.items()})
        elif isinstance(value, list):
            cells[q.code] = LABEL_SEPARATOR.join(str(label) for label in value)
        elif q.code in cells:
            cells[q.code] = value
    cells.update(calculated_cells(definition, answers))
    return cells


def _entry(q: Question, page: int, fixed: FixedLabels | None) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "code": q.code,
        "columns": get_type(q.type).export_columns(q),
        "type": q.type,
        "required": q.required,
        "page": page,
        "text": dict(q.label),
        "options": [
            {"value": value, "label": label} for value, label in value_labels(q, fixed).items()
        ],
    }
    specify = q.specify_option
    if specify is not None:  # the column of the text typed with that option
        entry["specify"] = {
            "column": other_key(q.code),
            "value": specify.value,
            "label": dict(specify.specify_label),
        }
    if q.rows:
        entry["rows"] = [{"value": r.value, "label": dict(r.label)} for r in q.rows]
    if q.point_labels:
        entry["points"] = [
            {"value": point, "label": dict(label)} for point, label in q.point_labels.items()
        ]
    return entry


def codebook_questions(
    definitions: Iterable[SurveyDefinition], fixed: FixedLabels | None = None
) -> list[dict[str, Any]]:
    """Every question that stores answers, newest definition first, each once: code,
    columns, type, required, page (1-based, in the newest version that has it), text by
    language, options (value and label by language), and a grid's rows."""
    entries: dict[str, dict[str, Any]] = {}
    definitions = list(definitions)
    for definition in definitions:
        for number, page in enumerate(definition.pages, 1):
            for q in page.questions:
                if q.code not in entries and get_type(q.type).export_columns(q):
                    entries[q.code] = _entry(q, number, fixed)
    for definition in definitions:
        for calculation in definition.calculations:
            entries.setdefault(calculation.code, _calculation_entry(calculation))
    return list(entries.values())


def _calculation_entry(calculation: Calculation) -> dict[str, Any]:
    """A calculation in the codebook: worked out when the response is sent."""
    return {
        "code": calculation.code,
        "columns": [calculation.code],
        "type": "calculation",
        "required": False,
        "page": None,
        "text": {},
        "options": [],
        "calculation": calculation.expression,
    }
