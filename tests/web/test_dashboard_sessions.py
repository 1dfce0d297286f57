"""People heard in listening sessions, by group: facilitators' head counts shown beside
who has been heard, apart from survey respondents, with small groups hidden."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from types import SimpleNamespace

import pytest

from engage.models import ListeningSession
from engage.responses.services import submit_response
from tests.factories import make_campaign, make_survey
from tests.web.test_dashboard import _definition, _text

BASELINE = {"language": {"en": 50, "es": 30, "ar": 20}}


@pytest.fixture
def campaign(session):
    campaign = make_campaign(session, baseline=BASELINE)
    survey = make_survey(session, campaign=campaign, definition=_definition())
    base = {"agree": True, "lives_here": "no", "obstacle": "Buses", "bus_importance": 8}
    for _ in range(6):
        submit_response(
            session, version=survey.versions[0], answers={**base, "area": "north"}, language="en"
        )
    held = [
        (18, {"language": {"en": 15, "es": 3}}),
        (25, {"language": {"ar": 21, "en": 4}}),
        (10, {}),  # nobody counted by group
    ]
    for attendance, demographics in held:
        session.add(
            ListeningSession(
                campaign_id=campaign.id,
                held_on=date(2026, 5, 1),
                attendance=attendance,
                demographics=demographics,
            )
        )
    session.commit()
    return SimpleNamespace(id=campaign.id)


def test_session_head_counts_are_shown_apart_and_hidden_when_small(staff, campaign):
    page = _text(staff.get(f"/staff/campaigns/{campaign.id}/dashboard"))
    heads = page[page.index("People heard in listening sessions") :]
    assert "at the campaign's 3 listening sessions (53 people)" in heads
    assert "They are not survey respondents and are not counted above" in heads
    assert "Listening sessions · Language · 53 people attended" in heads
    assert re.search(r"English 19 36% 50% ", heads)
    assert re.search(r"Arabic 21 40% 20% ", heads)
    # Spanish (3) is hidden, and the 10 not counted by group with it: otherwise
    # Spanish would be the attendance minus the others.
    assert re.search(r"Spanish — — 30% ", heads)
    assert re.search(r"Not counted by group — — — ", heads)
    # Survey respondents are counted on their own: the 6 who answered in English.
    who = page[page.index("Who haven't we heard from?") : page.index("People heard in")]
    assert "6 people answered" in who


def test_the_head_counts_are_in_the_breakdowns_file(staff, campaign):
    url = f"/staff/campaigns/{campaign.id}/dashboard/breakdowns.csv"
    response = staff.submit(url, {}, form_page=f"/staff/campaigns/{campaign.id}/dashboard")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    heads = {r["group"]: r for r in rows if r["section"] == "listening_session_head_counts"}
    assert heads["English"]["people"] == "19" and heads["Arabic"]["people"] == "21"
    assert heads["Spanish"]["hidden"] == "yes" and heads["Not counted by group"]["hidden"] == "yes"


def test_without_sessions_nothing_is_shown(staff, session):
    campaign = make_campaign(session, baseline=BASELINE)
    make_survey(session, campaign=campaign, definition=_definition())
    page = _text(staff.get(f"/staff/campaigns/{campaign.id}/dashboard"))
    assert "People heard in listening sessions" not in page
