"""Wave over wave for grids and rankings: a grid compares each row's shares (of those
who answered that row), a ranking its first choices (of those who ranked) and each
option's mean rank; small counts hidden per wave, and what is worked out from them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from engage.dashboard.waves import wave_change
from engage.models import Survey
from engage.responses.services import submit_response
from tests.factories import make_campaign, make_survey
from tests.web.test_dashboard_compare import BASE, definition_with_ranking

WAVE_2 = datetime(2026, 6, 1, tzinfo=UTC)


@pytest.fixture
def waves(session):
    """Wave 1: 10 people; by day all A; at night A 6, B 4 (small); buses first for 7,
    rent first for 3. Wave 2: 12 people; by day A 6, B 6; at night all A; rent first
    for 7, parks first for 5."""
    campaign = make_campaign(session, suppression_threshold=5)
    survey = make_survey(session, campaign=campaign, definition=definition_with_ranking())
    version = survey.versions[0]
    start = datetime(2026, 3, 2, 9, tzinfo=UTC)
    first = [
        ({"day": "a", "night": "a" if n < 6 else "b"},
         ["bus", "rent", "parks"] if n < 7 else ["rent", "bus", "parks"])
        for n in range(10)
    ]  # fmt: skip
    survey.start_wave(at=WAVE_2)
    second = [
        ({"day": "a" if n < 6 else "b", "night": "a"},
         ["rent", "bus", "parks"] if n < 7 else ["parks", "rent", "bus"])
        for n in range(12)
    ]  # fmt: skip
    for when, people in ((start, first), (WAVE_2, second)):
        for n, (grid, order) in enumerate(people):
            answers = {**BASE, "area": "north", "bus_importance": 5, "grid": grid, "order": order}
            submit_response(
                session,
                version=version,
                answers=answers,
                language="en",
                submitted_at=when + timedelta(hours=n),
            )
    session.commit()
    return SimpleNamespace(campaign_id=campaign.id, survey_id=survey.id)


def _question(session, waves, code, threshold=5):
    survey = session.get(Survey, waves.survey_id)
    change = wave_change(session, survey.campaign, survey, None, threshold)
    return next(q for q in change.questions if q.question.code == code)


def test_a_grid_compares_each_rows_shares(session, waves):
    grid = _question(session, waves, "grid")
    assert grid.answered == (10, 12)
    cells = {(o.row, o.key): o for o in grid.options}
    assert list(cells) == [("day", "a"), ("day", "b"), ("night", "a"), ("night", "b")]
    day_a, day_b = cells["day", "a"], cells["day", "b"]
    assert (day_a.before.share, day_a.after.share) == (1.0, 0.5)
    assert day_a.points == pytest.approx(-50.0) and day_b.points == pytest.approx(50.0)
    # At night in wave 1, B (4) is under 5: hidden, and A with it (else 10 − 6).
    night_a, night_b = cells["night", "a"], cells["night", "b"]
    assert night_b.before.count is None and night_a.before.count is None
    assert night_a.points is None and night_b.points is None
    assert night_a.after.share == 1.0
    assert grid.hidden == 2


def test_a_ranking_compares_first_choices_and_mean_ranks(session, waves):
    order = _question(session, waves, "order")
    assert order.answered == (10, 12)
    first = {o.key: o for o in order.options}
    # Wave 1: rent first for 3 (hidden, and buses with it); wave 2: rent 7 of 12.
    assert first["rent"].before.share is None and first["bus"].before.share is None
    assert first["rent"].points is None
    assert first["rent"].after.share == pytest.approx(7 / 12)
    assert first["parks"].after.share == pytest.approx(5 / 12)
    ranks = {r.key: r for r in order.ranks}
    assert ranks["bus"].before == pytest.approx(1.3)
    assert ranks["bus"].after == pytest.approx(29 / 12)
    assert ranks["bus"].change == pytest.approx(29 / 12 - 1.3)
    assert ranks["rent"].before == pytest.approx(1.7) and ranks["rent"].after == pytest.approx(
        17 / 12
    )
    assert ranks["parks"].before == 3.0


def test_a_mean_rank_of_fewer_people_than_the_threshold_is_hidden(session, waves):
    order = _question(session, waves, "order", threshold=11)
    ranks = {r.key: r for r in order.ranks}
    assert ranks["bus"].before is None and ranks["bus"].after == pytest.approx(29 / 12)
    assert ranks["bus"].change is None


def test_the_dashboard_shows_grid_and_ranking_changes(staff, waves):
    url = f"/staff/campaigns/{waves.campaign_id}/dashboard?survey={waves.survey_id}"
    page = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", staff.get(url).get_data(as_text=True)))
    waves_part = page[page.index("Wave over wave") :]
    assert "each row: share of the people who answered that row" in waves_part
    assert re.search(r"By day: A 100% 50% -50\.0 ", waves_part)
    assert re.search(r"At night: B — 0% — ", waves_part)
    assert "ranked first: share of the people who ranked" in waves_part
    assert re.search(r"Rent — 58% — ", waves_part)
    assert re.search(r"Buses 1\.3 2\.4 \+1\.1 ", waves_part)
