"""Interviewer mode: answers taken down for a resident, tagged with the interviewer and
the place, and the next interview started in one tap."""

from __future__ import annotations

import sqlalchemy as sa

from engage.models import Response
from tests.factories import PASSWORD, make_survey, make_user, make_workgroup
from tests.support.client import csrf_token_from
from tests.web.test_survey_pages import Resident


def _start(pages, survey_id, language="es", place="Eastside library"):
    home = pages.get("/staff/interviews").get_data(as_text=True)
    token = csrf_token_from(home)
    return pages.client.post(
        f"/staff/interviews/{survey_id}/start",
        data={
            "csrf_token": token,
            f"s{survey_id}-language": language,
            f"s{survey_id}-place": place,
        },
    )


def test_an_interview_is_tagged_and_the_next_starts_in_one_tap(pages, session):
    survey = make_survey(session, slug="buses")
    interviewer = make_user(session, email="field@example.org", role="interviewer")
    make_workgroup(session, members=[interviewer], campaigns=[survey.campaign])
    survey_id, interviewer_id = survey.id, interviewer.id
    pages.login("field@example.org", PASSWORD)
    assert "Encuesta pequeña" not in pages.get("/staff/interviews").get_data(as_text=True)

    started = _start(pages, survey_id)
    assert started.status_code == 303
    assert "/s/buses/p/feedback" in started.headers["Location"]
    resident = Resident(pages.client, "buses")
    resident.open(started.headers["Location"])
    assert '<html lang="es"' in resident.page_html
    assert (
        resident.post({"obstacle": "El autobús no llega", "bus_importance": "9"}).status_code == 302
    )
    assert resident.post({"area": "south"}).status_code == 302
    assert "/s/buses/thanks" in resident.location

    stored = session.scalar(sa.select(Response))
    assert (stored.channel, stored.entered_by_id, stored.place, stored.language) == (
        "interviewer",
        interviewer_id,
        "Eastside library",
        "es",
    )
    assert f'action="/staff/interviews/{survey_id}/start"' in resident.page_html
    token = csrf_token_from(resident.page_html)
    again = pages.client.post(
        f"/staff/interviews/{survey_id}/start",
        data={
            "csrf_token": token,
            f"s{survey_id}-language": "es",
            f"s{survey_id}-place": "Eastside library",
        },
    )
    assert again.status_code == 303 and "/s/buses/p/feedback" in again.headers["Location"]


def test_residents_never_see_the_interviewer_button(client, session):
    make_survey(session, slug="open")
    resident = Resident(client, "open")
    resident.start()
    resident.post({"obstacle": "Too far", "bus_importance": "3"})
    resident.post({"area": "north"})
    assert "/s/open/thanks" in resident.location
    assert "/staff/interviews/" not in resident.page_html


def test_a_language_the_survey_does_not_offer_is_refused(pages, session):
    survey = make_survey(session, slug="buses")
    interviewer = make_user(session, email="field@example.org", role="interviewer")
    make_workgroup(session, members=[interviewer], campaigns=[survey.campaign])
    pages.login("field@example.org", PASSWORD)
    response = _start(pages, survey.id, language="de")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Response.id))) == 0


def test_interviewers_find_the_paper_forms_to_print_on_their_home_page(pages, session):
    survey = make_survey(session, slug="buses")
    interviewer = make_user(session, email="field@example.org", role="interviewer")
    make_workgroup(session, members=[interviewer], campaigns=[survey.campaign])
    survey_id = survey.id
    pages.login("field@example.org", PASSWORD)
    home = pages.get("/staff/interviews").get_data(as_text=True)
    assert "Paper forms" in home
    assert f'href="/staff/surveys/{survey_id}/paper/en"' in home
    assert f'href="/staff/surveys/{survey_id}/paper/es"' in home
    printable = pages.get(f"/staff/surveys/{survey_id}/paper/es")
    assert printable.status_code == 200
