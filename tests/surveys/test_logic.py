"""Skip logic: conditions, page and question visibility, dropping hidden answers."""

from __future__ import annotations

from typing import Any

import pytest

from surveys import (
    SurveyDefinition,
    displayed_questions,
    next_page_index,
    previous_page_index,
    prune_hidden,
    visible_pages,
    visible_questions,
)
from surveys.conditions import condition_from_dict, evaluate
from surveys.errors import DefinitionProblem
from tests.surveys.helpers import make, opt, q


def cond(data: dict[str, Any]) -> Any:
    problems: list[DefinitionProblem] = []
    parsed = condition_from_dict(data, "$", problems)
    assert problems == []
    return parsed


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        ({"question": "a", "op": "equals", "value": "yes"}, {"a": "yes"}, True),
        ({"question": "a", "op": "equals", "value": "yes"}, {"a": "no"}, False),
        ({"question": "a", "op": "equals", "value": "yes"}, {}, False),
        ({"question": "a", "op": "not_equals", "value": "yes"}, {"a": "no"}, True),
        ({"question": "a", "op": "not_equals", "value": "yes"}, {}, True),
        ({"question": "a", "op": "equals", "value": "bus"}, {"a": ["bus"]}, True),
        ({"question": "a", "op": "equals", "value": "bus"}, {"a": ["bus", "car"]}, False),
        ({"question": "a", "op": "in", "value": ["x", "y"]}, {"a": "y"}, True),
        ({"question": "a", "op": "in", "value": ["x", "y"]}, {"a": ["z", "x"]}, True),
        ({"question": "a", "op": "in", "value": ["x", "y"]}, {"a": "z"}, False),
        ({"question": "a", "op": "contains", "value": "bus"}, {"a": ["car", "bus"]}, True),
        ({"question": "a", "op": "contains", "value": "bus"}, {"a": ["car"]}, False),
        ({"question": "a", "op": "contains", "value": "BUS"}, {"a": "the bus was late"}, True),
        ({"question": "a", "op": "answered"}, {"a": "x"}, True),
        ({"question": "a", "op": "answered"}, {"a": []}, False),
        ({"question": "a", "op": "not_answered"}, {}, True),
        ({"question": "a", "op": "gt", "value": 5}, {"a": 6}, True),
        ({"question": "a", "op": "gt", "value": 5}, {"a": 5}, False),
        ({"question": "a", "op": "gte", "value": 5}, {"a": 5}, True),
        ({"question": "a", "op": "lt", "value": 5}, {"a": 4.5}, True),
        ({"question": "a", "op": "lte", "value": 5}, {"a": 6}, False),
        ({"question": "a", "op": "lt", "value": 5}, {}, False),
        ({"question": "a", "op": "lt", "value": 5}, {"a": "4"}, False),
        (
            {
                "all": [
                    {"question": "a", "op": "gte", "value": 18},
                    {"question": "b", "op": "equals", "value": "yes"},
                ]
            },
            {"a": 20, "b": "yes"},
            True,
        ),
        (
            {
                "all": [
                    {"question": "a", "op": "gte", "value": 18},
                    {"question": "b", "op": "equals", "value": "yes"},
                ]
            },
            {"a": 20, "b": "no"},
            False,
        ),
        (
            {
                "any": [
                    {"question": "a", "op": "gte", "value": 18},
                    {"question": "b", "op": "equals", "value": "yes"},
                ]
            },
            {"a": 10, "b": "yes"},
            True,
        ),
        ({"not": {"question": "a", "op": "answered"}}, {}, True),
    ],
)
def test_condition_evaluates(condition: dict[str, Any], answers: dict[str, Any], expected: bool):
    assert evaluate(cond(condition), answers) is expected


@pytest.mark.parametrize(
    ("data", "code"),
    [
        ({"question": "a", "op": "resembles", "value": 1}, "unknown_operator"),
        ({"question": "a", "op": "gt", "value": "five"}, "invalid_condition_value"),
        ({"question": "a", "op": "in", "value": []}, "invalid_condition_value"),
        ({"question": "a", "op": "answered", "value": 1}, "invalid_condition_value"),
        ({"op": "equals", "value": 1}, "invalid_condition"),
        ({"all": []}, "invalid_condition"),
        ({"question": "a", "op": "equals", "value": "x", "eval": "1"}, "unknown_field"),
        ("__import__('os')", "invalid_condition"),
    ],
)
def test_condition_rejects_malformed(data: Any, code: str) -> None:
    problems: list[DefinitionProblem] = []
    assert condition_from_dict(data, "$", problems) is None
    assert [p.code for p in problems] == [code]


def bus_survey() -> Any:
    uses_bus = q("uses_bus", "yes_no")
    problems = q(
        "bus_problems",
        "multiple_choice",
        options=[opt("late"), opt("crowded"), opt("other", specify=True)],
        show_if={"question": "uses_bus", "op": "equals", "value": "yes"},
    )
    worst = q(
        "worst",
        "long_text",
        show_if={"question": "bus_problems", "op": "contains", "value": "late"},
    )
    age = q("age", "number")
    youth = {
        "key": "youth",
        "show_if": {"question": "age", "op": "lt", "value": 25},
        "questions": [q("youth_activities", "long_text")],
    }
    data = make([uses_bus, problems, worst], [age]).to_dict()
    data["pages"].append(youth)
    data["pages"].append({"key": "end", "questions": [q("anything", "long_text")]})
    return SurveyDefinition.from_dict(data)


def test_logic_question_hidden_until_condition_met() -> None:
    survey = bus_survey()
    assert "bus_problems" not in visible_questions(survey, {"uses_bus": "no"})
    assert "bus_problems" in visible_questions(survey, {"uses_bus": "yes"})


def test_logic_prune_hidden_cascades() -> None:
    survey = bus_survey()
    answers = {
        "uses_bus": "no",
        "bus_problems": ["late", "other"],
        "bus_problems__other": "Driver skipped stop",
        "worst": "It was late",
        "age": 30,
    }
    assert prune_hidden(survey, answers) == {"uses_bus": "no", "age": 30}


def test_logic_page_shown_only_when_condition_holds() -> None:
    survey = bus_survey()
    assert visible_pages(survey, {"age": 19}) == [0, 1, 2, 3]
    assert visible_pages(survey, {"age": 40}) == [0, 1, 3]
    assert visible_pages(survey, {}) == [0, 1, 3]


def test_logic_next_and_previous_page_skip_hidden_pages() -> None:
    survey = bus_survey()
    assert next_page_index(survey, None, {}) == 0
    assert next_page_index(survey, 1, {"age": 40}) == 3
    assert next_page_index(survey, 1, {"age": 18}) == 2
    assert next_page_index(survey, 3, {}) is None
    assert previous_page_index(survey, 3, {"age": 40}) == 1
    assert previous_page_index(survey, 0, {}) is None


def test_logic_displayed_questions_keep_same_page_conditionals() -> None:
    survey = bus_survey()
    codes = [x.code for x in displayed_questions(survey, 0, {})]
    # Conditions on same-page answers cannot be decided before the page is submitted.
    assert codes == ["uses_bus", "bus_problems", "worst"]
