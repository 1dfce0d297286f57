"""XLSForm ``default`` and ``choice_filter`` (cascading selects), as KoboToolbox and ODK
users write them: read through pyxform into the engine, applied by the engine (defaults
prefilled, options filtered by earlier answers, other options refused), exported back to
an XLSForm pyxform converts, and every row Engage cannot follow reported precisely."""

from __future__ import annotations

import datetime

import pytest
from pyxform.xls2xform import convert

from surveys import (
    DefinitionError,
    page_defaults,
    validate_answers,
    validate_form_page,
    visible_questions,
)
from surveys.choice_filters import offered_options
from surveys.schema import FilterClause
from surveys.xlsform import export_xlsform, import_xlsform
from surveys.xlsform.filters import parse_choice_filter, to_choice_filter
from tests.surveys.helpers import make, opt, q
from tests.surveys.test_xlsform import workbook_bytes

PLACES = [
    ["list_name", "name", "label::English (en)", "label::Arabic (ar)", "district"],
    ["district", "north", "North", "الشمال", None],
    ["district", "south", "South", "الجنوب", None],
    ["village", "hill", "Hill", "التل", "north"],
    ["village", "lake", "Lake", "البحيرة", "north"],
    ["village", "port", "Port", "الميناء", "south"],
    ["transport", "bus", "Bus", "حافلة", None],
    ["transport", "train", "Train", "قطار", None],
    ["transport", "walk", "Walking", "المشي", None],
]
CASCADE = [
    ["type", "name", "label::English (en)", "label::Arabic (ar)", "choice_filter", "default"],
    ["begin group", "where", "Where you live", "أين تسكن"],
    ["select_one district", "district", "District", "المنطقة", None, "north"],
    ["select_one village", "village", "Village", "القرية", "district=${district}"],
    ["integer", "years", "Years there", "السنوات", None, "5"],
    ["end group"],
    ["select_multiple transport", "uses", "Uses", "يستخدم", None, "bus walk"],
    ["select_one transport", "most", "Most used", "الأكثر", "selected(${uses}, name)"],
]


def test_a_cascading_select_in_one_group_is_split_so_each_page_filters_without_script():
    result = import_xlsform(workbook_bytes(CASCADE, PLACES))
    survey = result.definition
    assert [(p.key, [q.code for q in p.questions]) for p in survey.pages] == [
        ("where", ["district"]),
        ("where_2", ["village", "years"]),
        ("page_3", ["uses"]),
        ("page_3_2", ["most"]),
    ]
    assert survey.pages[1].title == {"en": "Where you live", "ar": "أين تسكن"}
    village = survey.question("village")
    assert [c.to_dict() for c in village.choice_filter] == [
        {"attribute": "district", "op": "equals", "question": "district"}
    ]
    assert [(o.value, o.attributes) for o in village.options] == [
        ("hill", {"district": "north"}),
        ("lake", {"district": "north"}),
        ("port", {"district": "south"}),
    ]
    assert survey.question("district").options[0].attributes == {}  # only what filters use
    assert survey.question("most").choice_filter[0].op == "selected_by"
    assert [(p.sheet, p.row, p.column, p.outcome, p.message_code) for p in result.report] == [
        ("survey", 4, "choice_filter", "adapted", "choice_filter_new_page"),
        ("survey", 8, "choice_filter", "adapted", "choice_filter_new_page"),
    ]
    assert result.report[0].params == {"question": "district"}


def test_defaults_are_read_as_the_answers_each_type_stores():
    survey = import_xlsform(workbook_bytes(CASCADE, PLACES)).definition
    assert survey.question("district").default == "north"
    assert survey.question("years").default == 5
    assert survey.question("uses").default == ["bus", "walk"]
    assert page_defaults(survey, 0, {}) == {"district": "north"}
    assert page_defaults(survey, 1, {"years": 9}) == {}  # a page already answered keeps its own


def test_export_keeps_default_and_filter_and_pyxform_converts_it():
    definition = import_xlsform(workbook_bytes(CASCADE, PLACES)).definition
    data = export_xlsform(definition)
    warnings: list[str] = []
    xform = convert(xlsform=data, warnings=warnings, file_type=".xlsx").xform
    assert warnings == []
    assert "item[district =  /data/where/district ]" in xform
    assert "<uses>bus walk</uses>" in xform and "<years>5</years>" in xform
    again = import_xlsform(data)
    assert again.report == ()
    assert again.definition.to_dict() == definition.to_dict()


@pytest.mark.parametrize(
    ("row", "code"),
    [
        (["date", "d", "D", None, "today()"], "default_expression_unsupported"),
        (["integer", "n", "N", None, "${x} + 1"], "default_expression_unsupported"),
        (["integer", "n", "N", None, "many"], "default_not_kept"),
        (["select_one district", "s", "S", None, "east"], "default_not_kept"),
        (["acknowledge", "ok", "OK", None, "OK"], "default_not_for_type"),
        (["rank transport", "r", "R", None, "bus"], "default_not_for_type"),
    ],
)
def test_a_default_engage_cannot_use_is_named_and_the_question_starts_blank(row, code):
    params = {"default": row[4]}
    survey = [["type", "name", "label", "choice_filter", "default"], ["text", "x", "X"], row]
    result = import_xlsform(workbook_bytes(survey, PLACES))
    assert result.definition.question(row[1]).default is None
    found = [(p.row, p.column, p.outcome, p.message_code, p.params) for p in result.report]
    assert found[0] == (3, "default", "adapted", code, params)
    assert [p.sheet for p in result.report[1:]] == ["choices"]  # the district column


@pytest.mark.parametrize(
    ("expression", "code"),
    [
        ("district=${district} or district='all'", "choice_filter_unsupported_expression"),
        ("district=${later}", "choice_filter_later_question"),
        ("district=${nowhere}", "choice_filter_unknown_or_later_question"),
        ("region=${district}", "choice_filter_unknown_column"),
        ("district=${uses}", "choice_filter_needs_selected"),
    ],
)
def test_a_filter_engage_cannot_follow_is_named_and_every_choice_is_offered(expression, code):
    survey = [
        ["type", "name", "label", "choice_filter"],
        ["select_one district", "district", "District"],
        ["select_multiple transport", "uses", "Uses"],
        ["select_one village", "village", "Village", expression],
        ["text", "later", "Later"],
    ]
    result = import_xlsform(workbook_bytes(survey, PLACES))
    village = result.definition.question("village")
    assert village.choice_filter == () and len(village.options) == 3
    assert [(p.sheet, p.row, p.column, p.outcome, p.message_code) for p in result.report] == [
        ("survey", 4, "choice_filter", "adapted", code),
        ("choices", 1, "district", "ignored", "choice_column_not_used"),
    ]
    assert result.report[0].params["filter"] == expression


def test_a_filter_on_a_question_left_out_is_dropped_and_said_so():
    survey = [
        ["type", "name", "label", "choice_filter"],
        ["select_one district", "district", "District"],
        ["begin group", "g", "G"],
        ["geotrace", "route", "Route"],
        ["end group"],
        ["select_one village", "village", "Village", "district=${district} and district=${route}"],
    ]
    result = import_xlsform(workbook_bytes(survey, PLACES))
    codes = [(p.row, p.message_code) for p in result.report if p.sheet == "survey"]
    assert codes == [(4, "geo_unsupported"), (6, "choice_filter_refers_to_left_out")]


# -- the engine ------------------------------------------------------------------------

VILLAGES = [
    opt("hill", attributes={"district": "north"}),
    opt("lake", attributes={"district": "north"}),
    opt("port", attributes={"district": "south"}),
]
FILTER = [{"attribute": "district", "op": "equals", "question": "district"}]


def _cascade(**village):
    return make(
        [q("district", "single_choice", options=[opt("north"), opt("south"), opt("east")])],
        [q("village", "single_choice", options=VILLAGES, choice_filter=FILTER, **village)],
    )


def test_the_engine_offers_only_the_options_the_earlier_answer_allows():
    survey = _cascade(required=True)
    village = survey.question("village")
    assert [o.value for o in offered_options(village, {"district": "north"})] == ["hill", "lake"]
    refused = validate_answers(survey, {"district": "south", "village": "hill"})
    assert [(e.code, e.question, e.params) for e in refused.errors] == [
        ("invalid_choice", "village", {"value": "hill"})
    ]
    page = validate_form_page(survey, 1, {"village": ["hill"]}, {"district": "south"})
    assert [e.code for e in page.errors] == ["invalid_choice"]
    assert validate_answers(survey, {"district": "south", "village": "port"}).ok


def test_a_filtered_question_with_nothing_to_offer_is_not_asked():
    survey = _cascade(required=True)
    assert "village" not in visible_questions(survey, {"district": "east"})
    result = validate_answers(survey, {"district": "east"})
    assert result.ok  # required, but nothing to choose from: not asked


def test_a_not_equals_filter_leaves_out_the_first_choice():
    survey = make(
        [q("first", "single_choice", options=[opt("a"), opt("b"), opt("c")])],
        [
            q(
                "second",
                "dropdown",
                options=[opt("a"), opt("b"), opt("c")],
                choice_filter=[{"attribute": "value", "op": "not_equals", "question": "first"}],
            )
        ],
    )
    second = survey.question("second")
    assert [o.value for o in offered_options(second, {"first": "b"})] == ["a", "c"]


@pytest.mark.parametrize(
    ("pages", "code"),
    [
        (
            [
                [
                    q("district", "single_choice", options=[opt("north")]),
                    q("village", "single_choice", options=VILLAGES, choice_filter=FILTER),
                ]
            ],
            "filter_same_page",
        ),
        (
            [
                [q("district", "short_text")],
                [q("village", "ranking", options=VILLAGES, choice_filter=FILTER)],
            ],
            "not_allowed_for_type",
        ),
        (
            [[q("n", "number", minimum=0, maximum=10, default=11)]],
            "invalid_default",
        ),
        ([[q("ok", "consent", default="yes")]], "not_allowed_for_type"),
    ],
)
def test_definitions_with_an_unusable_default_or_filter_are_refused(pages, code):
    with pytest.raises(DefinitionError) as info:
        make(*pages)
    assert code in [p.code for p in info.value.problems]


@pytest.mark.parametrize(
    ("expression", "clauses"),
    [
        ("district=${district}", [("district", "equals", "district")]),
        ("${district} = district", [("district", "equals", "district")]),
        ("filter = ${district}", [("filter", "equals", "district")]),
        ("name != ${first}", [("value", "not_equals", "first")]),
        ("selected(${uses}, name)", [("value", "selected_by", "uses")]),
        ("selected(${first}, name)", [("value", "equals", "first")]),  # one answer: equals
        (
            "district = ${district} and name != ${first}",
            [("district", "equals", "district"), ("value", "not_equals", "first")],
        ),
    ],
)
def test_choice_filters_as_forms_write_them(expression, clauses):
    types = {"district": "single_choice", "first": "dropdown", "uses": "multiple_choice"}
    parsed = parse_choice_filter(expression, types)
    assert [(c["attribute"], c["op"], c["question"]) for c in parsed] == clauses
    written = to_choice_filter([FilterClause(**c) for c in parsed])
    assert parse_choice_filter(written, types) == parsed


def test_a_date_typed_in_excel_is_read_as_the_date_typed():
    # Excel keeps 2010-06-15 typed in a cell as a date (pyxform's widgets.csv as .xlsx)
    survey_rows = [
        ["type", "name", "label", "default"],
        ["date", "my_date", "Date", datetime.datetime(2010, 6, 15)],
        ["dateTime", "seen", "Seen at", datetime.datetime(2010, 6, 15, 14, 30)],
        ["dateTime", "midnight", "Midnight", datetime.datetime(2010, 6, 15)],
        ["note", "n", datetime.datetime(2024, 1, 1)],
    ]
    result = import_xlsform(workbook_bytes(survey_rows))
    assert result.report == ()
    survey = result.definition
    assert survey.question("my_date").default == "2010-06-15"
    assert survey.question("seen").default == "2010-06-15T14:30"
    assert survey.question("midnight").default == "2010-06-15T00:00"
    assert survey.question("n").label == {"en": "2024-01-01"}
