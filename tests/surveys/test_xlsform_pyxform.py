"""XLSForms as KoboToolbox and ODK users write them, read through pyxform: every header
spelling, type alias and file form pyxform accepts; the report of what was left out or
adapted; and exports that pyxform turns into an XForm without a warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyxform.xls2xform import convert

from surveys import ImportFailed, SurveyDefinition, visible_pages
from surveys.xlsform import export_xlsform, import_xlsform
from tests.factories import full_definition, small_definition
from tests.surveys.test_xlsform import rich_definition, workbook_bytes

ALIASES_MD = """
| survey |
|        | type                          | name | label:english | label:español | bind:relevant           | hint:english |
|        | select one from yn            | bus  | Bus?          | ¿Bus?         |                         |              |
|        | select all that apply from pb | pb   | Problems      | Problemas     | ${bus} = “yes”          | Pick all     |
|        | string                        | why  | Why?          | ¿Por qué?     | selected(${pb}, 'late') |              |
|        | add integer prompt            | age  | Age           | Edad          |                         |              |
| choices |
|         | list name | name | label:english | label:español |
|         | yn        | yes  | Yes           | Sí            |
|         | yn        | no   | No            | No            |
|         | pb        | late | Late          | Tarde         |
| settings |
|          | form_title | form_id  | default_language |
|          | Bus        | bus_form | english          |
"""  # noqa: E501


def test_markdown_form_with_old_header_and_type_spellings():
    result = import_xlsform(ALIASES_MD.encode())
    survey = result.definition
    assert result.report == ()
    assert (survey.slug, survey.title) == ("bus-form", {"en": "Bus"})
    assert survey.languages == ("en", "es")
    assert [(q.code, q.type) for q in survey.questions()] == [
        ("bus", "single_choice"),
        ("pb", "multiple_choice"),
        ("why", "short_text"),
        ("age", "number"),
    ]
    assert survey.question("bus").label == {"en": "Bus?", "es": "¿Bus?"}
    assert survey.question("pb").help == {"en": "Pick all"}
    assert [o.value for o in survey.question("bus").options] == ["yes", "no"]
    # curly quotes in skip logic are straight quotes to pyxform
    assert survey.question("pb").show_if.value == "yes"
    assert survey.question("why").show_if.op == "contains"


def test_csv_form_with_relevance_and_caption_columns():
    csv = (
        "survey,type,name,caption,relevance,required\n"
        ",text,a,A,,yes\n"
        ",integer,b,B,${a} != '',\n"
        ",begin_group,g,Group,,\n"
        ",select_one yn,c,C,,\n"
        ",end_group,,,,\n"
        "choices,list_name,name,label\n"
        ",yn,yes,Yes\n"
        ",yn,no,No\n"
    )
    survey = import_xlsform(csv.encode()).definition
    assert [p.key for p in survey.pages] == ["page_1", "g"]
    assert survey.question("a").required and survey.question("a").label == {"en": "A"}
    assert survey.question("b").show_if.op == "answered"
    assert survey.question("c").type == "single_choice"


def test_xlsx_with_list_name_header_with_a_space_and_value_caption_aliases():
    survey = [
        ["Type", "Name", "Label::English (en)", "Label::Arabic (ar)", "bind::required"],
        ["select_multiple areas or_other", "area", "Area", "المنطقة", "TRUE"],
        ["select one areas", "home", "Home", "البيت"],
    ]
    choices = [
        ["list name", "value", "caption::English (en)", "caption::Arabic (ar)"],
        ["areas", "north", "North", "الشمال"],
        ["areas", "south", "South", "الجنوب"],
    ]
    result = import_xlsform(workbook_bytes(survey, choices))
    area = result.definition.question("area")
    assert result.report == ()
    assert area.required and [o.value for o in area.options] == ["north", "south", "other"]
    assert area.options[0].label == {"en": "North", "ar": "الشمال"}
    assert area.specify_option is not None
    assert result.definition.question("home").type == "single_choice"


def test_nested_groups_are_pages_shown_when_every_enclosing_condition_holds():
    survey = [
        ["type", "name", "label", "relevant"],
        ["text", "start", "Start"],
        ["begin group", "page", "Page", "${start} = 'go'"],
        ["select_one yn", "kids", "Kids?"],
        ["begin group", "about_kids", "About them", "${kids} = 'yes'"],
        ["integer", "count", "How many?", "${kids} != ''"],
        ["begin group", "deeper", None],
        ["text", "names", "Names"],
        ["end group"],
        ["end group"],
        ["text", "after", "After"],
        ["end group"],
    ]
    choices = [["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]]
    result = import_xlsform(workbook_bytes(survey, choices))
    pages = result.definition.pages
    assert [(p.key, p.title, [q.code for q in p.questions]) for p in pages] == [
        ("page_1", {}, ["start"]),
        ("page", {"en": "Page"}, ["kids"]),
        ("about_kids", {"en": "About them"}, ["count"]),
        ("deeper", {"en": "About them"}, ["names"]),  # no label: the enclosing group's
        ("page_2", {"en": "Page"}, ["after"]),  # the rest of the enclosing group
    ]
    both = {"start": "go", "kids": "yes"}
    assert [c.op for c in pages[2].show_if.conditions] == ["equals", "equals"]
    assert pages[3].show_if == pages[2].show_if and pages[4].show_if == pages[1].show_if
    assert visible_pages(result.definition, both) == [0, 1, 2, 3, 4]
    assert visible_pages(result.definition, {**both, "kids": "no"}) == [0, 1, 4]
    assert result.definition.question("count").show_if.op == "answered"
    assert [(p.row, p.outcome, p.message_code) for p in result.report] == [
        (5, "adapted", "nested_group_as_page"),
        (7, "adapted", "nested_group_as_page"),
    ]
    again = import_xlsform(export_xlsform(result.definition))
    assert again.report == () and again.definition == result.definition


def test_columns_engage_does_not_keep_are_listed_by_their_header():
    survey = [
        ["type", "name", "label", "constraint_message", "default", "media::image", "read_only"],
        ["integer", "n", "N ${n}", "Too big", "3", "n.png", "yes"],
        ["start", "start"],
        ["text", "t", "T", None, None, None, None],
    ]
    result = import_xlsform(workbook_bytes(survey))
    found = {(p.row, p.column, p.outcome, p.message_code) for p in result.report}
    assert found == {
        (2, "constraint_message", "ignored", "constraint_message_not_kept"),
        (2, "media::image", "ignored", "column_ignored"),
        (2, "read_only", "ignored", "column_ignored"),
        (2, "label", "adapted", "reference_shown_as_written"),
        (3, "type", "ignored", "metadata_ignored"),
    }
    assert result.definition.question("n").default == 3  # the default is kept


def test_a_range_with_a_step_is_left_out_with_its_parameters_column():
    survey = [
        ["type", "name", "label", "parameters"],
        ["range", "r", "R", "start=0 end=10 step=2"],
        ["text", "t", "T"],
    ]
    result = import_xlsform(workbook_bytes(survey))
    assert [(p.column, p.outcome, p.message_code) for p in result.report] == [
        ("parameters", "left_out", "range_step_unsupported")
    ]


def test_a_form_where_nothing_can_be_imported_is_refused_with_every_reason():
    survey = [["type", "name", "label"], ["geotrace", "g", "Route"], ["calculate", "c", "C"]]
    with pytest.raises(ImportFailed) as info:
        import_xlsform(workbook_bytes(survey))
    codes = [p.message_code for p in info.value.problems]
    assert codes == ["no_questions_imported", "geo_unsupported", "calculation_missing"]


@pytest.mark.parametrize("data", [b"", b"   \n", b"PK\x03\x04"])
def test_an_empty_or_broken_file_gets_a_true_message(data):
    with pytest.raises(ImportFailed) as info:
        import_xlsform(data)
    code = info.value.problems[0].message_code
    assert code == ("not_an_xlsx_file" if data.startswith(b"PK") else "empty_file")


@pytest.mark.parametrize(
    "definition",
    [
        rich_definition(),
        SurveyDefinition.from_dict(full_definition("pyxform-export")),
        SurveyDefinition.from_dict(small_definition("small")),  # bounds at their defaults
    ],
    ids=["rich", "full", "small"],
)
def test_exports_are_xlsforms_pyxform_converts_without_warnings(definition):
    warnings: list[str] = []
    result = convert(xlsform=export_xlsform(definition), warnings=warnings, file_type=".xlsx")
    assert "<h:html" in result.xform and warnings == []
    again = import_xlsform(export_xlsform(definition))
    assert again.report == () and again.definition.to_dict() == definition.to_dict()


def test_upper_case_headers_and_language_codes_as_some_tools_write_them():
    csv = (
        "SURVEY  ,\n"
        "  , TYPE                   , NAME , LABEL::EN      , CHOICE_FILTER\n"
        "  , select_one c1          , q1   , Are you well?  ,\n"
        "  , select_one_external c1 , q2   , Where are you? , size=${q1}\n"
        "  , osm c1                 , q3   , Which building? ,\n"
        "CHOICES ,\n"
        "  , LIST_NAME , NAME , LABEL::EN\n"
        "  , c1        , a    , Yes\n"
        "  , c1        , b    , No\n"
        "SETTINGS ,\n"
        "  , FORM_TITLE , FORM_ID , DEFAULT_LANGUAGE\n"
        "  , Well       , Well    , EN\n"
    )
    result = import_xlsform(csv.encode())
    assert result.definition.languages == ("en",)
    assert result.definition.question("q1").label == {"en": "Are you well?"}
    assert [(p.row, p.column, p.message_code, p.params) for p in result.report] == [
        (3, "TYPE", "select_from_file_unsupported", {"type": "select_one_external c1"}),
        (4, "TYPE", "unsupported_type", {"type": "osm c1"}),
    ]


def test_loops_are_left_out_like_repeats():
    markdown = """
| survey |
| | type | name | label:english |
| | select all that apply from toilet or specify other | toilets | Which toilets? |
| | begin loop over toilet | each_toilet |
| | integer | number | How many? |
| | end loop |
| choices |
| | list name | name | label:english |
| | toilet | pit | Pit latrine |
| | toilet | flush | Flush toilet |
"""
    result = import_xlsform(markdown.encode())
    toilets = result.definition.question("toilets")
    assert toilets.specify_option is not None and len(list(result.definition.questions())) == 1
    assert [(p.row, p.outcome, p.message_code) for p in result.report] == [
        (3, "left_out", "repeat_unsupported")
    ]


FORMS = Path(__file__).parent / "forms"


def test_an_xls_workbook_is_read_by_pyxform():
    # bus.xls was written for this test with xlwt 1.3 (Excel 97–2003, BIFF8): a group,
    # "select one from", "list name", a condition, a datetime and a calculation.
    result = import_xlsform((FORMS / "bus.xls").read_bytes())
    survey = result.definition
    assert (survey.slug, survey.version, survey.languages) == ("bus-xls", "3", ("en", "es"))
    assert [(q.code, q.type) for q in survey.questions()] == [
        ("bus", "single_choice"),
        ("trips", "number"),
        ("last", "date_time"),
    ]
    assert survey.question("bus").required
    assert survey.question("bus").label == {"en": "Do you ride the bus?", "es": "¿Toma el autobús?"}
    assert survey.question("trips").show_if.value == "yes"
    assert [(p.row, p.column, p.outcome, p.message_code) for p in result.report] == [
        (6, "calculation", "left_out", "calculation_missing")
    ]


def test_settings_title_and_id_string_as_pyxform_reads_them():
    markdown = """
| survey |
| | type | name | label |
| | text | a | A |
| settings |
| | title | id_string | version |
| | My form | my_form | 7 |
"""
    result = import_xlsform(markdown.encode())
    survey = result.definition
    assert (survey.slug, survey.title, survey.version) == ("my-form", {"en": "My form"}, "7")
    assert result.report == ()


def test_a_location_is_asked_as_optional_text():
    survey = [
        ["type", "name", "label", "required"],
        ["geopoint", "where", "Where is the problem?", "yes"],
        ["text", "what", "What is it?"],
    ]
    result = import_xlsform(workbook_bytes(survey))
    where = result.definition.question("where")
    assert (where.type, where.required, where.label) == (
        "short_text",
        False,
        {"en": "Where is the problem?"},
    )
    assert [(p.row, p.outcome, p.message_code, p.params) for p in result.report] == [
        (2, "adapted", "location_as_text", {"type": "geopoint"})
    ]


def test_a_range_with_an_unknown_parameter_names_the_parameter_not_the_step():
    survey = [
        ["type", "name", "label", "parameters"],
        ["range", "r", "R", "increment=0.5 end=21.5"],
        ["text", "t", "T"],
    ]
    result = import_xlsform(workbook_bytes(survey))
    [problem] = result.report
    assert (problem.column, problem.outcome, problem.message_code) == (
        "parameters",
        "left_out",
        "range_parameter_unknown",
    )
    assert problem.params == {"name": "increment"}


def test_a_range_between_fractions_says_so_and_mixed_case_parameters_are_read():
    markdown = """
| survey |
|        | type  | name | label | parameters            |
|        | range | a    | A     | start=0 end=21.5      |
|        | range | b    | B     | Start=3 End=14 STEP=1 |
|        | range | c    | C     | start=1 end=X         |
"""
    result = import_xlsform(markdown.encode())
    assert [(p.row, p.message_code, p.params) for p in result.report] == [
        (2, "range_bounds_not_whole", {"start": "0", "end": "21.5"}),
        (4, "invalid_range_parameters", {}),
    ]
    b = result.definition.question("b")
    assert (b.minimum, b.maximum) == (3, 14)


def test_a_markdown_form_with_a_blank_trailing_column_reports_no_column_none():
    markdown = """
| survey |                    |        |        |                |
|        | type               | name   | label  | parameters     |
|        | select_one choices | select | Select | randomize=true |
| choices|                    |        |        |                |
|        | list_name          | name   | label  |                |
|        | choices            | a      | opt_a  |                |
|        | choices            | b      | opt_b  |                |
"""
    result = import_xlsform(markdown.encode())
    assert [(p.sheet, p.column) for p in result.report] == [("survey", "parameters")]


def test_a_loop_without_a_name_is_reported_without_an_empty_name():
    markdown = """
| survey |
| | type | name | label:english |
| | select_one toilet | t | Which toilet? |
| | begin loop over toilet | |
| | integer | number | How many? |
| | end loop |
| choices |
| | list name | name | label:english |
| | toilet | pit | Pit latrine |
"""
    result = import_xlsform(markdown.encode())
    assert [(p.row, p.message_code, p.params) for p in result.report] == [
        (3, "repeat_unsupported_unnamed", {})
    ]


def test_a_form_whose_only_question_has_no_label_names_no_invented_group():
    markdown = """
| survey |
| | type | name | hint |
| | text | name | your name |
"""
    with pytest.raises(ImportFailed) as info:
        import_xlsform(markdown.encode())
    codes = [p.message_code for p in info.value.problems]
    assert "empty_group_left_out" not in codes
    assert "source_text_missing" in codes


def test_a_group_whose_content_is_a_nested_group_or_a_repeat_is_not_called_empty():
    markdown = """
| survey |
| | type         | name | label |
| | begin group  | g1   | G1    |
| | begin repeat | r1   | R1    |
| | text         | q1   | Q1    |
| | end repeat   |      |       |
| | end group    |      |       |
| | begin group  | g2   | G2    |
| | begin group  | g3   | G3    |
| | text         | q3   | Q3    |
| | end group    |      |       |
| | text         | q2   | Q2    |
| | end group    |      |       |
| | begin group  | g4   | G4    |
| | end group    |      |       |
"""
    result = import_xlsform(markdown.encode())
    assert [(p.row, p.message_code) for p in result.report] == [
        (3, "repeat_unsupported"),
        (8, "nested_group_as_page"),
        (13, "empty_group_left_out"),  # g4 is empty indeed
    ]
    assert [q.code for q in result.definition.questions()] == ["q3", "q2"]


def test_a_choice_file_named_without_its_extension_is_told_to_add_csv():
    markdown = """
| survey |
| | type                                | name     | label            |
| | text                                | hh       | Household ID     |
| | select_one_from_file hospitals_list | facility | Nearest facility |
"""
    result = import_xlsform(markdown.encode())
    assert [(p.row, p.outcome, p.message_code, p.params["file"]) for p in result.report] == [
        (3, "left_out", "choice_file_no_extension", "hospitals_list")
    ]


def test_a_select_with_parameters_says_they_are_not_kept():
    markdown = """
| survey |
| | type               | name   | label  | parameters     |
| | select_one choices | select | Select | randomize=true |
| choices |
| | list_name | name | label |
| | choices   | a    | opt_a |
| | choices   | b    | opt_b |
"""
    result = import_xlsform(markdown.encode())
    assert [(p.row, p.column, p.outcome, p.message_code) for p in result.report] == [
        (2, "parameters", "ignored", "column_ignored")
    ]


def test_a_location_question_left_out_for_its_missing_label_is_not_also_said_asked():
    # pyxform's gps.csv: one ``gps`` row without a label
    csv = '"survey",,,\n,"type","name","label"\n,"gps","location",\n,"text","other","Other"\n'
    result = import_xlsform(csv.encode(), areas=("North", "South"))
    assert [(p.row, p.outcome, p.message_code) for p in result.report] == [
        (2, "left_out", "source_text_missing")
    ]
    assert [q.code for q in result.definition.questions()] == ["other"]
