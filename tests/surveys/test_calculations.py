"""XLSForm ``calculate`` rows: values worked out on the server from the answers when a
response is sent, stored with it and exported; each expression Engage cannot work out
named with its row, never a crash."""

from __future__ import annotations

import pytest
from pyxform.xls2xform import convert

from surveys import DefinitionError, SurveyDefinition, validate_answers
from surveys.calculations import (
    CalculationError,
    compute,
    evaluate,
    parse_calculation,
    stored_value,
)
from surveys.export import answer_cells, table_columns
from surveys.piping import pipe
from surveys.xlsform import export_xlsform, import_xlsform
from tests.surveys.helpers import definition_dict, opt, q
from tests.surveys.test_xlsform import workbook_bytes


def household(*calculations: dict[str, str]) -> SurveyDefinition:
    return SurveyDefinition.from_dict(
        definition_dict(
            [
                q("adults", "number"),
                q("kids", "number"),
                q("name", "short_text"),
                q("uses", "multiple_choice", options=[opt("bus"), opt("train"), opt("walk")]),
            ],
            [{**q("thanks", "info"), "label": {"en": "${name}, you are ${people} people"}}],
            calculations=list(calculations),
        )
    )


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("${adults} + ${kids}", 5),
        ("(${adults} + ${kids}) div 2", 2.5),
        ("round(${adults} div 3, 2)", 0.67),
        ("${kids} mod 2", 1),
        ("-${adults} * 2", -4),
        ("if(${adults} + ${kids} > 4, 'large', 'small')", "large"),
        ("concat(${name}, ' (', ${adults}, ')')", "Ana (2)"),
        ("count-selected(${uses})", 2),
        ("selected(${uses}, 'walk') and not(selected(${uses}, 'train'))", "true"),
        ("int(7 div 2)", 3),
        ("string-length(${name})", 3),
        ("coalesce(${nobody_answered}, 'none')", "none"),
        ("${adults} = 2 or ${kids} = 'x'", "true"),
        ("number('4.5') * 2", 9),
        ("${name} = ‘Ana’", "true"),  # curly quotes, as spreadsheets type them
    ],
)
def test_the_safe_subset_works_out_as_xpath_does(expression, value):
    answers = {"adults": 2, "kids": 3, "name": "Ana", "uses": ["bus", "walk"]}
    assert stored_value(evaluate(parse_calculation(expression), answers)) == value


@pytest.mark.parametrize(
    ("expression", "code", "near"),
    [
        ("now()", "unsupported_function", "now"),
        ("${a} +", "unsupported_expression", ""),
        ("${a}[1]", "unsupported_expression", "[1]"),
        ("if(1, 2)", "wrong_arguments", "if"),
        ("pulldata('x', 'y')", "unsupported_function", "pulldata"),
        ("/data/a + 1", "unsupported_expression", "/data/a + 1"),
        ("(" * 400 + "1" + ")" * 400, "unsupported_expression", "("),
        # Each "+" nests a level: reading or working it out would recurse too deep.
        ("+".join(["1"] * 700) + "+${a}", "unsupported_expression", "1+1+1+1+1+1+1+1+1+1+"),
    ],
)
def test_an_expression_outside_the_subset_says_where(expression, code, near):
    with pytest.raises(CalculationError) as info:
        parse_calculation(expression)
    assert (info.value.code, info.value.near) == (code, near)


def test_rounding_a_number_too_large_for_decimals_keeps_it():
    assert evaluate(parse_calculation("round(${t}, 1)"), {"t": 1e308}) == 1e308


def test_a_calculation_of_a_question_of_no_known_type_is_refused_not_a_crash():
    data = definition_dict([q("odd", "nonsense")])
    data["calculations"] = [{"code": "c", "expression": "${odd} + 1"}]
    with pytest.raises(DefinitionError):
        SurveyDefinition.from_dict(data)


def test_a_response_stores_its_calculations_whatever_was_sent_for_them():
    survey = household(
        {"code": "people", "expression": "${adults} + ${kids}"},
        {"code": "each", "expression": "round(100 div ${people}, 1)"},
    )
    result = validate_answers(survey, {"adults": 2, "kids": 1, "people": 99})
    assert result.ok
    assert result.answers == {"adults": 2, "kids": 1, "people": 3, "each": 33.3}
    # Unanswered: NaN is not stored; a stored response validates to itself.
    assert validate_answers(survey, {"adults": 2}).answers == {"adults": 2}
    assert validate_answers(survey, result.answers).answers == result.answers
    assert table_columns([survey])[-2:] == ["people", "each"]
    assert answer_cells(survey, result.answers)["each"] == 33.3


def test_a_label_shows_a_calculation_worked_out_from_the_answers_so_far():
    survey = household({"code": "people", "expression": "${adults} + ${kids}"})
    label = survey.question("thanks").label["en"]
    answers = {"adults": 2, "kids": 2, "name": "Ana"}
    assert pipe(label, survey, {**answers, **compute(survey, answers)}, "en") == (
        "Ana, you are 4 people"
    )
    assert pipe(label, survey, {}, "en") == "…, you are … people"


@pytest.mark.parametrize(
    ("calculation", "code"),
    [
        ({"code": "c", "expression": "${nobody} + 1"}, "unknown_calculation_reference"),
        ({"code": "c", "expression": "${thanks} + 1"}, "unknown_calculation_reference"),
        ({"code": "c", "expression": "today()"}, "invalid_calculation"),
        ({"code": "adults", "expression": "1"}, "duplicate_code"),
    ],
)
def test_definitions_with_an_unusable_calculation_are_refused(calculation, code):
    with pytest.raises(DefinitionError) as info:
        household(calculation)
    assert [p.code for p in info.value.problems] == [code]


SURVEY = [
    ["type", "name", "label", "calculation", "relevant"],
    ["integer", "adults", "Adults"],
    ["calculate", "people", None, "${adults} + ${kids}"],
    ["calculate", "share", None, "${people} div ${adults}", "${adults} > 0"],
    ["integer", "kids", "Kids"],
    ["note", "n", "You are ${people}"],
    ["calculate", "when", None, "now()"],
    ["calculate", "loop_a", None, "${loop_b} + 1"],
    ["calculate", "loop_b", None, "${loop_a} + 1"],
    ["calculate", "gone", None, "${photo} + 1"],
    ["image", "photo", "Photo"],
    ["calculate", "empty", "Empty"],
    ["text", "why", "Why?", None, "${people} > 3"],
]


def test_calculate_rows_are_imported_and_each_one_left_out_is_named():
    result = import_xlsform(workbook_bytes(SURVEY))
    survey = result.definition
    assert [c.to_dict() for c in survey.calculations] == [
        {"code": "people", "expression": "${adults} + ${kids}"},
        {"code": "share", "expression": "if(${adults} > 0, ${people} div ${adults}, '')"},
    ]
    report = [(p.row, p.column, p.outcome, p.message_code, p.params) for p in result.report]
    assert report == [
        (7, "calculation", "left_out", "calculation_unsupported_function", {"near": "now"}),
        (8, "calculation", "left_out", "calculation_cycle", {"question": "loop_b"}),
        (9, "calculation", "left_out", "calculation_cycle", {"question": "loop_a"}),
        (10, "calculation", "left_out", "calculation_refers_to_left_out", {"question": "photo"}),
        (11, "type", "left_out", "media_unsupported", {"type": "image"}),
        (12, "calculation", "left_out", "calculation_missing", {}),
        (
            13,
            "relevant",
            "left_out",
            "relevant_refers_to_calculation",
            {"expression": "${people} > 3", "question": "people"},
        ),
    ]
    assert validate_answers(survey, {"adults": 2, "kids": 2}).answers == {
        "adults": 2,
        "kids": 2,
        "people": 4,
        "share": 2,
    }
    assert validate_answers(survey, {"adults": 0, "kids": 2}).answers["people"] == 2
    assert "share" not in validate_answers(survey, {"adults": 0, "kids": 2}).answers


def test_calculations_are_exported_as_calculate_rows_pyxform_converts():
    survey = import_xlsform(workbook_bytes(SURVEY)).definition
    data = export_xlsform(survey)
    warnings: list[str] = []
    xform = convert(xlsform=data, warnings=warnings, file_type=".xlsx").xform
    assert warnings == []
    assert 'calculate=" /data/page_1/adults  +  /data/page_1/kids "' in xform
    again = import_xlsform(data)
    assert again.report == () and again.definition == survey


def test_sum_of_one_answer_is_the_answer():
    assert stored_value(evaluate(parse_calculation("sum(${adults}) + 1"), {"adults": 2})) == 3


def test_a_renamed_question_is_followed_by_the_calculations_that_use_it():
    from surveys.editing import replace_question

    survey = household(
        {"code": "adults_2", "expression": "${adults} * 2"},
        {"code": "people", "expression": "${adults} + ${kids} + ${adults_2}"},
    )
    renamed = replace_question(survey.to_dict(), "adults", {**q("grown_ups", "number")})
    assert renamed["calculations"] == [
        {"code": "adults_2", "expression": "${grown_ups} * 2"},
        {"code": "people", "expression": "${grown_ups} + ${kids} + ${adults_2}"},
    ]
    assert SurveyDefinition.from_dict(renamed).calculations[1].code == "people"
