"""Which columns a response export has, and what each cell holds."""

from __future__ import annotations

from surveys.export import answer_cells, answer_columns, formula_safe
from surveys.schema import SurveyDefinition
from tests.factories import full_definition
from tests.surveys.helpers import make, opt, q


def _full() -> SurveyDefinition:
    return SurveyDefinition.from_dict(full_definition())


def test_every_stored_question_has_its_columns_in_survey_order():
    columns = answer_columns([_full()])
    assert "intro" not in columns  # an information text stores nothing
    assert columns[:4] == ["agree", "lives_here", "name_it", "years"]
    topics = columns.index("topics")
    assert columns[topics : topics + 5] == [
        "topics",
        "topics/bus",
        "topics/rent",
        "topics/other",
        "topics__other",
    ]
    assert [c for c in columns if c.startswith("grid")] == ["grid/day", "grid/night"]


def test_cells_spell_out_choices_ranks_and_grid_rows():
    definition = _full()
    answers = {
        "agree": True,
        "years": 12,
        "topics": ["bus", "other"],
        "topics__other": "Street lights",
        "grid": {"day": "a", "night": "b"},
    }
    cells = answer_cells(definition, answers)
    assert cells["agree"] == "yes"
    assert cells["years"] == 12
    assert (cells["topics"], cells["topics/bus"], cells["topics/rent"]) == ("bus other", 1, 0)
    assert cells["topics__other"] == "Street lights"
    assert (cells["grid/day"], cells["grid/night"]) == ("a", "b")
    assert "top_two" not in cells and "top_two/x" not in cells  # unanswered: blank


def test_a_ranking_gives_the_order_and_each_options_rank():
    definition = make([q("best", "ranking", options=[opt("park"), opt("bus"), opt("library")])])
    assert answer_columns([definition]) == ["best", "best/park", "best/bus", "best/library"]
    cells = answer_cells(definition, {"best": ["bus", "library", "park"]})
    assert cells == {"best": "bus library park", "best/bus": 1, "best/library": 2, "best/park": 3}


def test_columns_of_older_versions_follow_the_newest_versions():
    old = make([q("a", "short_text"), q("gone", "short_text")])
    new = make([q("b", "short_text"), q("a", "short_text")])
    assert answer_columns([new, old]) == ["b", "a", "gone"]


def test_text_a_spreadsheet_would_run_is_escaped_and_numbers_are_not():
    assert formula_safe('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert [formula_safe(v) for v in ("+1", "-2", "@a", "\tx")] == ["'+1", "'-2", "'@a", "'\tx"]
    assert formula_safe(-3) == -3 and formula_safe("fine") == "fine"


def test_text_starting_with_a_carriage_return_is_escaped():
    # A cell beginning with CR is read as a formula by some spreadsheets (CSV injection).
    assert formula_safe("\r=1+1") == "'\r=1+1"
    assert formula_safe("\rplain") == "'\rplain"
    assert formula_safe("a\rb") == "a\rb"  # only at the start
