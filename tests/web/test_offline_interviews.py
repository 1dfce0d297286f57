"""Interviews taken down without a connection: the whole survey on one page, and the
sync endpoint the page's script sends each kept interview to (once, whatever the
retries), tagged with the interviewer, the place and the resident's language."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa

from engage.models import Response
from tests.factories import PASSWORD, make_campaign, make_survey, make_user, make_workgroup
from tests.support.client import csrf_token_from

GOOD = {"obstacle": ["El autobús no llega"], "bus_importance": ["9"], "area": ["south"]}


@pytest.fixture
def field(pages, session):
    """An interviewer of the campaign of survey "buses", signed in."""
    survey = make_survey(session, slug="buses")
    interviewer = make_user(session, email="field@example.org", role="interviewer")
    make_workgroup(session, members=[interviewer], campaigns=[survey.campaign])
    pages.login("field@example.org", PASSWORD)
    pages.survey_id, pages.interviewer_id = survey.id, interviewer.id
    return pages


def _token(pages) -> str:
    response = pages.client.get(f"/staff/interviews/{pages.survey_id}/sync")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_json()["csrf_token"]


def _sync(pages, key, fields=None, survey_id=None, token=None, **extra):
    body = {"language": "es", "place": "Eastside library", "fields": fields or GOOD, **extra}
    return pages.client.post(
        f"/staff/interviews/{survey_id or pages.survey_id}/sync",
        json=body,
        headers={
            "Idempotency-Key": key,
            "X-CSRFToken": token or _token(pages),
            "Accept": "application/json",
        },
    )


def _stored(session) -> list[Response]:
    session.expire_all()
    return list(session.scalars(sa.select(Response)))


def test_the_offline_page_holds_the_whole_survey_in_the_residents_language(field):
    response = field.get(f"/staff/interviews/{field.survey_id}/offline?lang=es")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="es"' in html
    # Both pages of the survey, in Spanish, on one form.
    assert "¿Qué se lo impidió?" in html and "¿Dónde vive?" in html
    assert 'name="obstacle"' in html and 'name="area"' in html
    assert "js/offline.js" in html
    assert f'data-sync="/staff/interviews/{field.survey_id}/sync"' in html
    home = field.get("/staff/interviews").get_data(as_text=True)
    assert f'href="/staff/interviews/{field.survey_id}/offline"' in home


def test_an_interview_is_stored_once_tagged_with_interviewer_place_and_language(field, session):
    key = str(uuid.uuid4())
    first = _sync(field, key, finished_at="2020-01-01T00:00:00Z")
    assert first.status_code == 201
    assert first.get_json()["created"] is True
    again = _sync(field, key, finished_at="2020-01-01T00:00:00Z")  # the reply was lost
    assert again.status_code == 200
    assert again.get_json() == {"id": first.get_json()["id"], "created": False}
    [stored] = _stored(session)
    assert (stored.channel, stored.entered_by_id, stored.place, stored.language) == (
        "interviewer",
        field.interviewer_id,
        "Eastside library",
        "es",
    )
    assert {a.question_code: a.value for a in stored.answers} == {
        "obstacle": "El autobús no llega",
        "bus_importance": 9,
        "area": "south",
    }


def test_an_interview_another_interviewer_took_down_waits_for_them(field, session):
    """On a shared phone each interviewer sends their own interviews, so that a response
    names who really entered it; the page says who it is for."""
    page = field.get(f"/staff/interviews/{field.survey_id}/offline").get_data(as_text=True)
    assert f'data-interviewer="{field.interviewer_id}"' in page
    someone_else = _sync(field, "theirs", interviewer=field.interviewer_id + 1000)
    assert someone_else.status_code == 409
    error = someone_else.get_json()["error"]
    assert error["code"] == "other_interviewer"
    assert error["title"].startswith("Otro entrevistador")  # in the form's language
    assert _stored(session) == []
    mine = _sync(field, "mine", interviewer=field.interviewer_id)
    assert mine.status_code == 201
    assert [r.entered_by_id for r in _stored(session)] == [field.interviewer_id]


def test_the_time_the_phone_finished_the_interview_is_kept_if_believable(field, session):
    assert _sync(field, "k1", finished_at="2999-01-01T00:00:00Z").status_code == 201
    recent = "2026-01-01T10:00:00+00:00"
    _sync(field, "k2", fields={**GOOD, "area": ["north"]}, finished_at=recent)
    far_future, _ = sorted(_stored(session), key=lambda r: r.id)
    assert far_future.submitted_at.year < 2999


def test_the_same_key_with_other_answers_is_refused(field, session):
    key = str(uuid.uuid4())
    assert _sync(field, key).status_code == 201
    other = _sync(field, key, fields={**GOOD, "area": ["north"]})
    assert other.status_code == 409
    assert other.get_json()["error"]["code"] == "key_reused"
    assert len(_stored(session)) == 1


def test_invalid_answers_are_refused_with_translated_reasons_and_nothing_is_stored(field, session):
    response = _sync(field, str(uuid.uuid4()), fields={"obstacle": [""], "bus_importance": ["99"]})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid_answers"
    by_question = {e["question"]: e for e in error["errors"]}
    assert set(by_question) == {"obstacle", "bus_importance"}
    # In the interview's language, with the question's own text to find it by.
    assert by_question["obstacle"]["label"] == "¿Qué se lo impidió?"
    assert by_question["obstacle"]["field"] == "obstacle"
    assert by_question["obstacle"]["message"] == "Responda esta pregunta."
    assert _stored(session) == []


@pytest.mark.parametrize(
    ("key", "extra", "status", "code"),
    [
        ("", {}, 400, "key_required"),
        ("k", {"language": "de"}, 422, "unknown_language"),
        ("k", {"fields": {"obstacle": {"nested": 1}}}, 400, "invalid_json"),
    ],
)
def test_an_unreadable_interview_is_refused(field, session, key, extra, status, code):
    response = _sync(field, key, **extra)
    assert response.status_code == status
    assert response.get_json()["error"]["code"] == code
    assert _stored(session) == []


def test_a_closed_survey_takes_no_interview_and_the_phone_keeps_it(field, session):
    from engage.models import Survey

    token = _token(field)
    session.get(Survey, field.survey_id).close()
    session.commit()
    response = _sync(field, "k", token=token)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "survey_closed"
    assert field.get(f"/staff/interviews/{field.survey_id}/offline").status_code == 409
    assert _stored(session) == []


def test_a_survey_of_another_campaign_is_not_found(field, session):
    other = make_survey(session, campaign=make_campaign(session), slug="elsewhere")
    assert _sync(field, "k", survey_id=other.id).status_code == 404
    assert field.get(f"/staff/interviews/{other.id}/offline").status_code == 404
    assert _stored(session) == []


def test_only_signed_in_interviewers_with_a_form_token_may_send(field, session, pages):
    refused = field.client.post(
        f"/staff/interviews/{field.survey_id}/sync",
        json={"language": "es", "fields": GOOD},
        headers={"Idempotency-Key": "k", "Accept": "application/json"},
    )
    assert refused.status_code == 400  # no CSRF token
    field.client.post("/auth/logout", data={"csrf_token": _token(field)})
    # A session that ended: the page's script asks for a token first, and is told to sign in.
    signed_out = field.client.get(f"/staff/interviews/{field.survey_id}/sync")
    assert signed_out.status_code == 302 and "/auth/login" in signed_out.headers["Location"]
    make_user(session, email="member@example.org", role="member")
    field.login("member@example.org", PASSWORD)
    assert field.client.get(f"/staff/interviews/{field.survey_id}/sync").status_code == 403
    assert _stored(session) == []


def test_without_javascript_each_interview_is_sent_when_saved(field, session):
    url = f"/staff/interviews/{field.survey_id}/offline?lang=es"
    html = field.get(url).get_data(as_text=True)
    form = {
        "csrf_token": csrf_token_from(html),
        "interview:key": str(uuid.uuid4()),
        "interview:place": "Market Street stall",
        "obstacle": "",
        "bus_importance": "12",
    }
    refused = field.client.post(url, data=form)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "error-summary" in page and 'value="Market Street stall"' in page
    assert f'value="{form["interview:key"]}"' in page  # the same interview, resent
    form.update(obstacle="Sin parada cerca", bus_importance="4")
    saved = field.client.post(url, data=form)
    assert saved.status_code == 303
    assert field.client.post(url, data=form).status_code == 303  # a double tap
    [stored] = _stored(session)
    assert (stored.channel, stored.place, stored.language, stored.entered_by_id) == (
        "interviewer",
        "Market Street stall",
        "es",
        field.interviewer_id,
    )
    # The next interview starts blank, at the same place.
    following = field.get(saved.headers["Location"]).get_data(as_text=True)
    assert 'value="Market Street stall"' in following and "Sin parada cerca" not in following


def test_the_service_worker_is_served_as_script_to_anyone_and_revalidated(client):
    response = client.get("/staff/interviews/offline-worker.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert "engage-offline-v1" in response.get_data(as_text=True)


def test_text_no_database_stores_is_refused_on_its_question_or_cleaned_from_the_place(
    field, session
):
    refused = _sync(field, "k1", fields={**GOOD, "obstacle": ["Late\x00 buses"]})
    assert refused.status_code == 422
    assert [e["question"] for e in refused.get_json()["error"]["errors"]] == ["obstacle"]
    stored = _sync(field, "k2", place="Market\x00 \ud800Street")
    assert stored.status_code == 201
    assert [r.place for r in _stored(session)] == ["Market Street"]
