"""The codebook of an export, and answers written as labels instead of codes."""

from __future__ import annotations

from surveys.codebook import codebook_questions, label_answers, labelled_cells
from surveys.schema import SurveyDefinition
from tests.factories import full_definition
from tests.surveys.helpers import make, opt, q

YES_NO = {
    "yes_no": {"yes": {"en": "Yes", "es": "Sí"}, "no": {"en": "No", "es": "No"}},
    "consent": {"yes": {"en": "Yes", "es": "Sí"}},
}


def _full() -> SurveyDefinition:
    return SurveyDefinition.from_dict(full_definition())


def test_labels_replace_codes_in_choices_lists_grids_and_yes_no():
    answers = {
        "agree": True,
        "lives_here": "yes",
        "topics": ["bus", "other"],
        "topics__other": "Parks",
        "grid": {"day": "a", "night": "b"},
        "area": "south",
        "years": 12,
    }
    labelled = label_answers(_full(), answers, "es", YES_NO)
    assert labelled["agree"] == "Sí" and labelled["lives_here"] == "Sí"
    assert labelled["topics"] == ["Autobuses", "Otro"]
    assert labelled["topics__other"] == "Parks" and labelled["years"] == 12
    assert labelled["grid"] == {"day": "A", "night": "B"}
    assert labelled["area"] == "Sur"


def test_labelled_cells_join_several_labels_and_keep_ticks_and_numbers():
    cells = labelled_cells(
        _full(), {"topics": ["bus", "rent"], "agree": True, "years": 3}, "es", YES_NO
    )
    assert cells["topics"] == "Autobuses; Alquiler"
    assert (cells["topics/bus"], cells["topics/rent"], cells["topics/other"]) == (1, 1, 0)
    assert cells["agree"] == "Sí" and cells["years"] == 3


def test_a_label_missing_in_the_language_falls_back_to_the_surveys_own():
    definition = make([q("pet", "single_choice", options=[opt("cat", "Cat")])])
    assert label_answers(definition, {"pet": "cat"}, "es")["pet"] == "Cat"
    assert label_answers(definition, {"pet": "gone"}, "es")["pet"] == "gone"  # an old code


def test_without_fixed_labels_consent_stays_yes():
    assert labelled_cells(_full(), {"agree": True}, "es")["agree"] == "yes"


def test_the_codebook_lists_each_question_once_newest_first_with_its_page():
    old = make(
        [q("pet", "single_choice", options=[opt("cat")])],
        [q("gone", "short_text")],
    )
    new = make([q("pet", "single_choice", options=[opt("cat"), opt("dog")])])
    book = codebook_questions([new, old])
    assert [(e["code"], e["page"]) for e in book] == [("pet", 1), ("gone", 2)]
    assert [o["value"] for o in book[0]["options"]] == ["cat", "dog"]
    assert book[0]["text"] == {"en": "Question pet"} and book[0]["columns"] == ["pet"]


def test_the_codebook_has_grid_rows_rating_points_and_no_information_texts():
    book = {e["code"]: e for e in codebook_questions([_full()], YES_NO)}
    assert "intro" not in book
    assert [r["value"] for r in book["grid"]["rows"]] == ["day", "night"]
    assert book["lives_here"]["options"][0] == {"value": "yes", "label": {"en": "Yes", "es": "Sí"}}
    assert book["topics"]["columns"][:2] == ["topics", "topics/bus"]
    assert book["topics"]["text"]["es"]
