"""Weighting grids and rankings to the community's make-up: a grid's shares by row, a
ranking's first choices and mean ranks, raw and weighted, against hand-computed values."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from engage.dashboard.weighting import Cell, weigh_cells
from engage.models import Survey
from engage.responses.services import definition_of, submit_response
from surveys.results import QuestionTally
from surveys.types import get_type
from tests.factories import make_campaign, make_survey
from tests.web.test_dashboard import _text
from tests.web.test_dashboard_compare import ORDER
from tests.web.test_dashboard_intersections import BASE, definition_with_race

# Area, grid answer, ranking, how many. North 6 and South 2 share 80% of the weight
# equally (the 2 who did not say keep their 20%): w_N = 4/6, w_S = 2, w_? = 1.
PEOPLE = [
    ("north", {"day": "a", "night": "a"}, ["bus", "rent", "parks"], 6),
    ("south", {"day": "b", "night": "a"}, ["rent", "bus", "parks"], 2),
    ("prefer_not_to_say", {"day": "b", "night": "b"}, ["parks", "rent", "bus"], 2),
]


@pytest.fixture
def skewed(session):
    campaign = make_campaign(session, baseline={"area": {"North": 50, "South": 50}})
    definition = definition_with_race()
    definition["pages"][-1]["questions"].append(ORDER)
    survey = make_survey(session, campaign=campaign, definition=definition)
    for area, grid, order, n in PEOPLE:
        for _ in range(n):
            answers = {**BASE, "area": area, "topics": ["bus"], "grid": grid, "order": order}
            submit_response(session, version=survey.versions[0], answers=answers, language="en")
    session.commit()
    return SimpleNamespace(id=campaign.id, survey_id=survey.id)


def test_grids_and_rankings_are_weighted_by_hand(session, skewed):
    survey = session.get(Survey, skewed.survey_id)
    questions = {q.code: q for q in definition_of(survey.current_version).questions()}
    cells = []
    for (_area, grid, order, n), weight in zip(PEOPLE, [4 / 6, 2, 1], strict=True):
        tallies = {
            code: QuestionTally(questions[code], get_type(questions[code].type).storage)
            for code in ("grid", "order")
        }
        for _ in range(n):
            tallies["grid"].add(grid)
            tallies["order"].add(order)
        cells.append((Cell(n, tallies), weight))
    grid, order = weigh_cells([questions["grid"], questions["order"]], cells)
    day = {a.key: a for a in grid.answers if a.row == "day"}
    # By day: A 6 (60%), weighted 6·4/6 = 4 of 10 = 40%; B 4, weighted 2·2 + 2·1 = 6.
    assert (day["a"].count, day["a"].share, day["a"].weighted_share) == (6, 0.6, 0.4)
    assert day["b"].weighted_share == pytest.approx(0.6)
    night = {a.key: a for a in grid.answers if a.row == "night"}
    assert night["a"].share == 0.8 and night["a"].weighted_share == pytest.approx(0.8)
    first = {a.key: a for a in order.answers}
    assert first["bus"].share == 0.6 and first["bus"].weighted_share == pytest.approx(0.4)
    assert first["rent"].share == 0.2 and first["rent"].weighted_share == pytest.approx(0.4)
    ranks = {r.key: r for r in order.ranks}
    # Buses: raw (6·1 + 2·2 + 2·3) / 10 = 1.6; weighted (4·1 + 4·2 + 2·3) / 10 = 1.8.
    assert ranks["bus"].mean == pytest.approx(1.6)
    assert ranks["bus"].weighted_mean == pytest.approx(1.8)
    assert ranks["rent"].mean == pytest.approx(1.8)
    assert ranks["rent"].weighted_mean == pytest.approx(1.6)
    assert ranks["parks"].count == 10


def test_the_page_weights_grids_and_rankings(staff, skewed):
    page = _text(staff.get(f"/staff/campaigns/{skewed.id}/dashboard"))
    part = page[page.index("Weighted to the community") :]
    assert "each row: share of the people who answered that row" in part
    assert "By day: A 6 60% 40%" in part and "By day: B 4 40% 60%" in part
    assert "ranked first: share of the people who ranked" in part
    assert "Buses 6 60% 40%" in part
    assert "Option Ranked it Mean rank Weighted mean rank" in part
    assert "Buses 10 1.6 1.8 Rent 10 1.8 1.6" in part
