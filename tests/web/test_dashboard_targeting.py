"""Outreach targeting: for each group heard less than its share, the sources, channels
and areas that have reached it so far, with small counts hidden."""

from __future__ import annotations

import re

import pytest

from engage.responses.services import submit_response
from tests.factories import make_campaign, make_survey
from tests.web.test_dashboard import _text
from tests.web.test_dashboard_intersections import BASE, definition_with_race


@pytest.fixture
def outreach(session):
    campaign = make_campaign(session, baseline={"language": {"en": 50, "es": 50}})
    survey = make_survey(session, campaign=campaign, definition=definition_with_race())
    version = survey.versions[0]
    # (language, source, channel, area, how many): Spanish speakers (9 of 29) are
    # heard less than their half; most of them came through the clinic's interviews.
    groups = [
        ("en", "flyer", "web", "north", 20),
        ("es", "clinic", "interviewer", "south", 6),
        ("es", "flyer", "web", "north", 2),
        ("es", None, "paper", "south", 1),
    ]
    for language, source, channel, area, n in groups:
        for _ in range(n):
            submit_response(
                session,
                version=version,
                answers={**BASE, "area": area, "topics": ["bus"]},
                language=language,
                source_tag=source,
                channel=channel,
            )
    session.commit()
    return campaign


def _targeting(page: str) -> str:
    return page[page.index("Where to reach the people") :]


def test_each_under_heard_group_shows_where_it_was_reached(staff, outreach):
    page = _targeting(_text(staff.get(f"/staff/campaigns/{outreach.id}/dashboard")))
    assert "Spanish (Language)" in page and "English (Language)" not in page
    # The clinic brought 6 of the 9 (67%), and all 6 of its respondents speak Spanish.
    assert re.search(r"Source People Share of the group .*? clinic 6 67% 100% ", page)
    # The flyer (2) and direct (1) are hidden: fewer than 5.
    assert re.search(r"flyer — — — Direct \(no tracked link\) — — —", page)
    assert "Channel People Share of the group" in page
    assert re.search(r"Interview 6 67% 100% Online — — — Paper form — — —", page)
    # By area: North (2) is hidden, and South with it, or 9 − 7 would give it away.
    assert re.search(r"South — — — North — — —", page)


def test_a_group_too_small_to_show_is_named_without_its_breakdown(staff, outreach, session):
    outreach.suppression_threshold = 10
    session.commit()
    page = _targeting(_text(staff.get(f"/staff/campaigns/{outreach.id}/dashboard")))
    assert "Spanish (Language) Too few people from this group have answered" in page
    assert "Spanish · Source" not in page
