"""Cascading choices where the earlier answers are not known (paper, the offline form
without its script, the preview): the options grouped under the answer they follow."""

from __future__ import annotations

from surveys.choice_filters import grouped_options, grouping_clause
from surveys.xlsform import import_xlsform
from tests.surveys.helpers import make, opt, q
from tests.surveys.test_xlsform import workbook_bytes
from tests.surveys.test_xlsform_defaults_and_filters import CASCADE, PLACES


def test_villages_are_grouped_under_their_district_in_the_districts_order() -> None:
    survey = import_xlsform(workbook_bytes(CASCADE, PLACES)).definition
    village = survey.question("village")
    groups = grouped_options(village, survey.question("district"))
    assert [(g.answer, g.parent.value, [o.value for o in g.options]) for g in groups] == [
        ("north", "north", ["hill", "lake"]),
        ("south", "south", ["port"]),
    ]
    # "most" follows the values ticked in "uses": nothing to group by.
    assert grouping_clause(survey.question("most")) is None
    assert grouped_options(survey.question("most"), survey.question("uses")) == []


def test_an_earlier_answer_without_options_groups_by_its_values_and_drops_the_unreachable() -> None:
    survey = make(
        [q("zone", "short_text")],
        [
            q(
                "stop",
                "single_choice",
                options=[
                    opt("a", attributes={"zone": "2"}),
                    opt("b", attributes={"zone": "1"}),
                    opt("c", attributes={"zone": "2"}),
                    opt("d"),  # no zone: never offered
                ],
                choice_filter=[{"attribute": "zone", "op": "equals", "question": "zone"}],
            )
        ],
    )
    groups = grouped_options(survey.question("stop"), survey.question("zone"))
    assert [(g.answer, g.parent, [o.value for o in g.options]) for g in groups] == [
        ("2", None, ["a", "c"]),
        ("1", None, ["b"]),
    ]
