"""Listening sessions: recorded by staff or interviewers, notes in several languages
become feedback for the analysis, attendance reaches the dashboard."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from engage.models import Campaign, FeedbackItem, ListeningSession
from engage.themes.services import _clustered_items
from tests.factories import PASSWORD, make_campaign, make_survey, make_user, make_workgroup


@pytest.fixture
def campaign(session):
    campaign = make_campaign(session, areas=["North", "South"], languages=["en", "es"])
    make_survey(session, campaign=campaign)
    return SimpleNamespace(id=campaign.id)


def _record(pages, campaign, **overrides):
    data = {
        "held_on": "2026-11-20",
        "place": "Library",
        "area": "North",
        "facilitator": "Ana",
        "language": "es",
        "attendance": "14",
        "demographics": "dimension,group,count\nlanguage,es,9\nlanguage,en,5\n",
        **overrides,
    }
    return pages.submit(f"/staff/campaigns/{campaign.id}/sessions/new", data)


def test_an_interviewer_records_a_session_and_its_notes_join_the_analysis(pages, session, campaign):
    interviewer = make_user(session, email="field@example.org", role="interviewer")
    make_workgroup(session, members=[interviewer], campaigns=[session.get(Campaign, campaign.id)])
    pages.login("field@example.org", PASSWORD)
    saved = _record(pages, campaign)
    assert saved.status_code == 303
    url = saved.headers["Location"]
    stored = session.scalar(sa.select(ListeningSession))
    assert (stored.place, stored.attendance, stored.demographics) == (
        "Library",
        14,
        {"language": {"es": 9.0, "en": 5.0}},
    )
    notes = "El autobús 12 nunca llega a tiempo.\n\nFaltan bancos en la parada,\ny no hay luz."
    added = pages.submit(f"{url}/notes", {"language": "es", "text": notes}, form_page=url)
    assert added.status_code == 303
    items = session.scalars(sa.select(FeedbackItem).order_by(FeedbackItem.id)).all()
    assert [(i.text, i.language, i.channel) for i in items] == [
        ("El autobús 12 nunca llega a tiempo.", "es", "session"),
        ("Faltan bancos en la parada,\ny no hay luz.", "es", "session"),
    ]
    assert {i.id for i in _clustered_items(session, campaign.id)} == {i.id for i in items}
    page = pages.get(url).get_data(as_text=True)
    assert "2 notes added." in page and "no hay luz" in page


def test_a_bad_date_or_head_count_is_named_and_what_was_typed_is_kept(staff, campaign):
    response = _record(
        staff, campaign, held_on="31/11", demographics="dimension,group,count\nlanguage,es,many\n"
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not a valid date value." in page
    assert "Library" in page  # nothing typed is lost


def test_head_counts_that_are_not_numbers_are_refused_per_line(staff, campaign, session):
    response = _record(staff, campaign, demographics="dimension,group,count\nlanguage,es,many\n")
    assert response.status_code == 400
    assert "Line 2: “many” is not a share" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(ListeningSession.id))) == 0


def test_notes_can_be_removed_and_the_dashboard_counts_the_session(staff, campaign, session):
    url = _record(staff, campaign).headers["Location"]
    staff.submit(
        f"{url}/notes",
        {"language": "en", "text": "More buses.\n\nCall me: 555 0100"},
        form_page=url,
    )
    first, second = session.scalars(sa.select(FeedbackItem).order_by(FeedbackItem.id)).all()
    assert "[PHONE]" in second.redacted_text
    staff.submit(f"{url}/notes/{first.id}/delete", {}, form_page=url)
    assert session.scalar(sa.select(sa.func.count(FeedbackItem.id))) == 1
    board = re.sub(
        r"\s+",
        " ",
        re.sub(
            r"<[^>]+>",
            " ",
            staff.get(f"/staff/campaigns/{campaign.id}/dashboard").get_data(as_text=True),
        ),
    )
    assert "1 listening session · 14 people took part · 1 note" in board


def test_a_member_cannot_record_sessions(pages, session, campaign):
    make_user(session, email="member@example.org", role="member")
    pages.login("member@example.org", PASSWORD)
    assert pages.get(f"/staff/campaigns/{campaign.id}/sessions").status_code == 403
