"""Each campaign sets the smallest group its dashboard shows; the page says why a
figure is hidden, and a bad setting is refused on the form with what was typed kept."""

from __future__ import annotations

import re

import pytest

from engage.models import Campaign
from engage.responses.services import submit_response
from tests.factories import make_campaign, make_survey
from tests.web.test_dashboard import _definition, _text


@pytest.fixture
def small(session):
    campaign = make_campaign(session, baseline={"area": {"North": 40, "South": 40, "East": 20}})
    survey = make_survey(session, campaign=campaign, definition=_definition())
    base = {"agree": True, "lives_here": "no", "obstacle": "Buses", "bus_importance": 8}
    base["topics"] = ["bus"]
    for area in ["north"] * 8 + ["south"] * 6 + ["east"] * 3:
        submit_response(
            session, version=survey.versions[0], answers={**base, "area": area}, language="en"
        )
    session.commit()
    return campaign


def _settings(campaign: Campaign, threshold: str) -> dict:
    return {
        "title": campaign.title,
        "slug": campaign.slug,
        "languages": ["en"],
        "status": "open",
        "suppression_threshold": threshold,
    }


def test_the_site_default_hides_small_groups_and_says_why(staff, small):
    page = _text(staff.get(f"/staff/campaigns/{small.id}/dashboard"))
    assert re.search(r"East — — 20% ", page)  # 3 people, fewer than 5
    assert "Groups of fewer than 5 people are hidden" in page
    assert "— hidden: a group of fewer than 5 people" in page


def test_a_campaign_threshold_is_used_everywhere_the_dashboard_hides(staff, small, session):
    url = f"/staff/campaigns/{small.id}/edit"
    assert "Leave empty for the site&#39;s setting (5)" in _text(staff.get(url))
    assert staff.submit(url, _settings(small, "2")).status_code == 302
    session.refresh(small)
    assert small.suppression_threshold == 2
    page = _text(staff.get(f"/staff/campaigns/{small.id}/dashboard"))
    assert re.search(r"East 3 18% 20% ", page)
    assert "Groups of fewer than 2 people are hidden" in page

    assert staff.submit(url, _settings(small, "7")).status_code == 302
    page = _text(staff.get(f"/staff/campaigns/{small.id}/dashboard?question=topics&dimension=area"))
    assert re.search(r"South — — 40% ", page)  # 6 people, fewer than 7
    table = page[page.index("Answers by group") :]
    assert "Buses 8 — — 17" in table

    assert staff.submit(url, _settings(small, "")).status_code == 302
    session.refresh(small)
    assert small.suppression_threshold is None  # back to the site's setting


@pytest.mark.parametrize("typed", ["1", "101", "five", "2.5"])
def test_a_bad_threshold_is_refused_and_kept_on_the_form(staff, small, session, typed):
    response = staff.submit(f"/staff/campaigns/{small.id}/edit", _settings(small, typed))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Enter a whole number from 2 to 100." in page
    assert f'value="{typed}"' in page
    session.refresh(small)
    assert small.suppression_threshold is None
