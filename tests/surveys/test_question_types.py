"""Every question type: valid and invalid answers, from JSON and from a web form."""

from __future__ import annotations

from typing import Any

import pytest

from surveys import QUESTION_TYPES, validate_answers, validate_form_page
from tests.surveys.helpers import opt, q, single

CHOICES = [opt("bus"), opt("car"), opt("walk"), opt("other", specify=True)]
MULTI = [*CHOICES, opt("prefer_not_to_say", "Prefer not to say")]

QUESTIONS: dict[str, dict[str, Any]] = {
    "short_text": q("a", "short_text", max_length=10),
    "long_text": q("a", "long_text"),
    "single_choice": q("a", "single_choice", options=CHOICES),
    "dropdown": q("a", "dropdown", options=CHOICES),
    "multiple_choice": q("a", "multiple_choice", options=MULTI),
    "pick_up_to": q("a", "pick_up_to", options=MULTI, max_choices=2),
    "rating": q("a", "rating", point_labels={"1": {"en": "Poor"}, "5": {"en": "Great"}}),
    "scale": q("a", "scale"),
    "number": q("a", "number", minimum=0, maximum=120),
    "date": q("a", "date", minimum="2000-01-01", maximum="2030-12-31"),
    "time": q("a", "time"),
    "date_time": q("a", "date_time"),
    "yes_no": q("a", "yes_no"),
    "matrix": q(
        "a",
        "matrix",
        rows=[opt("park"), opt("library")],
        options=[opt("good"), opt("ok"), opt("poor")],
    ),
    "consent": q("a", "consent"),
    "ranking": q("a", "ranking", options=[opt("bus"), opt("walk"), opt("car")]),
}

VALID_JSON = [
    ("short_text", "  Hello ", {"a": "Hello"}),
    ("long_text", "Line one\r\nLine two", {"a": "Line one\nLine two"}),
    ("single_choice", "car", {"a": "car"}),
    ("single_choice", "", {}),
    ("dropdown", "walk", {"a": "walk"}),
    ("multiple_choice", ["walk", "bus", "bus"], {"a": ["bus", "walk"]}),
    ("multiple_choice", "bus", {"a": ["bus"]}),
    ("multiple_choice", ["prefer_not_to_say"], {"a": ["prefer_not_to_say"]}),
    ("pick_up_to", ["car", "bus"], {"a": ["bus", "car"]}),
    ("rating", 5, {"a": 5}),
    ("rating", "3", {"a": 3}),
    ("scale", 0, {"a": 0}),
    ("scale", 10.0, {"a": 10}),
    ("number", "42", {"a": 42}),
    ("number", "٣٤", {"a": 34}),
    ("number", 0, {"a": 0}),
    ("date", "2024-02-29", {"a": "2024-02-29"}),
    ("time", "9:05", {"a": "09:05"}),
    ("time", "2:30 pm", {"a": "14:30"}),
    ("date_time", "2026-03-27T14:30", {"a": "2026-03-27T14:30"}),
    ("date_time", "2026-03-27 09:05:00Z", {"a": "2026-03-27T09:05"}),
    ("yes_no", "yes", {"a": "yes"}),
    ("yes_no", False, {"a": "no"}),
    ("matrix", {"park": "good", "library": "poor"}, {"a": {"park": "good", "library": "poor"}}),
    ("matrix", {"park": "ok", "library": ""}, {"a": {"park": "ok"}}),
    ("consent", True, {"a": True}),
    ("consent", "yes", {"a": True}),
]


@pytest.mark.parametrize(("type_", "raw", "stored"), VALID_JSON)
def test_question_type_accepts_valid_json(type_: str, raw: Any, stored: dict[str, Any]) -> None:
    result = validate_answers(single(QUESTIONS[type_]), {"a": raw})
    assert result.errors == ()
    assert result.answers == stored


INVALID_JSON = [
    ("time", "25:00", "invalid_time", {}),
    ("time", 1430, "invalid_time", {}),
    ("date_time", "2026-02-30T10:00", "invalid_date_time", {}),
    ("date_time", "2026-03-27", "invalid_date_time", {}),
    ("short_text", "x" * 11, "too_long", {"max": 10, "length": 11}),
    ("short_text", 12, "invalid_value", {"expected": "string"}),
    ("long_text", "x" * 10_001, "too_long", {"max": 10_000, "length": 10_001}),
    ("single_choice", "plane", "invalid_choice", {"value": "plane"}),
    ("single_choice", ["bus"], "invalid_value", {"expected": "string"}),
    ("dropdown", "Bus", "invalid_choice", {"value": "Bus"}),
    ("multiple_choice", ["bus", "plane"], "invalid_choice", {"values": ["plane"]}),
    ("multiple_choice", {"bus": True}, "invalid_value", {"expected": "list_of_strings"}),
    (
        "multiple_choice",
        ["bus", "prefer_not_to_say"],
        "exclusive_choice",
        {"value": "prefer_not_to_say"},
    ),
    ("pick_up_to", ["bus", "car", "walk"], "too_many_choices", {"max": 2, "count": 3}),
    ("rating", 6, "above_max", {"max": 5}),
    ("rating", 0, "below_min", {"min": 1}),
    ("rating", 2.5, "not_a_whole_number", {}),
    ("scale", 11, "above_max", {"max": 10}),
    ("scale", True, "not_a_number", {}),
    ("number", "lots", "not_a_number", {}),
    ("number", "1.5", "not_a_whole_number", {}),
    ("number", -1, "below_min", {"min": 0}),
    ("number", 121, "above_max", {"max": 120}),
    ("number", "NaN", "not_a_number", {}),
    ("date", "2023-02-29", "invalid_date", {}),
    ("date", "29/02/2024", "invalid_date", {}),
    ("date", "1999-12-31", "below_min", {"min": "2000-01-01"}),
    ("date", "2031-01-01", "above_max", {"max": "2030-12-31"}),
    ("yes_no", "maybe", "invalid_choice", {"value": "maybe"}),
    ("matrix", {"pool": "good"}, "unknown_row", {"row": "pool", "field": "a__pool"}),
    (
        "matrix",
        {"park": "great"},
        "invalid_choice",
        {"row": "park", "value": "great", "field": "a__park"},
    ),
    ("matrix", ["good"], "invalid_value", {"expected": "object"}),
    ("consent", "whatever", "invalid_value", {"expected": "boolean"}),
]


@pytest.mark.parametrize(("type_", "raw", "code", "params"), INVALID_JSON)
def test_question_type_rejects_invalid_json(
    type_: str, raw: Any, code: str, params: dict[str, Any]
) -> None:
    result = validate_answers(single(QUESTIONS[type_]), {"a": raw})
    assert [(e.code, e.question, e.params) for e in result.errors] == [(code, "a", params)]
    assert result.answers == {}


@pytest.mark.parametrize("type_", sorted(QUESTIONS))
def test_question_type_required_reports_unanswered(type_: str) -> None:
    definition = single({**QUESTIONS[type_], "required": True})
    result = validate_answers(definition, {})
    expected = "consent_required" if type_ == "consent" else "required"
    assert [e.code for e in result.errors] == [expected]


@pytest.mark.parametrize(("type_", "raw", "stored"), VALID_JSON)
def test_question_type_normalised_value_validates_to_itself(
    type_: str, raw: Any, stored: dict[str, Any]
) -> None:
    definition = single(QUESTIONS[type_])
    again = validate_answers(definition, stored)
    assert again.errors == ()
    assert again.answers == stored


def test_question_type_registry_covers_issue_types() -> None:
    assert set(QUESTION_TYPES) == {*QUESTIONS, "info"}


VALID_FORMS = [
    ("short_text", {"a": ["  hi  "]}, {"a": "hi"}),
    ("single_choice", {"a": ["bus"], "a__other": ["ignored"]}, {"a": "bus"}),
    ("single_choice", {"a": ["other"], "a__other": [" Bike "]}, {"a": "other", "a__other": "Bike"}),
    ("multiple_choice", {"a": ["walk", "other"], "a__other": ["Scooter"]},
     {"a": ["walk", "other"], "a__other": "Scooter"}),
    ("multiple_choice", {"a": ["", "bus"]}, {"a": ["bus"]}),
    ("rating", {"a": "4"}, {"a": 4}),
    ("number", {"a": [" 1 0 "]}, {"a": 10}),
    ("date", {"a__year": ["2024"], "a__month": ["3"], "a__day": ["9"]}, {"a": "2024-03-09"}),
    ("date", {"a": ["2024-03-09"]}, {"a": "2024-03-09"}),
    ("yes_no", {"a": ["no"]}, {"a": "no"}),
    ("matrix", {"a__park": ["good"], "a__library": ["ok"]},
     {"a": {"park": "good", "library": "ok"}}),
    ("consent", {"a": ["on"]}, {"a": True}),
    ("consent", {}, {}),
]  # fmt: skip


@pytest.mark.parametrize(("type_", "form", "stored"), VALID_FORMS)
def test_question_type_reads_web_form(
    type_: str, form: dict[str, Any], stored: dict[str, Any]
) -> None:
    result = validate_form_page(single(QUESTIONS[type_]), 0, form, {})
    assert result.errors == ()
    assert result.answers == stored


INVALID_FORMS = [
    ("single_choice", {"a": ["other"]}, "other_text_required", {"field": "a__other"}),
    ("single_choice", {"a": ["other"], "a__other": ["  "]}, "other_text_required",
     {"field": "a__other"}),
    ("multiple_choice", {"a": ["other"], "a__other": ["x" * 501]}, "too_long",
     {"field": "a__other", "max": 500}),
    ("date", {"a__year": ["2024"], "a__month": ["2"]}, "invalid_date", {}),
    ("date", {"a__year": ["2023"], "a__month": ["2"], "a__day": ["30"]}, "invalid_date", {}),
    ("number", {"a": ["12abc"]}, "not_a_number", {}),
]  # fmt: skip


@pytest.mark.parametrize(("type_", "form", "code", "params"), INVALID_FORMS)
def test_question_type_rejects_invalid_web_form(
    type_: str, form: dict[str, Any], code: str, params: dict[str, Any]
) -> None:
    result = validate_form_page(single(QUESTIONS[type_]), 0, form, {})
    assert [(e.code, e.params) for e in result.errors] == [(code, params)]


def test_matrix_required_lists_missing_rows() -> None:
    definition = single({**QUESTIONS["matrix"], "required": True})
    result = validate_form_page(definition, 0, {"a__park": ["good"]}, {})
    assert [(e.code, e.params) for e in result.errors] == [
        ("incomplete_rows", {"rows": ["library"]})
    ]


def test_number_with_decimals_accepts_decimal_comma() -> None:
    definition = single(q("a", "number", decimals=True))
    assert validate_form_page(definition, 0, {"a": ["2,5"]}, {}).answers == {"a": 2.5}
    assert validate_answers(definition, {"a": 2.0}).answers == {"a": 2}


def test_info_question_has_no_answer() -> None:
    definition = single(q("a", "info"))
    assert validate_form_page(definition, 0, {"a": ["x"]}, {}).answers == {}
    result = validate_answers(definition, {"a": "x"})
    assert [e.code for e in result.errors] == ["not_answerable"]
