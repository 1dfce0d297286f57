"""``geopoint`` as an optional location question without a map or JavaScript: with the
campaign's areas, choose one of them or "somewhere else" and type the place; without
areas, type the place."""

from __future__ import annotations

from surveys.xlsform import export_xlsform, import_xlsform
from tests.surveys.test_xlsform import workbook_bytes

SURVEY = [
    ["type", "name", "label::English (en)", "label::Arabic (ar)", "required"],
    ["geopoint", "where", "Where did it happen?", "أين حدث ذلك؟", "yes"],
    ["text", "what", "What happened?", "ماذا حدث؟"],
]
AREAS = ["Northgate", "Riverside", "Old Town"]


def test_with_areas_a_location_is_an_area_or_a_typed_place() -> None:
    result = import_xlsform(workbook_bytes(SURVEY), areas=AREAS)
    where = result.definition.question("where")
    assert where.type == "dropdown"
    assert not where.required  # optional, as a location a phone may not give
    assert [o.value for o in where.options] == ["northgate", "riverside", "old_town", "elsewhere"]
    assert where.options[0].label == {"en": "Northgate", "ar": "Northgate"}
    assert where.specify_option.value == "elsewhere"
    assert where.specify_option.label["ar"] == "مكان آخر (اكتب اسم المكان)"
    problems = [(p.row, p.outcome, p.message_code) for p in result.report]
    assert problems == [(2, "adapted", "location_as_area_or_place")]


def test_without_areas_a_location_is_a_typed_place() -> None:
    result = import_xlsform(workbook_bytes(SURVEY))
    assert result.definition.question("where").type == "short_text"
    assert [p.message_code for p in result.report] == ["location_as_text"]


def test_the_location_round_trips_through_the_export() -> None:
    definition = import_xlsform(workbook_bytes(SURVEY), areas=AREAS).definition
    again = import_xlsform(export_xlsform(definition)).definition
    assert again.question("where").options == definition.question("where").options
