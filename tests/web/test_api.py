from __future__ import annotations

import sqlalchemy as sa

from engage.models import Response
from tests.factories import full_definition, make_survey

VALID = {
    "agree": True,
    "lives_here": "no",
    "obstacle": "Buses are late",
    "bus_importance": 8,
    "topics": ["bus"],
    "grid": {"day": "a"},
}


def test_definition_is_public_with_codes_types_texts_and_options(session, client):
    make_survey(session, definition=full_definition("full"))
    body = client.get("/api/v1/surveys/full").get_json()
    questions = {q["code"]: q for p in body["pages"] for q in p["questions"]}
    assert questions["topics"]["type"] == "multiple_choice"
    assert questions["topics"]["text"]["es"] == "Temas"
    assert questions["topics"]["options"][0] == {
        "value": "bus",
        "label": {"en": "Buses", "es": "Autobuses"},
    }
    assert questions["agree"]["required"] is True
    assert questions["obstacle"]["options"] is None
    assert body["version"] == 1 and body["languages"] == ["en", "es"]


def test_unpublished_survey_is_404_json(session, client):
    make_survey(session, definition=full_definition("hidden"), published=False)
    response = client.get("/api/v1/surveys/hidden")
    assert response.status_code == 404 and response.is_json


def test_valid_response_is_stored_once_per_idempotency_key(session, client):
    make_survey(session, definition=full_definition("full"))
    headers = {"Idempotency-Key": "abc-123"}
    body = {"answers": VALID, "language": "es"}
    first = client.post("/api/v1/surveys/full/responses", json=body, headers=headers)
    again = client.post("/api/v1/surveys/full/responses", json=body, headers=headers)
    assert first.status_code == 201 and again.status_code == 200
    assert first.get_json()["id"] == again.get_json()["id"]
    stored = session.scalar(sa.select(Response))
    assert stored.language == "es"
    assert {a.question_code for a in stored.answers} >= {"agree", "obstacle", "grid"}
    assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_a_reused_idempotency_key_is_refused_and_reveals_nothing(session, client):
    make_survey(session, definition=full_definition("full"))
    make_survey(session, definition=full_definition("other"))
    headers = {"Idempotency-Key": "key-1"}
    body = {"answers": VALID, "language": "es"}
    first = client.post("/api/v1/surveys/full/responses", json=body, headers=headers)
    assert first.status_code == 201
    changed = {**body, "answers": {**VALID, "obstacle": "Something else entirely"}}
    for slug, sent in [("full", changed), ("other", body)]:
        reused = client.post(f"/api/v1/surveys/{slug}/responses", json=sent, headers=headers)
        assert reused.status_code == 409, slug
        error = reused.get_json()["error"]
        assert error["code"] == "idempotency_key_reused"
        assert str(first.get_json()["id"]) not in reused.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    # The same submission again is still the same response.
    again = client.post("/api/v1/surveys/full/responses", json=body, headers=headers)
    assert (again.status_code, again.get_json()["id"]) == (200, first.get_json()["id"])


def test_malformed_json_is_400(session, client):
    make_survey(session, definition=full_definition("full"))
    response = client.post(
        "/api/v1/surveys/full/responses", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "answers" in response.get_json()["error"]["title"]


def test_invalid_answers_are_422_with_per_question_errors(session, client):
    make_survey(session, definition=full_definition("full"))
    response = client.post(
        "/api/v1/surveys/full/responses",
        json={"answers": {"lives_here": "maybe", "bus_importance": 11, "bogus": 1}},
    )
    assert response.status_code == 422
    errors = {(e["question"], e["code"]) for e in response.get_json()["error"]["errors"]}
    assert {
        ("agree", "consent_required"),
        ("lives_here", "invalid_choice"),
        ("bus_importance", "above_max"),
        ("bogus", "unknown_question"),
        ("obstacle", "required"),
    } <= errors
    assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_unknown_language_is_422(session, client):
    make_survey(session, definition=full_definition("full"))
    response = client.post(
        "/api/v1/surveys/full/responses", json={"answers": VALID, "language": "de"}
    )
    assert response.status_code == 422


def test_closed_survey_refuses_responses(session, client):
    survey = make_survey(session, definition=full_definition("full"))
    survey.campaign.status = "closed"
    session.commit()
    response = client.post("/api/v1/surveys/full/responses", json={"answers": VALID})
    assert response.status_code == 409
