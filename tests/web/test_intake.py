"""The fast JSON intake stores what the slow one did: every answer, every feedback item,
committed, and always against the survey as it is published now."""

from __future__ import annotations

import sqlalchemy as sa

from engage.builder.publishing import publish_survey
from engage.models import Answer, FeedbackItem, Response
from tests.factories import make_survey, small_definition

TRICKY = 'She said "no", {then} left \\ — ñ 日本 , NULL'


def post(client, slug: str, answers: dict, key: str | None = None):
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(
        f"/api/v1/surveys/{slug}/responses",
        json={"answers": answers, "language": "es"},
        headers=headers,
    )


def test_every_answer_and_feedback_item_is_stored_as_sent(session, client):
    survey = make_survey(session, definition=small_definition("bus"))
    answers = {"obstacle": TRICKY, "bus_importance": 7, "area": "north"}
    first = post(client, "bus", answers, key="k-tricky")
    assert first.status_code == 201
    response = session.get(Response, first.get_json()["id"])
    assert {a.question_code: a.value for a in response.answers} == answers
    assert (response.language, response.area, response.idempotency_key) == (
        "es",
        "north",
        "k-tricky",
    )
    item = session.scalar(sa.select(FeedbackItem).where(FeedbackItem.response_id == response.id))
    assert (item.text, item.question_code, item.analysis_role) == (
        TRICKY,
        "obstacle",
        "job_obstacle",
    )
    assert (item.channel, item.language, item.demographics) == ("web", "es", {"area": "north"})
    assert item.campaign_id == survey.campaign_id and item.created_at is not None
    again = post(client, "bus", answers, key="k-tricky")
    assert (again.status_code, again.get_json()["id"]) == (200, response.id)
    assert session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 3


def test_a_submission_without_answers_is_committed(session, client):
    definition = small_definition("optional")
    for page in definition["pages"]:
        for question in page["questions"]:
            question["required"] = False
    make_survey(session, definition=definition)
    answer = post(client, "optional", {})
    assert answer.status_code == 201
    # Had the request not committed, its rollback would have taken the response away.
    assert session.get(Response, answer.get_json()["id"]) is not None


def test_a_definition_published_again_in_place_is_used_at_once(session, client):
    survey = make_survey(session, definition=small_definition("edited"))
    assert post(client, "edited", {"obstacle": "Late buses", "area": "north"}).status_code == 201
    edited = small_definition("edited")
    edited["pages"][0]["questions"][1]["required"] = True  # answers stay valid: same version
    survey.draft_definition = edited
    assert publish_survey(session, survey).number == 1
    session.commit()
    refused = post(client, "edited", {"obstacle": "Late buses", "area": "north"})
    assert refused.status_code == 422
    assert [e["question"] for e in refused.get_json()["error"]["errors"]] == ["bus_importance"]
