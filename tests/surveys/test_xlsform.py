"""XLSForm import/export: round trips, ODK-style forms, and row-level rejection."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook

from surveys import ImportFailed, SurveyDefinition, visible_questions
from surveys import demographics as d
from surveys.conditions import Comparison, condition_to_dict
from surveys.xlsform import (
    RelevantError,
    export_xlsform,
    import_xlsform,
    parse_relevant,
    to_relevant,
)
from tests.surveys.helpers import definition_dict, q


def tr(en: str, es: str | None = None) -> dict[str, str]:
    return {"en": en, "es": es or f"{en} (es)"}


def rich_definition() -> SurveyDefinition:
    """Every type and feature XLSForm can carry, in two languages."""
    choices = [
        {"value": "late", "label": tr("Late", "Tarde")},
        {"value": "crowded", "label": tr("Crowded", "Lleno")},
        {"value": "other", "label": tr("Other", "Otro"), "specify": True},
        {"value": "none", "label": tr("None", "Ninguno"), "exclusive": True},
    ]
    page1 = [
        {**q("intro", "info"), "label": tr("Welcome")},
        {**q("consent", "consent", required=True), "label": tr("I agree")},
        {
            **q("story", "long_text", analysis_role="job_situation", max_length=2000),
            "label": tr("What were you trying to do?"),
            "help": tr("A recent time"),
        },
        {**q("name", "short_text"), "label": tr("Nickname")},
        {**q("uses_bus", "yes_no", required=True), "label": tr("Do you ride the bus?")},
        {
            **q(
                "issues",
                "multiple_choice",
                options=choices,
                show_if={"question": "uses_bus", "op": "equals", "value": "yes"},
            ),
            "label": tr("Problems"),
        },
        {
            **q(
                "top",
                "pick_up_to",
                max_choices=2,
                options=choices[:3],
                show_if={
                    "any": [
                        {"question": "issues", "op": "contains", "value": "late"},
                        {"not": {"question": "name", "op": "answered"}},
                    ]
                },
            ),
            "label": tr("Top two"),
        },
    ]
    page2 = [
        {**q("imp_bus", "scale", analysis_role="outcome_importance", outcome="reliable_bus",
             point_labels={"0": tr("Not important"), "10": {"en": "Very important"}}),
         "label": tr("How important is a reliable bus?")},
        {**q("sat_bus", "scale", analysis_role="outcome_satisfaction", outcome="reliable_bus"),
         "label": tr("How satisfied are you?")},
        {**q("stars", "rating", minimum=1, maximum=4,
             point_labels={"1": tr("Bad"), "4": tr("Good")}), "label": tr("Rate it")},
        {**q("kids", "number", minimum=0, maximum=15, show_if={"all": [
            {"question": "sat_bus", "op": "lte", "value": 5},
            {"question": "uses_bus", "op": "not_equals", "value": "no"}]}),
         "label": tr("Children"), "constraint_message": tr("At most 15")},
        {**q("rent", "number", decimals=True, minimum=0.5), "label": tr("Rent share")},
        {**q("moved", "date", minimum="2000-01-01", maximum="2030-12-31"), "label": tr("Moved")},
        {**q("places", "matrix", required=True,
             rows=[{"value": "park", "label": tr("Park")},
                   {"value": "library", "label": tr("Library")}],
             options=[{"value": "good", "label": tr("Good")},
                      {"value": "poor", "label": tr("Poor")}]),
         "label": tr("How are these places?")},
        d.area([("north", tr("North")), ("south", tr("South"))],
               languages=("en", "es")).to_dict(),
        d.race_ethnicity(languages=("en", "es")).to_dict(),
    ]  # fmt: skip
    data = definition_dict(
        page1, page2, version="7", description=tr("About the bus"), thank_you=tr("Thanks!")
    )
    data["pages"][0]["title"] = tr("Your experience")
    data["pages"][1]["title"] = tr("Priorities")
    data["pages"][1]["description"] = tr("0 means not at all")
    data["pages"].append(
        {
            "key": "young",
            "title": tr("Young people"),
            "show_if": {"question": "kids", "op": "gt", "value": 0},
            "questions": [{**q("youth", "dropdown", options=choices[:2]), "label": tr("Y")}],
        }
    )
    return SurveyDefinition.from_dict(data)


def test_xlsform_round_trip_keeps_everything_representable() -> None:
    original = rich_definition()
    imported = import_xlsform(export_xlsform(original))
    assert imported.warnings == ()
    assert imported.definition.to_dict() == original.to_dict()


def test_xlsform_export_uses_standard_sheets_and_columns() -> None:
    workbook = load_workbook(io.BytesIO(export_xlsform(rich_definition())))
    assert workbook.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in workbook["survey"][1]]
    assert header[:4] == ["type", "name", "label::English (en)", "label::Spanish (es)"]
    types = [row[0] for row in workbook["survey"].iter_rows(min_row=2, values_only=True)]
    assert "acknowledge" in types and "note" in types and "select_one yes_no" in types
    assert "select_multiple issues" in types
    settings = dict(zip(*workbook["settings"].iter_rows(values_only=True), strict=True))
    assert settings["form_id"] == "test"
    assert settings["default_language"] == "English (en)"
    assert settings["version"] == "7"
    assert settings["engage_thank_you::Spanish (es)"] == "Thanks! (es)"


def workbook_bytes(
    survey: list[list[Any]],
    choices: list[list[Any]] | None = None,
    settings: list[list[Any]] | None = None,
) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for title, rows in (("survey", survey), ("choices", choices), ("settings", settings)):
        if rows is None:
            continue
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ODK_SURVEY = [
    ["type", "name", "label::English (en)", "label::Español (es)", "hint::English (en)",
     "required", "relevant", "constraint", "appearance", "parameters", "constraint_message"],
    ["start", "start"],
    ["end", "end"],
    ["note", "welcome", "Welcome!", "¡Bienvenidos!"],
    ["acknowledge", "ok", "I agree", "Acepto", None, "yes"],
    ["begin group", "transport", "Getting around", "Movilidad"],
    ["select_one yn", "bus", "Do you take the bus?", "¿Toma el autobús?", None, "TRUE"],
    ["select_multiple problems or_other", "problems", "What goes wrong?", "¿Qué falla?",
     "Choose all", None, "${bus} = 'yes'"],
    ["integer", "age", "Age", "Edad", None, None, None, ". >= 0 and . <= 120", None, None,
     "Must be 0-120"],
    ["text", "phone", "Phone", "Teléfono", None, None, None, "string-length(.) <= 20"],
    ["text", "story", "Tell us", "Cuéntenos", None, None,
     "selected(${problems}, 'late') and ${age} >= 18", None, "multiline"],
    ["range", "score", "Score", "Puntaje", None, None, None, None, None,
     "start=0 end=10 step=1"],
    ["select_one area", "area", "Area", "Zona", None, None, None, None, "minimal"],
    ["begin group", "grid", "Places", "Lugares", None, None, None, None, "table-list"],
    ["select_one rating", "grid_park", "Park", "Parque", None, "yes"],
    ["select_one rating", "grid_pool", "Pool", "Piscina", None, "yes"],
    ["end group"],
    ["end group"],
    ["date", "visit", "Visit date", "Fecha"],
]  # fmt: skip
ODK_CHOICES = [
    ["list_name", "name", "label::English (en)", "label::Español (es)"],
    ["yn", "yes", "Yes", "Sí"],
    ["yn", "no", "No", "No"],
    ["problems", "late", "Late", "Tarde"],
    ["problems", "crowded", "Crowded", "Lleno"],
    ["area", "north", "North", "Norte"],
    ["area", "south", "South", "Sur"],
    ["rating", "good", "Good", "Bueno"],
    ["rating", "poor", "Poor", "Malo"],
]
ODK_SETTINGS = [
    ["form_title", "form_id", "version", "default_language"],
    ["Bus Survey", "Bus_Survey 2024", 2024061501, "English (en)"],
]


def test_xlsform_imports_odk_style_form() -> None:
    result = import_xlsform(workbook_bytes(ODK_SURVEY, ODK_CHOICES, ODK_SETTINGS))
    survey = result.definition
    assert survey.slug == "bus-survey-2024"
    assert survey.version == "2024061501"
    assert survey.languages == ("en", "es")
    assert [p.key for p in survey.pages] == ["page_1", "transport", "page_3"]
    assert [x.code for x in survey.pages[1].questions] == [
        "bus", "problems", "age", "phone", "story", "score", "area", "grid",
    ]  # fmt: skip
    assert survey.question("ok").type == "consent" and survey.question("ok").required
    assert survey.question("bus").type == "single_choice"
    problems = survey.question("problems")
    assert problems.type == "multiple_choice"
    assert problems.specify_option is not None and problems.specify_option.value == "other"
    assert problems.help == {"en": "Choose all"}
    assert problems.label == {"en": "What goes wrong?", "es": "¿Qué falla?"}
    age = survey.question("age")
    assert (age.type, age.minimum, age.maximum) == ("number", 0, 120)
    assert survey.question("story").type == "long_text"
    assert survey.question("score").type == "scale"
    assert survey.question("area").type == "dropdown"
    grid = survey.question("grid")
    assert grid.type == "matrix" and grid.required
    assert [r.value for r in grid.rows] == ["park", "pool"]
    assert [o.value for o in grid.options] == ["good", "poor"]
    warnings = {(w.row, w.message_code) for w in result.warnings}
    assert warnings == {
        (2, "metadata_ignored"),
        (3, "metadata_ignored"),
    }
    assert age.constraint_message == {"en": "Must be 0-120"}  # kept with its constraint


def test_xlsform_imported_skip_logic_works() -> None:
    survey = import_xlsform(workbook_bytes(ODK_SURVEY, ODK_CHOICES, ODK_SETTINGS)).definition
    shown = visible_questions(survey, {"bus": "yes", "problems": ["late"], "age": 30})
    assert "problems" in shown and "story" in shown
    shown = visible_questions(survey, {"bus": "yes", "problems": ["late"], "age": 12})
    assert "story" not in shown
    assert "problems" not in visible_questions(survey, {"bus": "no"})


def _report(result: Any) -> list[tuple[str, int, str, str, str]]:
    return [(p.sheet, p.row, p.column, p.outcome, p.message_code) for p in result.report]


def test_xlsform_leaves_out_unsupported_rows_and_lists_each_with_its_cause() -> None:
    survey = [
        ["type", "name", "label", "required", "relevant", "choice_filter"],
        ["text", "name", "Name"],
        ["geopoint", "where", "Where are you?"],
        ["image", "photo", "Photo"],
        ["calculate", "calc", None],
        ["select_one fruit", "fruit", "Fruit", None, None, "${name} = 'x'"],
        ["text", "why", "Why", None, "string-length(${name}) > 3"],
        ["text", "later", "Later", None, "${after} = 'x'"],
        ["integer", "n", "N", "${name} != ''"],
        ["select_one missing", "m", "M"],
        ["begin repeat", "kids", "Kids"],
        ["text", "kid_name", "Kid name"],
        ["end repeat"],
        ["text", "after", "After", None, "${kid_name} = 'x'"],
        ["time", "when", "When"],
        ["select_one_from_file places.csv", "place", "Place"],
        ["text", "nope", "Nope", None, "${nothing} = 'x'"],
    ]
    choices = [["list_name", "name", "label"], ["fruit", "apple", "Apple"]]
    result = import_xlsform(workbook_bytes(survey, choices))
    codes = ["name", "where", "fruit", "n", "when"]
    assert [q.code for q in result.definition.questions()] == codes
    assert result.definition.question("where").type == "short_text"
    assert result.definition.question("when").type == "time"
    assert _report(result) == [
        ("survey", 3, "type", "adapted", "location_as_text"),
        ("survey", 4, "type", "left_out", "media_unsupported"),
        ("survey", 5, "calculation", "left_out", "calculation_missing"),
        ("survey", 6, "choice_filter", "adapted", "choice_filter_unsupported_expression"),
        ("survey", 7, "relevant", "left_out", "relevant_unsupported_expression"),
        ("survey", 8, "relevant", "left_out", "relevant_later_question"),
        ("survey", 9, "required", "adapted", "required_expression_unsupported"),
        ("survey", 10, "type", "left_out", "unknown_choice_list"),
        ("survey", 11, "type", "left_out", "repeat_unsupported"),
        ("survey", 14, "relevant", "left_out", "relevant_refers_to_left_out"),
        ("survey", 16, "type", "left_out", "select_from_file_missing"),
        ("survey", 17, "relevant", "left_out", "relevant_unknown_or_later_question"),
    ]
    by_row = {p.row: p.params for p in result.report}
    assert by_row[3] == {"type": "geopoint"}
    assert by_row[7]["near"] == "string-length"
    assert by_row[11] == {"name": "kids"}
    assert by_row[14]["question"] == "kid_name"


def test_xlsform_definition_problems_leave_out_their_rows() -> None:
    survey = [
        ["type", "name", "label"],
        ["text", "name", "Name"],
        ["text", "name", "Name again"],
        ["integer", "age"],
        [
            "integer",
            "kids",
            "Kids",
        ],
    ]
    result = import_xlsform(workbook_bytes(survey))
    assert [q.code for q in result.definition.questions()] == ["name", "kids"]
    assert _report(result) == [
        ("survey", 3, "name", "left_out", "duplicate_code"),
        ("survey", 4, "label", "left_out", "source_text_missing"),
    ]


def test_xlsform_choices_problems_point_at_rows() -> None:
    survey = [["type", "name", "label"], ["select_one c", "c", "C"]]
    choices = [
        ["list_name", "name", "label"],
        ["c", "a", "A"],
        ["c", "a", "A again"],
        ["c", "b"],
        ["c", None, "No name"],
    ]
    result = import_xlsform(workbook_bytes(survey, choices))
    assert [o.value for o in result.definition.question("c").options] == ["a", "b"]
    assert result.definition.question("c").options[1].label == {"en": "b"}
    assert _report(result) == [
        ("choices", 3, "name", "left_out", "duplicate_choice"),
        ("choices", 4, "label", "adapted", "choice_label_missing"),
        ("choices", 5, "name", "left_out", "choice_missing_list_name_or_name"),
    ]


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"not a spreadsheet", "not_a_form_file"),
        (b"", "empty_file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 broken", "not_an_xls_file"),
        (workbook_bytes([["type"]], None, None)[:100], "not_an_xlsx_file"),
    ],
)
def test_xlsform_rejects_unreadable_files(content: bytes, code: str) -> None:
    with pytest.raises(ImportFailed) as info:
        import_xlsform(content)
    assert [p.message_code for p in info.value.problems] == [code]


def test_xlsform_rejects_workbook_without_survey_sheet() -> None:
    book = Workbook()
    book.active.title = "questions"
    book.create_sheet("notes")
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportFailed) as info:
        import_xlsform(buffer.getvalue())
    assert [(p.sheet, p.message_code) for p in info.value.problems] == [("survey", "missing_sheet")]


def test_xlsform_rejects_form_without_questions() -> None:
    with pytest.raises(ImportFailed) as info:
        import_xlsform(workbook_bytes([["type", "name", "label"]]))
    assert [p.message_code for p in info.value.problems] == ["no_questions_imported"]


def test_xlsform_plain_label_column_uses_default_language() -> None:
    survey = [["type", "name", "label", "label::Arabic (ar)"], ["text", "a", "Name", "الاسم"]]
    settings = [["form_title", "default_language"], ["Form", "fr"]]
    definition = import_xlsform(workbook_bytes(survey, None, settings)).definition
    assert definition.source_language == "fr"
    assert definition.question("a").label == {"fr": "Name", "ar": "الاسم"}
    assert definition.title == {"fr": "Form"}


TYPES = {"a": "single_choice", "m": "multiple_choice", "n": "number", "t": "short_text"}


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("${a} = 'x'", {"question": "a", "op": "equals", "value": "x"}),
        ('${a} != "x"', {"question": "a", "op": "not_equals", "value": "x"}),
        ("${a} != ''", {"question": "a", "op": "answered"}),
        ("${a} = ''", {"question": "a", "op": "not_answered"}),
        ("selected(${m}, 'x')", {"question": "m", "op": "contains", "value": "x"}),
        ("selected(${a}, 'x')", {"question": "a", "op": "equals", "value": "x"}),
        ("${n} >= 18", {"question": "n", "op": "gte", "value": 18}),
        ("${n} < 2.5", {"question": "n", "op": "lt", "value": 2.5}),
        ("${n} = '3'", {"question": "n", "op": "equals", "value": 3}),
        ("${a} = 1", {"question": "a", "op": "equals", "value": "1"}),
        ("contains(${t}, 'bus')", {"question": "t", "op": "contains", "value": "bus"}),
        ("count-selected(${m}) > 0", {"question": "m", "op": "answered"}),
        ("count-selected(${m}) = 0", {"question": "m", "op": "not_answered"}),
        ("count-selected(${m}) >= 2", {"question": "m", "op": "count_gte", "value": 2}),
        ("count-selected(${m}) > 1", {"question": "m", "op": "count_gt", "value": 1}),
        ("count-selected(${m}) < 2", {"question": "m", "op": "count_lt", "value": 2}),
        ("count-selected(${m}) <= 3", {"question": "m", "op": "count_lte", "value": 3}),
        ("count-selected(${m}) = 3", {"question": "m", "op": "count_equals", "value": 3}),
        ("count-selected(${m}) != 1", {"question": "m", "op": "count_not_equals", "value": 1}),
        ("string-length(${t}) >= 1", {"question": "t", "op": "answered"}),
        ("${a} = “x”", {"question": "a", "op": "equals", "value": "x"}),
        ("regex(${t}, '^[0-9]{3}$')", {"question": "t", "op": "matches", "value": "^[0-9]{3}$"}),
        ("sum(${n}) >= 2", {"question": "n", "op": "gte", "value": 2}),
        (
            "${a} = 'x' and ${n} > 1 or not(selected(${m}, 'y'))",
            {"any": [
                {"all": [{"question": "a", "op": "equals", "value": "x"},
                         {"question": "n", "op": "gt", "value": 1}]},
                {"not": {"question": "m", "op": "contains", "value": "y"}},
            ]},
        ),
        (
            "${a} = 'x' and (${n} > 1 or ${n} < -1)",
            {"all": [
                {"question": "a", "op": "equals", "value": "x"},
                {"any": [{"question": "n", "op": "gt", "value": 1},
                         {"question": "n", "op": "lt", "value": -1}]},
            ]},
        ),
    ],
)  # fmt: skip
def test_relevant_parses_supported_expressions(expression: str, expected: dict[str, Any]):
    condition = parse_relevant(expression, TYPES)
    assert condition_to_dict(condition) == expected
    assert parse_relevant(to_relevant(condition, TYPES), TYPES) == condition


@pytest.mark.parametrize(
    ("expression", "code"),
    [
        ("${a} = 'x' + 1", "unsupported_expression"),
        ("count-selected(${m}) > 1.5", "unsupported_expression"),
        ("count-selected(${m}) >= -1", "unsupported_expression"),
        ("count-selected(${a}) >= 2", "count_needs_multiple_choice"),
        ("string-length(${t}) > 3", "unsupported_expression"),
        ("regex(${t}, '([')", "invalid_pattern"),
        ("regex(${t})", "unsupported_expression"),
        ("sum(${t}) > 1", "sum_not_a_number"),
        ("${zzz} = 'x'", "unknown_or_later_question"),
        ("${n} > 'many'", "not_a_number"),
        ("${a} = 'x' and", "unsupported_expression"),
        ("(${a} = 'x'", "unsupported_expression"),
        ("today() > '2020-01-01'", "unsupported_expression"),
        ("${a} = 'x' ${a} = 'y'", "unsupported_expression"),
    ],
)
def test_relevant_rejects_unsupported_expressions(expression: str, code: str) -> None:
    with pytest.raises(RelevantError) as info:
        parse_relevant(expression, TYPES)
    assert info.value.code == code


def test_relevant_writes_in_as_or_of_tests() -> None:
    single = to_relevant(Comparison("a", "in", ("x", "y")), TYPES)
    multi = to_relevant(Comparison("m", "in", ("x", "y")), TYPES)
    assert single == "${a} = 'x' or ${a} = 'y'"
    assert multi == "selected(${m}, 'x') or selected(${m}, 'y')"


@pytest.mark.parametrize(
    ("xls_type", "constraint", "bounds"),
    [
        ("integer", ". < 30", (None, 29)),
        ("integer", ". > 0", (1, None)),
        ("integer", ". >= 0 and . <= 120", (0, 120)),
        ("integer", ". > 17 and . < 100", (18, 99)),
        ("decimal", ". >= 0.5 and . <= 2.5", (0.5, 2.5)),
    ],
)
def test_xlsform_number_constraints_become_the_questions_limits(
    xls_type: str, constraint: str, bounds: tuple[Any, Any]
) -> None:
    survey = [["type", "name", "label", "constraint"], [xls_type, "n", "N", constraint]]
    question = import_xlsform(workbook_bytes(survey)).definition.question("n")
    assert (question.minimum, question.maximum) == bounds


@pytest.mark.parametrize(
    ("xls_type", "constraint"),
    [
        ("text", "regex(., '([')"),
        ("integer", "regex(., '^[0-9]+$')"),
        ("integer", ". != 5"),
        ("integer", ". >= ${other}"),
        ("decimal", ". > 0"),  # limits include their number: 0 would be let through
        ("select_one yn", ". = 'yes'"),
    ],
)
def test_xlsform_a_constraint_engage_cannot_keep_is_left_out_and_listed(
    xls_type: str, constraint: str
) -> None:
    survey = [
        ["type", "name", "label", "constraint"],
        ["integer", "other", "Other"],
        [xls_type, "q", "Q", constraint],
    ]
    choices = [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]
    result = import_xlsform(workbook_bytes(survey, choices))
    question = result.definition.question("q")
    assert (question.minimum, question.maximum, question.max_length) == (None, None, None)
    assert [
        (p.sheet, p.row, p.column, p.outcome, p.message_code, p.params) for p in result.report
    ] == [
        ("survey", 3, "constraint", "adapted", "constraint_unsupported", {"constraint": constraint})
    ]
