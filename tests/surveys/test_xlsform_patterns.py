"""XLSForm ``regex()`` and ``sum()``: a text constraint ``regex(., '…')`` becomes the
question's pattern (with its constraint message), ``regex(${q}, '…')`` and ``sum(${n})``
in skip logic become engine conditions; a pattern that cannot be read, or a sum over
something that is not a number, is named with its row. No pattern can stall a page."""

from __future__ import annotations

import time

import pytest
from pyxform.xls2xform import convert

from surveys import DefinitionError, validate_answers, visible_questions
from surveys.patterns import matches
from surveys.xlsform import export_xlsform, import_xlsform
from tests.surveys.helpers import make, q
from tests.surveys.test_xlsform import workbook_bytes

SURVEY = [
    ["type", "name", "label", "constraint", "constraint_message", "relevant"],
    ["text", "phone", "Phone", "regex(., '^[0-9]{10}$')", "Ten digits, like 0612345678"],
    ["integer", "adults", "Adults"],
    ["text", "mobile", "Mobile?", None, None, "regex(${phone}, '^06')"],
    ["text", "big", "Big household?", None, None, "sum(${adults}) > 4"],
    ["text", "code", "Code", "regex(., '([')"],
    ["text", "other", "Other", None, None, "sum(${phone}) > 1"],
]


def test_patterns_and_sums_are_read_into_the_engine():
    result = import_xlsform(workbook_bytes(SURVEY))
    survey = result.definition
    phone = survey.question("phone")
    assert phone.pattern == "^[0-9]{10}$"
    assert phone.constraint_message == {"en": "Ten digits, like 0612345678"}
    assert survey.question("mobile").show_if.op == "matches"
    assert survey.question("code").pattern is None
    report = [(p.row, p.column, p.outcome, p.message_code) for p in result.report]
    assert report == [
        (6, "constraint", "adapted", "constraint_unsupported"),
        (7, "relevant", "left_out", "relevant_sum_not_a_number"),
    ]
    refused = validate_answers(survey, {"phone": "12345"})
    assert [(e.code, e.question) for e in refused.errors] == [("pattern_mismatch", "phone")]
    assert visible_questions(survey, {"phone": "0612345678", "adults": 5})[2:4] == [
        "mobile",
        "big",
    ]
    assert "mobile" not in visible_questions(survey, {"phone": "0712345678", "adults": 1})
    assert "big" not in visible_questions(survey, {"phone": "0712345678", "adults": 1})


def test_a_phone_typed_in_arabic_indic_digits_fits_a_digits_pattern_and_is_kept_as_typed():
    survey = import_xlsform(workbook_bytes(SURVEY)).definition
    typed = "٠٦١٢٣٤٥٦٧٨"  # 0612345678, as an Arabic keyboard writes it
    result = validate_answers(survey, {"phone": typed})
    assert result.ok and result.answers["phone"] == typed
    assert "mobile" in visible_questions(survey, {"phone": typed, "adults": 1})


def test_patterns_are_exported_as_regex_pyxform_converts():
    survey = import_xlsform(workbook_bytes(SURVEY)).definition
    data = export_xlsform(survey)
    warnings: list[str] = []
    xform = convert(xlsform=data, warnings=warnings, file_type=".xlsx").xform
    assert warnings == []
    assert "regex(., '^[0-9]{10}$')" in xform and "regex( /data/page_1/phone , '^06')" in xform
    again = import_xlsform(data)
    assert again.report == () and again.definition == survey


def test_no_pattern_stalls_a_page():
    started = time.monotonic()
    assert not matches("^(a|aa)*$", "a" * 5000 + "b")
    assert not matches("(x+x+)+y", "x" * 5000)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(
    ("question", "code"),
    [
        (q("n", "number", pattern="^1"), "not_allowed_for_type"),
        (q("t", "short_text", pattern="(["), "invalid_pattern"),
        (
            q("t", "short_text", show_if={"question": "a", "op": "matches", "value": "(["}),
            "invalid_condition_value",
        ),
    ],
)
def test_definitions_with_an_unusable_pattern_are_refused(question, code):
    with pytest.raises(DefinitionError) as info:
        make([q("a", "short_text"), question])
    assert [p.code for p in info.value.problems] == [code]
