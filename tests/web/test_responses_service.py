from __future__ import annotations

import pytest
import sqlalchemy as sa

from engage.builder.publishing import publish_survey
from engage.models import Answer, FeedbackItem, Response
from engage.responses.services import InvalidAnswers, submit_response
from tests.factories import make_survey

ANSWERS = {
    "obstacle": "The bus never comes on time, call me at 555-123-4567 or ana@example.org",
    "bus_importance": 9,
    "area": "north",
}


def test_submission_stores_answers_and_masked_feedback(session):
    survey = make_survey(session)
    submission = submit_response(
        session, version=survey.current_version, answers=dict(ANSWERS), language="es"
    )
    session.commit()
    assert submission.created
    response = session.get(Response, submission.response.id)
    assert response.area == "north"
    assert {a.question_code: a.value for a in response.answers} == ANSWERS
    item = session.scalar(sa.select(FeedbackItem))
    assert item.question_code == "obstacle"
    assert item.language == "es"
    assert item.text == ANSWERS["obstacle"]
    assert "555-123-4567" not in item.redacted_text
    assert "ana@example.org" not in item.redacted_text
    assert "[PHONE]" in item.redacted_text and "[EMAIL]" in item.redacted_text
    assert item.demographics == {"area": "north"}
    assert item.campaign_id == survey.campaign_id


def test_same_idempotency_key_stores_once(session):
    survey = make_survey(session)
    version = survey.current_version
    first = submit_response(
        session, version=version, answers=dict(ANSWERS), language="en", idempotency_key="k-1"
    )
    again = submit_response(
        session, version=version, answers=dict(ANSWERS), language="en", idempotency_key="k-1"
    )
    session.commit()
    assert first.created and not again.created
    assert again.response.id == first.response.id
    assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(FeedbackItem)) == 1


def test_invalid_answers_store_nothing(session):
    survey = make_survey(session)
    with pytest.raises(InvalidAnswers) as raised:
        submit_response(
            session,
            version=survey.current_version,
            answers={"bus_importance": 11, "area": "west"},
            language="en",
        )
    codes = {(e.question, e.code) for e in raised.value.errors}
    assert ("obstacle", "required") in codes
    assert ("bus_importance", "above_max") in codes
    assert ("area", "invalid_choice") in codes
    assert session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0


def test_publishing_an_unchanged_draft_keeps_the_version(session):
    survey = make_survey(session)
    assert publish_survey(session, survey).number == 1
    survey.draft_definition = {
        **survey.draft_definition,
        "title": {"en": "Renamed", "es": "Renombrada"},
    }
    # Nobody has answered yet, so even a changed draft is published in place.
    version = publish_survey(session, survey)
    session.commit()
    assert version.number == 1
    assert [v.number for v in survey.versions] == [1]
    assert version.definition["title"]["en"] == "Renamed"
