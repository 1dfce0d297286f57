"""Compare groups beyond options: a grid by group (a row per grid row and option), a
ranking by group (first choices and mean rank) and the mean of a scale, a rating or a
number by group, with small groups hidden and one more hidden with them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from engage.dashboard.compare import crosstab
from engage.models import Campaign, Survey
from engage.responses.services import submit_response
from tests.factories import make_campaign, make_survey
from tests.web.test_dashboard import _definition, _text

ORDER = {
    "code": "order",
    "type": "ranking",
    "label": {"en": "Put these in order", "es": "Ordene"},
    "options": [
        {"value": "bus", "label": {"en": "Buses", "es": "Autobuses"}},
        {"value": "rent", "label": {"en": "Rent", "es": "Alquiler"}},
        {"value": "parks", "label": {"en": "Parks", "es": "Parques"}},
    ],
}
BASE = {"agree": True, "lives_here": "no", "obstacle": "Buses", "topics": ["bus"]}


def definition_with_ranking() -> dict:
    definition = _definition()
    definition["pages"][2]["questions"].append(ORDER)
    return definition


@pytest.fixture
def people(session):
    campaign = make_campaign(session, suppression_threshold=3)
    survey = make_survey(session, campaign=campaign, definition=definition_with_ranking())
    version = survey.versions[0]
    # (area, importance, night answer, ranking, how many): East (2) is small.
    groups = [
        ("north", 8, "a", ["bus", "rent", "parks"], 6),
        ("north", 6, "b", ["rent", "bus", "parks"], 2),
        ("south", 4, "b", ["rent", "parks", "bus"], 5),
        ("east", 10, "a", ["parks", "bus", "rent"], 2),
    ]
    for area, importance, night, order, n in groups:
        answers = {
            **BASE,
            "area": area,
            "bus_importance": importance,
            "grid": {"day": "a", "night": night},
            "order": order,
        }
        for _ in range(n):
            submit_response(session, version=version, answers=answers, language="en")
    session.commit()
    return SimpleNamespace(id=campaign.id, survey_id=survey.id)


def _crosstab(session, people, code, threshold=3):
    campaign, survey = session.get(Campaign, people.id), session.get(Survey, people.survey_id)
    return crosstab(session, campaign, survey, code, "area", threshold)


def test_a_grid_has_a_row_per_grid_row_and_option(session, people):
    table = _crosstab(session, people, "grid", threshold=1).table
    assert table.rows == [("day", "a"), ("day", "b"), ("night", "a"), ("night", "b")]
    assert table.columns == ["north", "south", "east"]
    assert table.counts == [[8, 5, 2], [0, 0, 0], [6, 0, 2], [2, 5, 0]]


def test_each_grid_row_hides_its_small_cells_with_complements(session, people):
    table = _crosstab(session, people, "grid").table
    # By day, East (2) is hidden and South with it, so East cannot be worked out from
    # the row's total; and the zeros below them too, since each column adds up to the
    # group's size (East's 2 would be its size minus a 0 shown).
    assert table.counts[:2] == [[8, None, None], [0, None, None]]
    night = table.counts[2:]
    assert night[0][2] is None and night[1][0] is None
    for block in (table.hidden[:2], table.hidden[2:]):
        for line in [*block, *block.T]:
            assert line.sum() != 1


def test_a_ranking_counts_first_choices_and_mean_ranks_by_group(session, people):
    result = _crosstab(session, people, "order", threshold=1)
    assert result.kind == "ranking"
    assert result.table.rows == ["bus", "rent", "parks"]
    assert result.table.counts == [[6, 0, 0], [2, 5, 0], [0, 0, 2]]
    means = result.means
    assert means.rows == ["bus", "rent", "parks"]
    north_bus, south_bus, east_bus = means.cells[0]
    assert north_bus.mean == pytest.approx((6 * 1 + 2 * 2) / 8) and north_bus.n == 8
    assert south_bus.mean == 3 and east_bus.mean == 2
    assert means.people == [8, 5, 2]


def test_a_scale_compares_means_and_hides_small_groups_with_one_more(session, people):
    result = _crosstab(session, people, "bus_importance")
    assert result.kind == "means" and result.table is None
    means = result.means
    north, south, east = means.cells[0]
    assert north.mean == pytest.approx((6 * 8 + 2 * 6) / 8) and north.n == 8
    # East (2 people) is hidden, and South with it: with everybody's mean and each
    # group's size shown, East's mean could otherwise be worked out.
    assert east.hidden and south.hidden
    assert means.people == [8, None, None]
    assert means.hidden_groups == 2
    assert means.overall[0].mean == pytest.approx((48 + 12 + 20 + 20) / 15)


def test_the_page_offers_and_shows_grids_rankings_and_means(staff, people):
    base = f"/staff/campaigns/{people.id}/dashboard?dimension=area"
    page = staff.get(base).get_data(as_text=True)
    for code in ("grid", "order", "bus_importance", "stars", "years", "lives_here"):
        assert f'<option value="{code}"' in page
    grid = _text(staff.get(f"{base}&question=grid"))
    grid = grid[grid.index("Answers to each row by group") :]
    assert "Answer North South East Total" in grid
    assert "By day: A 8 — — 15" in grid
    assert "a person counts once in each row they answered" in grid
    ranking = _text(staff.get(f"{base}&question=order"))
    assert "Ranked first, by group" in ranking
    assert "Mean rank by group (1 = ranked first)" in ranking
    scale = _text(staff.get(f"{base}&question=bus_importance"))
    scale = scale[scale.index("Mean by group") :]
    assert "How important are buses? 7.5 (8) — — 6.7 (15)" in scale
    assert "People in the group 8 — —" in scale
    assert "a mean of fewer than 3 people" in scale


def test_yes_no_compares_by_group(session, people):
    table = _crosstab(session, people, "lives_here", threshold=1).table
    assert table.rows == ["yes", "no"]
    assert table.counts == [[0, 0, 0], [8, 5, 2]]


def test_the_results_show_a_grid_by_row_and_a_ranking_by_first_choice(staff, people):
    page = _text(staff.get(f"/staff/campaigns/{people.id}/dashboard"))
    results = page[page.index("Answers to closed questions") :]
    grid = results[results.index("How safe is it? · 15 answers") :]
    assert "Row A B" in grid
    assert "By day 15 0" in grid and "At night 8 7" in grid
    ranking = results[results.index("Put these in order · 15 answers") :]
    assert "Option Ranked first Mean rank" in ranking
    # Buses: first for 6, second for 4 (2 in the North, 2 in the East), third for 5.
    assert "Buses 6 1.9 Rent 7 1.7 Parks 2 2.4" in ranking


def test_means_by_a_pair_of_dimensions(session, people):
    campaign, survey = session.get(Campaign, people.id), session.get(Survey, people.survey_id)
    result = crosstab(session, campaign, survey, "bus_importance", "area", 3, "language")
    means = result.means
    assert means.columns == [("north", "en"), ("south", "en"), ("east", "en")]
    north, south, east = means.cells[0]
    assert north.mean == pytest.approx(7.5) and north.n == 8
    assert east.hidden and south.hidden  # East's 2, and South with it
