"""Edits that would orphan stored answers need a new survey version."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from surveys import SurveyDefinition, diff_definitions, would_orphan_answers
from tests.surveys.helpers import definition_dict, opt, q

BASE = [
    q("story", "short_text"),
    q("area", "single_choice", options=[opt("north"), opt("south"), opt("other", specify=True)]),
    q("grid", "matrix", rows=[opt("park"), opt("pool")], options=[opt("good"), opt("bad")]),
    q("imp", "scale"),
    q("note", "info"),
]


def edited(change: Any) -> SurveyDefinition:
    questions = copy.deepcopy(BASE)
    change(questions)
    return SurveyDefinition.from_dict(definition_dict(questions))


def by_code(questions: list[dict[str, Any]], code: str) -> dict[str, Any]:
    return next(x for x in questions if x["code"] == code)


OLD = SurveyDefinition.from_dict(definition_dict(BASE))


@pytest.mark.parametrize(
    "change",
    [
        lambda qs: by_code(qs, "story").update(label={"en": "Tell us more"}),
        lambda qs: by_code(qs, "story").update(type="long_text"),
        lambda qs: by_code(qs, "area").update(type="dropdown"),
        lambda qs: by_code(qs, "area")["options"].append(opt("east")),
        lambda qs: qs.append(q("new", "yes_no")),
        lambda qs: qs.reverse(),
        lambda qs: qs.remove(by_code(qs, "note")),
    ],
)
def test_would_orphan_answers_false_for_safe_edits(change: Any) -> None:
    assert not would_orphan_answers(OLD, edited(change))


def test_diff_definitions_lists_what_would_be_orphaned() -> None:
    def change(qs: list[dict[str, Any]]) -> None:
        qs.remove(by_code(qs, "story"))
        area = by_code(qs, "area")
        area["options"] = [opt("north"), opt("other")]
        by_code(qs, "grid")["rows"] = [opt("park")]
        by_code(qs, "imp").update(type="rating")

    diff = diff_definitions(OLD, edited(change))
    assert diff.removed_questions == ("story",)
    assert diff.removed_options == {"area": ("south",)}
    assert diff.removed_specify == ("area",)
    assert diff.removed_rows == {"grid": ("pool",)}
    assert diff.type_changes == {"imp": ("scale", "rating")}
    assert diff.orphans_answers


def test_would_orphan_answers_when_scale_points_change() -> None:
    new = edited(lambda qs: by_code(qs, "imp").update(minimum=1, maximum=5))
    assert diff_definitions(OLD, new).scale_changes == ("imp",)
    assert would_orphan_answers(OLD, new)
