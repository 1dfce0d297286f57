"""The builder's edits: each returns a new definition that checks as the builder expects."""

from __future__ import annotations

import pytest

from surveys.editing import (
    EditError,
    add_page,
    add_question,
    blank_definition,
    code_from_text,
    delete_page,
    delete_question,
    draft_problems,
    move_page,
    move_question,
    publish_problems,
    references_to,
    replace_question,
    unique_name,
    update_page,
)
from tests.surveys.helpers import definition_dict, opt, q


def two_pages() -> dict:
    return definition_dict(
        [
            q("rides", "yes_no"),
            q("why", "long_text", show_if={"question": "rides", "op": "equals", "value": "yes"}),
        ],
        [q("area", "single_choice", options=[opt("north"), opt("south")])],
    )


def codes(data: dict) -> list[list[str]]:
    return [[question["code"] for question in page["questions"]] for page in data["pages"]]


def test_a_blank_survey_can_be_saved_but_not_published():
    data = blank_definition(
        slug="bus", title="Bus survey", source_language="es", languages=["en", "es"]
    )
    assert data["languages"] == ["es", "en"]
    assert draft_problems(data) == []
    assert [p.code for p in publish_problems(data)] == ["no_questions"]


def test_adding_a_question_makes_it_publishable():
    data = blank_definition(slug="bus", title="Bus", source_language="en", languages=["en"])
    data = add_question(data, "page_1", q("name", "short_text"))
    assert publish_problems(data) == []


def test_edits_leave_the_original_untouched():
    original = two_pages()
    before = codes(original)
    delete_question(original, "why")
    move_question(original, "rides", 1)
    assert codes(original) == before


def test_moving_a_question_within_and_across_pages():
    data = two_pages()
    data = move_question(data, "why", -1)
    assert codes(data) == [["why", "rides"], ["area"]]
    # Moving before the condition's question breaks the skip logic, which checks catch.
    assert any(p.code == "unknown_or_later_question" for p in draft_problems(data))
    data = move_question(two_pages(), "why", 1)
    assert codes(data) == [["rides"], ["why", "area"]]
    data = move_question(data, "why", -1)
    assert codes(data) == [["rides", "why"], ["area"]]
    with pytest.raises(EditError):
        move_question(data, "rides", -1)
    with pytest.raises(EditError):
        move_question(data, "area", 1)


def test_renaming_a_question_follows_its_skip_logic():
    data = two_pages()
    renamed = replace_question(data, "rides", q("rides_bus", "yes_no"))
    assert codes(renamed)[0] == ["rides_bus", "why"]
    assert renamed["pages"][0]["questions"][1]["show_if"]["question"] == "rides_bus"
    assert draft_problems(renamed) == []


def test_replacing_a_question_into_another_page_appends_it():
    data = replace_question(two_pages(), "rides", q("rides", "yes_no"), page_key="p2")
    assert codes(data) == [["why"], ["area", "rides"]]


def test_deleting_a_question_others_depend_on_is_reported():
    data = delete_question(two_pages(), "rides")
    assert references_to(two_pages(), "rides") == ["why"]
    assert any(p.code == "unknown_or_later_question" for p in draft_problems(data))


def test_pages_are_added_moved_updated_and_deleted():
    data, key = add_page(two_pages(), title={"en": "Last"})
    assert key == "page_3"
    assert [p["key"] for p in data["pages"]] == ["p1", "p2", "page_3"]
    data = move_page(data, "page_3", -1)
    assert [p["key"] for p in data["pages"]] == ["p1", "page_3", "p2"]
    data = update_page(
        data,
        "p2",
        title={"en": "About you"},
        description={},
        show_if={"question": "rides", "op": "answered"},
    )
    page = data["pages"][2]
    assert page["title"] == {"en": "About you"} and "description" not in page
    assert list(page)[-1] == "questions"
    data = delete_page(data, "page_3")
    assert draft_problems(data) == []
    with pytest.raises(EditError):
        move_page(data, "p1", -1)
    with pytest.raises(EditError) as caught:
        delete_page(data, "nope")
    assert caught.value.code == "page_not_found"


def test_codes_from_labels_in_any_script():
    assert code_from_text("How old are you?") == "how_old_are_you"
    assert code_from_text("¿Dónde vive?") == "donde_vive"
    assert code_from_text("كم عمرك؟") == "q"
    assert code_from_text("2 buses") == "q_2_buses"
    assert unique_name("q", {"q", "q_2"}) == "q_3"
