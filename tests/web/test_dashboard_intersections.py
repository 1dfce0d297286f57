"""Intersections: a closed question broken down by a pair of dimensions (race × area),
each column the people in both groups, small intersections hidden with complements."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from engage.dashboard.compare import crosstab
from engage.models import Campaign, Survey
from engage.responses.services import submit_response
from tests.factories import make_campaign, make_survey
from tests.web.test_dashboard import _definition, _text

RACE = {
    "code": "race",
    "type": "multiple_choice",
    "analysis_role": "demographic",
    "dimension": "race_ethnicity",
    "label": {"en": "Race or ethnicity", "es": "Raza o etnia"},
    "options": [
        {"value": "black", "label": {"en": "Black", "es": "Negra"}},
        {"value": "latino", "label": {"en": "Latino", "es": "Latina"}},
        {"value": "white", "label": {"en": "White", "es": "Blanca"}},
    ],
}
BASE = {"agree": True, "lives_here": "no", "obstacle": "Buses", "bus_importance": 8}


def definition_with_race() -> dict:
    definition = _definition()
    definition["pages"][-1]["questions"].append(RACE)
    return definition


@pytest.fixture
def people(session):
    campaign = make_campaign(session, suppression_threshold=3)
    survey = make_survey(session, campaign=campaign, definition=definition_with_race())
    version = survey.versions[0]
    # (area, language, topic, race): counts chosen so one intersection is small.
    groups = [
        ("north", "en", "bus", ["white"], 6),
        ("north", "es", "bus", ["latino"], 4),
        ("south", "en", "rent", ["black"], 5),
        ("south", "es", "bus", ["black", "latino"], 1),
        ("north", "en", "rent", [], 2),  # did not say their race
    ]
    for area, language, topic, race, n in groups:
        answers = {**BASE, "area": area, "topics": [topic]}
        if race:
            answers["race"] = race
        for _ in range(n):
            submit_response(session, version=version, answers=answers, language=language)
    session.commit()
    return SimpleNamespace(id=campaign.id, survey_id=survey.id)


def test_a_pair_of_dimensions_counts_each_intersection(session, people):
    campaign, survey = session.get(Campaign, people.id), session.get(Survey, people.survey_id)
    table = crosstab(session, campaign, survey, "topics", "race_ethnicity", 1, "area").table
    assert table.rows == ["bus", "rent", "other"]
    # Groups in the order offered; only the pairs somebody is in.
    assert table.columns == [
        ("black", "south"),
        ("latino", "north"),
        ("latino", "south"),
        ("white", "north"),
    ]
    # The person who is Black and Latino counts in both of their pairs; the two who
    # did not say their race are in no column.
    assert table.counts == [[1, 4, 1, 6], [5, 0, 0, 0], [0, 0, 0, 0]]
    assert table.total == 17


def test_small_intersections_are_hidden_with_their_complements(session, people):
    campaign, survey = session.get(Campaign, people.id), session.get(Survey, people.survey_id)
    table = crosstab(session, campaign, survey, "topics", "area", 3, "language").table
    assert table.columns == [("north", "en"), ("north", "es"), ("south", "en"), ("south", "es")]
    # Hidden first: Buses in South × Spanish (1 person) and Rent in North × English (2,
    # who did not say their race). Then their complements close a rectangle (Buses in
    # North × English, Rent in South × Spanish), so that no hidden cell is alone on a
    # row or a column and none can be worked out from a total.
    assert table.counts == [[None, 4, 0, None], [None, 0, 5, None], [0, 0, 0, 0]]
    for line in [*table.hidden, *table.hidden.T]:
        assert line.sum() != 1


def test_the_page_names_each_pair_and_says_who_is_left_out(staff, people):
    url = (
        f"/staff/campaigns/{people.id}/dashboard?question=topics&dimension=area&dimension2=language"
    )
    page = _text(staff.get(url))
    table = page[page.index("Answers by group") :]
    assert "each column is where two groups meet (Area × Language)" in table
    assert "Answer North × English North × Spanish South × English South × Spanish Total" in table
    assert "Buses — 4 0 — 11" in table and "Rent — 0 5 — 7" in table
    assert "people who did not say their group on either question are left out" in table


def test_the_same_dimension_twice_is_refused(staff, people):
    url = f"/staff/campaigns/{people.id}/dashboard?question=topics&dimension=area&dimension2=area"
    response = staff.get(url)
    assert response.status_code == 400
    assert "Choose a different group from the first one." in _text(response)
