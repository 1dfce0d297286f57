"""Counting closed questions and grouping respondents, without a database."""

from __future__ import annotations

from surveys.results import Tally, dimension_groups
from tests.surveys.helpers import make, opt, q


def test_each_option_of_a_multiple_choice_counts_not_each_combination():
    definition = make([q("why", "multiple_choice", options=[opt("a"), opt("b"), opt("c")])])
    tally = Tally(definition)
    for answer in (["a", "b"], ["a"], ["b", "c"], None):
        tally.add({"why": answer} if answer else {})
    why = tally.questions["why"]
    assert (tally.responses, why.answered) == (4, 3)
    assert why.counts == {"a": 2, "b": 2, "c": 1}


def test_rankings_grids_and_numbers_are_summarised():
    definition = make(
        [
            q("best", "ranking", options=[opt("park"), opt("bus")]),
            q("grid", "matrix", rows=[opt("day"), opt("night")], options=[opt("ok"), opt("bad")]),
            q("score", "scale", minimum=0, maximum=10),
        ]
    )
    tally = Tally(definition)
    tally.add({"best": ["bus", "park"], "grid": {"day": "ok", "night": "bad"}, "score": 2})
    tally.add({"best": ["bus", "park"], "grid": {"day": "ok"}, "score": 10})
    tally.add({"best": ["park", "bus"], "score": 9})
    best, grid, score = (tally.questions[c] for c in ("best", "grid", "score"))
    assert best.counts == {"bus": 2, "park": 1}  # ranked first
    assert best.mean_rank("bus") == 4 / 3
    assert grid.rows == {"day": {"ok": 2}, "night": {"bad": 1}}
    assert (score.mean, score.median, score.keys) == (7, 9, ["2", "9", "10"])


def test_a_respondent_belongs_to_each_group_chosen_but_not_to_prefer_not_to_say():
    definition = make(
        [
            q(
                "race",
                "multiple_choice",
                dimension="race_ethnicity",
                analysis_role="demographic",
                options=[opt("black"), opt("white"), opt("prefer_not_to_say")],
            ),
            q(
                "area",
                "single_choice",
                dimension="area",
                analysis_role="demographic",
                options=[opt("north"), opt("prefer_not_to_say")],
            ),
        ]
    )
    groups = dimension_groups(definition, {"race": ["black", "white"], "area": "prefer_not_to_say"})
    assert groups == {"race_ethnicity": ["black", "white"]}
    tally = Tally(definition)
    assert tally.questions == {}  # demographics are only counted as suppressed groups
