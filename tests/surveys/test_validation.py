"""Whole-page and whole-response validation, skip logic applied."""

from __future__ import annotations

from surveys import AnswerError, merge_page_answers, validate_answers, validate_form_page
from tests.surveys.helpers import make, opt, q
from tests.surveys.test_logic import bus_survey


def test_validate_form_page_drops_hidden_question_input() -> None:
    survey = bus_survey()
    form = {"uses_bus": ["no"], "bus_problems": ["late"], "worst": ["very late"]}
    result = validate_form_page(survey, 0, form, {})
    assert result.ok
    assert result.answers == {"uses_bus": "no"}


def test_validate_form_page_same_page_condition_uses_submitted_answer() -> None:
    survey = bus_survey()
    form = {"uses_bus": ["yes"], "bus_problems": ["late"], "worst": ["Waited 40 minutes"]}
    result = validate_form_page(survey, 0, form, {})
    assert result.answers == {
        "uses_bus": "yes",
        "bus_problems": ["late"],
        "worst": "Waited 40 minutes",
    }


def test_validate_form_page_reports_errors_in_page_order() -> None:
    survey = make(
        [
            q("name", "short_text", required=True),
            q("age", "number", minimum=0, maximum=120),
            q("agree", "consent", required=True),
        ]
    )
    result = validate_form_page(survey, 0, {"age": ["200"]}, {})
    assert not result.ok
    assert result.errors == (
        AnswerError("required", "name"),
        AnswerError("above_max", "age", {"max": 120}),
        AnswerError("consent_required", "agree"),
    )
    assert result.errors[1].to_dict() == {
        "code": "above_max",
        "question": "age",
        "params": {"max": 120},
    }


def test_validate_form_page_hidden_page_accepts_nothing() -> None:
    survey = bus_survey()
    result = validate_form_page(survey, 2, {"youth_activities": ["Football"]}, {"age": 40})
    assert result.ok
    assert result.answers == {}


def test_merge_page_answers_replaces_page_and_prunes_later_answers() -> None:
    survey = bus_survey()
    so_far = {"uses_bus": "yes", "bus_problems": ["late"], "age": 19, "youth_activities": "x"}
    merged = merge_page_answers(survey, 1, so_far, {"age": 40})
    assert merged == {"uses_bus": "yes", "bus_problems": ["late"], "age": 40}


def test_validate_answers_reports_unknown_keys() -> None:
    survey = make([q("a", "short_text"), q("b", "single_choice", options=[opt("x")])])
    result = validate_answers(survey, {"a": "hi", "zzz": 1, "b__other": "text"})
    assert [(e.code, e.question) for e in result.errors] == [
        ("unknown_question", "zzz"),
        ("unknown_question", "b__other"),
    ]
    assert result.answers == {"a": "hi"}


def test_validate_answers_lists_dropped_hidden_answers() -> None:
    survey = bus_survey()
    result = validate_answers(
        survey,
        {"uses_bus": "no", "bus_problems": ["late"], "age": 60, "youth_activities": "Skate park"},
    )
    assert result.ok
    assert result.answers == {"uses_bus": "no", "age": 60}
    assert result.dropped == ("bus_problems", "youth_activities")


def test_validate_answers_reports_every_question_error() -> None:
    survey = make(
        [q("a", "number", required=True), q("b", "yes_no", required=True)],
        [q("c", "scale")],
    )
    result = validate_answers(survey, {"a": "ten", "c": 12})
    assert [(e.code, e.question) for e in result.errors] == [
        ("not_a_number", "a"),
        ("required", "b"),
        ("above_max", "c"),
    ]


def test_validate_answers_other_text_dropped_when_choice_not_selected() -> None:
    survey = make([q("a", "single_choice", options=[opt("x"), opt("other", specify=True)])])
    result = validate_answers(survey, {"a": "x", "a__other": "text"})
    assert result.ok
    assert result.answers == {"a": "x"}
    assert result.dropped == ("a__other",)


def test_validate_answers_rejects_non_object_body() -> None:
    result = validate_answers(make([q("a", "short_text")]), ["a"])  # type: ignore[arg-type]
    assert [(e.code, e.params) for e in result.errors] == [
        ("invalid_value", {"expected": "object"})
    ]


def test_form_answers_read_a_whole_survey_filled_in_as_one_form() -> None:
    from surveys.validation import form_answers

    survey = bus_survey()
    form = {
        "uses_bus": ["no"],
        "bus_problems": ["late", "other"],
        "bus_problems__other": ["Driver skipped stop"],
        "age": ["30"],
        "youth_activities": ["Football"],
        "anything": [""],
        "csrf_token": ["not a question"],
    }
    answers = form_answers(survey, form)
    assert "csrf_token" not in answers
    # Validated like a JSON submission: what skip logic hides is dropped, not refused.
    result = validate_answers(survey, answers)
    assert result.ok
    assert result.answers == {"uses_bus": "no", "age": 30}
    assert set(result.dropped) == {"bus_problems", "bus_problems__other", "youth_activities"}
    shown = validate_answers(survey, form_answers(survey, {**form, "uses_bus": ["yes"]}))
    assert shown.answers["bus_problems"] == ["late", "other"]
    assert shown.answers["bus_problems__other"] == "Driver skipped stop"
    wrong = validate_answers(survey, form_answers(survey, {**form, "age": ["x"]}))
    assert [(e.code, e.question) for e in wrong.errors] == [("not_a_number", "age")]
