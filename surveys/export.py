"""Responses as spreadsheet rows: which columns an export has and what each cell holds.

Every version of a survey contributes its questions' columns (see
``QuestionType.export_columns``): the newest version's in its order, then those only
older versions had, so that a response keeps its answers whatever version it answered.
Calculations (:mod:`surveys.calculations`) follow the questions, one column each.
A question coded like a metadata column takes that column. Text that a spreadsheet
would run as a formula is written with a leading apostrophe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from surveys.schema import SurveyDefinition
from surveys.types import get_type

META_COLUMNS = (
    "response_id",
    "survey_version",
    "submitted_at",
    "started_at",
    "language",
    "channel",
    "source",
    "area",
    "interviewer",
    "place",
    "form_number",
)
# What Excel, LibreOffice and Google Sheets take for the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def answer_columns(definitions: Iterable[SurveyDefinition]) -> list[str]:
    """The answer columns for responses to any of ``definitions``, newest first."""
    columns: dict[str, None] = {}
    definitions_seen = list(definitions)
    for definition in definitions_seen:
        for q in definition.questions():
            columns.update(dict.fromkeys(get_type(q.type).export_columns(q)))
    for definition in definitions_seen:
        columns.update(dict.fromkeys(c.code for c in definition.calculations))
    return list(columns)


def table_columns(definitions: Iterable[SurveyDefinition]) -> list[str]:
    """Every column of an export: the metadata, then the answers. A question whose code
    is a metadata column's name (a question coded ``area``) takes the column."""
    answers = answer_columns(definitions)
    taken = set(answers)
    return [*(c for c in META_COLUMNS if c not in taken), *answers]


def answer_cells(definition: SurveyDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """A response's stored ``answers`` to ``definition`` as cells by column name."""
    cells: dict[str, Any] = {}
    for q in definition.questions():
        cells.update(get_type(q.type).export_cells(q, answers))
    cells.update(calculated_cells(definition, answers))
    return cells


def calculated_cells(definition: SurveyDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The stored values of the definition's calculations, by column."""
    return {c.code: answers[c.code] for c in definition.calculations if c.code in answers}


def formula_safe(value: Any) -> Any:
    """``value``, with an apostrophe before text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
