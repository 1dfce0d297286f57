"""Skip logic on how many choices are selected: ``count_*`` tests in the engine, read
from XLSForm ``count-selected(${q}) >= 2`` (and >, <, <=, =, !=), written back the same
way, and refused on a question whose answers cannot be counted."""

from __future__ import annotations

from typing import Any

import pytest
from pyxform.xls2xform import convert

from surveys import DefinitionError, visible_questions
from surveys.conditions import condition_from_dict, condition_to_dict, evaluate
from surveys.errors import DefinitionProblem
from surveys.xlsform import export_xlsform, import_xlsform
from tests.surveys.helpers import make, opt, q
from tests.surveys.test_xlsform import workbook_bytes

ONE, TWO, THREE = ["late"], ["late", "crowded"], ["late", "crowded", "dirty"]


def _cond(op: str, value: Any) -> Any:
    problems: list[DefinitionProblem] = []
    parsed = condition_from_dict({"question": "m", "op": op, "value": value}, "$", problems)
    assert problems == []
    return parsed


@pytest.mark.parametrize(
    ("op", "value", "answer", "expected"),
    [
        ("count_gte", 2, TWO, True),
        ("count_gte", 2, ONE, False),
        ("count_gte", 2, None, False),
        ("count_gt", 1, TWO, True),
        ("count_gt", 1, ONE, False),
        ("count_lt", 2, ONE, True),
        ("count_lt", 2, None, True),  # unanswered: none chosen
        ("count_lt", 2, TWO, False),
        ("count_lte", 2, TWO, True),
        ("count_lte", 2, THREE, False),
        ("count_equals", 3, THREE, True),
        ("count_equals", 3, TWO, False),
        ("count_equals", 0, None, True),
        ("count_not_equals", 1, ONE, False),
        ("count_not_equals", 1, TWO, True),
        ("count_not_equals", 1, None, True),
    ],
)
def test_a_count_test_compares_how_many_choices_are_selected(op, value, answer, expected):
    condition = _cond(op, value)
    answers = {} if answer is None else {"m": answer}
    assert evaluate(condition, answers) is expected
    assert condition_to_dict(condition) == {"question": "m", "op": op, "value": value}


@pytest.mark.parametrize("value", [-1, 1.5, 2.0, "2", True, None, [2]])
def test_a_count_is_a_whole_number_zero_or_more(value: Any) -> None:
    problems: list[DefinitionProblem] = []
    data = {"question": "m", "op": "count_gte", "value": value}
    assert condition_from_dict(data, "$.show_if", problems) is None
    assert [(p.path, p.code) for p in problems] == [("$.show_if", "invalid_count")]


def _questions(counted: str) -> list[dict[str, Any]]:
    """Three questions with options, then one asked when ``counted`` has 2 chosen."""
    options = [opt("late"), opt("crowded"), opt("dirty")]
    return [
        q("m", "multiple_choice", options=options),
        q("s", "single_choice", options=options),
        q("r", "ranking", options=options),
        q("worst", "short_text", show_if={"question": counted, "op": "count_gte", "value": 2}),
    ]


@pytest.mark.parametrize("counted", ["s", "r"])
def test_only_the_choices_of_a_multiple_choice_question_are_counted(counted: str) -> None:
    with pytest.raises(DefinitionError) as info:
        make(_questions(counted))
    assert [(p.path, p.code, p.params) for p in info.value.problems] == [
        ("$.pages[0].questions[3].show_if", "count_needs_multiple_choice", {"question": counted})
    ]


def test_pick_up_to_answers_are_counted_too() -> None:
    questions = _questions("m")
    questions[0].update(type="pick_up_to", max_choices=2)
    survey = make(questions)
    assert "worst" in visible_questions(survey, {"m": TWO})
    assert "worst" not in visible_questions(survey, {"m": ONE})


SURVEY = [
    ["type", "name", "label", "relevant"],
    ["select_multiple problems", "problems", "Which problems have you had?"],
    ["text", "worst", "Which is the worst?", "count-selected(${problems}) >= 2"],
    ["text", "more", "Anything else?", "count-selected(${problems}) < 2"],
    ["text", "just_one", "Tell us more", "count-selected(${problems}) = 1"],
    ["text", "not_three", "Why not all?", "count-selected(${problems}) != 3"],
    ["text", "many", "So many?", "count-selected(${problems}) > 2"],
    ["text", "few", "So few?", "count-selected(${problems}) <= 1"],
    ["text", "any", "Which came first?", "count-selected(${problems}) > 0"],
    ["select_one problems", "main", "Main problem?"],
    ["text", "main_two", "Really?", "count-selected(${main}) >= 2"],
]
CHOICES = [
    ["list_name", "name", "label"],
    ["problems", "late", "Late"],
    ["problems", "crowded", "Crowded"],
    ["problems", "dirty", "Dirty"],
]


def test_count_selected_thresholds_are_read_and_decide_what_is_asked() -> None:
    result = import_xlsform(workbook_bytes(SURVEY, CHOICES))
    survey = result.definition
    shown = {code: condition_to_dict(survey.question(code).show_if) for code in ("worst", "many")}
    assert shown == {
        "worst": {"question": "problems", "op": "count_gte", "value": 2},
        "many": {"question": "problems", "op": "count_gt", "value": 2},
    }
    assert condition_to_dict(survey.question("any").show_if)["op"] == "answered"
    report = [(p.row, p.outcome, p.message_code, p.params) for p in result.report]
    assert report == [
        (
            11,
            "left_out",
            "relevant_count_needs_multiple_choice",
            {"expression": "count-selected(${main}) >= 2", "question": "main"},
        )
    ]
    asked = {
        chosen: visible_questions(survey, {"problems": list(chosen)} if chosen else {})[1:-1]
        for chosen in ((), ("late",), ("late", "crowded"), ("late", "crowded", "dirty"))
    }
    assert asked == {
        (): ["more", "not_three", "few"],
        ("late",): ["more", "just_one", "not_three", "few", "any"],
        ("late", "crowded"): ["worst", "not_three", "any"],
        ("late", "crowded", "dirty"): ["worst", "many", "any"],
    }


def test_count_tests_are_exported_as_count_selected_that_pyxform_converts() -> None:
    survey = import_xlsform(workbook_bytes(SURVEY[:-2], CHOICES)).definition
    data = export_xlsform(survey)
    warnings: list[str] = []
    xform = convert(xlsform=data, warnings=warnings, file_type=".xlsx").xform
    assert warnings == []
    assert "count-selected( /data/page_1/problems ) &gt;= 2" in xform
    assert "count-selected( /data/page_1/problems ) != 3" in xform
    again = import_xlsform(data)
    assert again.report == () and again.definition == survey
