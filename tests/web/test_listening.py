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
        "languages": ["en", "es"],
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
    assert (stored.place, stored.languages, stored.attendance, stored.demographics) == (
        "Library",
        ["en", "es"],
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


def _words(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_a_session_held_in_two_languages_shows_both_and_each_note_keeps_its_own(
    staff, campaign, session
):
    url = _record(staff, campaign).headers["Location"]
    detail = _words(staff.get(url))
    assert "Held in English and Spanish." in detail
    listing = _words(staff.get(f"/staff/campaigns/{campaign.id}/sessions"))
    assert "English and Spanish" in listing and "Main language" not in listing
    staff.submit(f"{url}/notes", {"language": "en", "text": "More buses."}, form_page=url)
    staff.submit(f"{url}/notes", {"language": "es", "text": "Más autobuses."}, form_page=url)
    notes = session.execute(
        sa.select(FeedbackItem.text, FeedbackItem.language).order_by(FeedbackItem.id)
    ).all()
    assert [tuple(n) for n in notes] == [("More buses.", "en"), ("Más autobuses.", "es")]
    # Unticking a language keeps the other; the notes stay in theirs.
    edited = {
        "held_on": "2026-11-20",
        "place": "Library",
        "area": "North",
        "facilitator": "Ana",
        "languages": ["en"],
        "attendance": "14",
        "demographics": "dimension,group,count\nlanguage,es,9\nlanguage,en,5\n",
    }
    assert staff.submit(url, edited, form_page=url).status_code == 303
    stored = session.scalar(sa.select(ListeningSession))
    session.refresh(stored)
    assert stored.languages == ["en"]
    assert session.scalar(sa.select(sa.func.count(ListeningSession.id))) == 1
    kept = session.execute(sa.select(FeedbackItem.language).order_by(FeedbackItem.id)).all()
    assert [k for (k,) in kept] == ["en", "es"]


def test_a_session_needs_a_language_the_campaign_offers(staff, campaign, session):
    none = _record(staff, campaign, languages=[])
    assert none.status_code == 400
    page = none.get_data(as_text=True)
    assert "Choose at least one language." in page and "Library" in page
    unknown = _record(staff, campaign, languages=["es", "xx"])
    assert unknown.status_code == 400
    assert session.scalar(sa.select(sa.func.count(ListeningSession.id))) == 0


def test_head_counts_by_group_hide_small_groups_on_the_list_and_the_session(
    staff, campaign, session
):
    counts = (
        "dimension,group,count\n"
        "language,es,9\nlanguage,en,3\nlanguage,ar,6\n"
        "area,North,12\narea,South,6\n"
        "race_ethnicity,mena,7\n"
    )
    url = _record(staff, campaign, demographics=counts).headers["Location"]
    for page in (staff.get(url), staff.get(f"/staff/campaigns/{campaign.id}/sessions")):
        text = _words(page)
        # 3 English speakers is fewer than 5: hidden, and the next smallest group with it.
        assert "Spanish 9" in text
        assert "English —" in text and "Arabic —" in text
        assert "North 12" in text and "South 6" in text
        assert "Race or ethnicity" in text and "mena 7" in text  # named by dimension
        assert "— hidden: a group of fewer than 5 people" in text

    # With the campaign's own threshold of 10, more groups are hidden.
    session.get(Campaign, campaign.id).suppression_threshold = 10
    session.commit()
    text = _words(staff.get(url))
    assert "Spanish 9" not in text and "Spanish —" in text
    assert "North 12" not in text  # South (6) is hidden, so North would give it away


def test_a_new_session_starts_in_the_campaigns_first_language(staff, campaign):
    page = staff.get(f"/staff/campaigns/{campaign.id}/sessions/new").get_data(as_text=True)
    assert re.search(r'<input[^>]*checked[^>]*value="en"|<input[^>]*value="en"[^>]*checked', page)
    assert not re.search(r'<input[^>]*value="es"[^>]*checked', page)
