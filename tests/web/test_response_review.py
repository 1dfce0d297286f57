"""Reading a campaign's responses: the filtered list, one response, setting aside."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from engage.models import AuditEvent, FeedbackItem, Response, ResponseDraft
from engage.orm import utcnow
from engage.responses.services import submit_response
from engage.themes.services import _clustered_items
from tests.factories import full_definition, make_survey, make_user


@pytest.fixture
def campaign(session):
    survey = make_survey(session, slug="buses")
    version = survey.versions[0]
    for number, (language, source, area, day) in enumerate(
        [("en", "flyer", "north", 3), ("es", "clinic", "south", 4), ("en", None, "north", 5)]
    ):
        submit_response(
            session,
            version=version,
            answers={"obstacle": f"The bus number {number} never comes", "area": area},
            language=language,
            source_tag=source,
            submitted_at=datetime(2026, 11, day, 12, tzinfo=UTC),
        )
    session.add(
        ResponseDraft(
            survey_version_id=version.id,
            token_hash="t" * 64,
            resume_code_hash="r" * 64,
            language="es",
            idempotency_key="draft-1",
            expires_at=utcnow(),
        )
    )
    session.commit()
    return SimpleNamespace(id=survey.campaign_id, survey_id=survey.id)


def _list(staff, campaign, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    return staff.get(f"/staff/campaigns/{campaign.id}/responses?{query}")


def test_the_list_filters_by_language_source_area_and_dates(staff, campaign):
    page = _list(staff, campaign).get_data(as_text=True)
    assert "3 responses match." in page
    assert "1 response matches." in _list(staff, campaign, language="es").get_data(as_text=True)
    assert "1 response matches." in _list(staff, campaign, source="flyer").get_data(as_text=True)
    north = _list(staff, campaign, area="north", submitted_from="2026-11-04")
    assert "1 response matches." in north.get_data(as_text=True)


@pytest.fixture
def interview(session, campaign):
    """A second survey of the campaign, with one response an interviewer took down at a
    library from a paper form numbered P-0042."""
    from engage.models import Campaign

    own = session.get(Campaign, campaign.id)
    other = make_survey(session, campaign=own, slug="parks")
    amina = make_user(session, role="interviewer", name="Amina Diallo")
    response = submit_response(
        session,
        version=other.versions[0],
        answers={"obstacle": "No benches in the park"},
        language="en",
        channel="interviewer",
        entered_by=amina,
    ).response
    response.place, response.form_number = "Northgate library", "P-0042"
    session.commit()
    return SimpleNamespace(survey_id=other.id, interviewer_id=amina.id, response_id=response.id)


def test_the_list_filters_by_survey_and_channel(staff, campaign, interview):
    assert "4 responses match." in _list(staff, campaign).get_data(as_text=True)
    parks = _list(staff, campaign, survey=interview.survey_id).get_data(as_text=True)
    assert "1 response matches." in parks and "No benches" not in parks
    assert f"Response {interview.response_id}" in parks
    buses = _list(staff, campaign, survey=campaign.survey_id).get_data(as_text=True)
    assert "3 responses match." in buses and f"Response {interview.response_id}<" not in buses
    by_interview = _list(staff, campaign, channel="interviewer").get_data(as_text=True)
    assert "1 response matches." in by_interview
    assert "3 responses match." in _list(staff, campaign, channel="web").get_data(as_text=True)
    assert "0 responses match." in _list(staff, campaign, channel="paper").get_data(as_text=True)
    both = _list(staff, campaign, survey=campaign.survey_id, channel="interviewer")
    assert "0 responses match." in both.get_data(as_text=True)


def test_the_list_shows_and_filters_by_who_entered_a_response_and_where(staff, campaign, interview):
    page = _list(staff, campaign).get_data(as_text=True)
    assert "Entered by" in page and "Amina Diallo" in page and "Northgate library" in page
    mine = _list(staff, campaign, interviewer=interview.interviewer_id)
    assert "1 response matches." in mine.get_data(as_text=True)
    there = _list(staff, campaign, place="Northgate%20library")
    assert "1 response matches." in there.get_data(as_text=True)


def test_a_response_shows_its_interviewer_place_and_paper_form_number(staff, interview):
    page = staff.get(f"/staff/responses/{interview.response_id}").get_data(as_text=True)
    for shown in ("Entered by", "Amina Diallo", "Place", "Northgate library", "P-0042"):
        assert shown in page


def test_started_surveys_not_sent_are_listed_apart(staff, campaign):
    page = _list(staff, campaign, status="partial").get_data(as_text=True)
    assert "1 survey started and not sent." in page


def test_a_bad_filter_is_named_and_the_rest_still_applies(staff, campaign):
    response = _list(staff, campaign, language="es", submitted_from="yesterday")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not a valid date value." in page
    assert "1 response matches." in page


def test_a_response_reads_in_words_and_can_be_set_aside_and_restored(staff, campaign, session):
    first = session.scalar(sa.select(Response).order_by(Response.id))
    detail = staff.get(f"/staff/responses/{first.id}").get_data(as_text=True)
    assert "The bus number 0 never comes" in detail
    assert "North" in detail  # the option's label, not its value

    url = f"/staff/responses/{first.id}"
    done = staff.submit(
        f"{url}/exclude", {"reason": "duplicate", "note": "Same as 2"}, form_page=url
    )
    assert done.status_code == 303
    page = staff.get(url).get_data(as_text=True)
    assert "Set aside: Duplicate." in page and "Same as 2" in page
    assert "2 responses match." in _list(staff, campaign).get_data(as_text=True)
    assert "1 response matches." in _list(staff, campaign, status="excluded").get_data(as_text=True)
    texts = [item.text for item in _clustered_items(session, campaign.id)]
    assert "The bus number 0 never comes" not in texts  # out of the analysis too
    assert len(texts) == 2

    staff.submit(f"{url}/restore", {}, form_page=url)
    assert "3 responses match." in _list(staff, campaign).get_data(as_text=True)
    actions = list(
        session.scalars(
            sa.select(AuditEvent.action)
            .where(AuditEvent.action.like("response_%"))
            .order_by(AuditEvent.id)
        )
    )
    assert actions == ["response_excluded", "response_restored"]


def test_setting_aside_without_a_known_reason_keeps_the_note(staff, campaign, session):
    first = session.scalar(sa.select(Response).order_by(Response.id))
    url = f"/staff/responses/{first.id}"
    response = staff.submit(
        f"{url}/exclude", {"reason": "boring", "note": "my note"}, form_page=url
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Not a valid choice" in page and "my note" in page
    session.expire_all()
    assert session.get(Response, first.id).excluded_reason is None


def test_every_question_type_reads_in_words(staff, session):
    survey = make_survey(session, definition=full_definition("every-type"))
    submission = submit_response(
        session,
        version=survey.versions[0],
        answers={
            "agree": True,
            "lives_here": "no",
            "obstacle": "Too far",
            "topics": ["bus", "other"],
            "topics__other": "Lights",
            "bus_importance": 6,
            "grid": {"day": "a"},
        },
        language="en",
    )
    session.commit()
    page = staff.get(f"/staff/responses/{submission.response.id}").get_data(as_text=True)
    assert "Buses\nOther\nLights" in page
    assert "By day: A" in page
    assert "Not answered" in page  # stars


def test_only_counted_feedback_goes_to_the_analysis(session, campaign):
    items = session.scalars(sa.select(FeedbackItem)).all()
    assert len(_clustered_items(session, campaign.id)) == len(items) == 3
