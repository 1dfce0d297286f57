"""A survey the JSON intake has answered before is not looked up again on PostgreSQL:
the INSERT checks, in the same statement, that it is still as it was.

Each test sends one submission (the process now remembers the survey), changes the
survey as staff would from another process, and checks that the next submission is
answered exactly as the full lookup would answer it. On SQLite every submission takes
the full lookup; the same answers are expected there.
"""

from __future__ import annotations

import sqlalchemy as sa

from engage.builder.publishing import publish_survey
from engage.extensions import db
from engage.models import CampaignStatus, FeedbackItem, Response, ThemeAssignment
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings
from tests.factories import make_survey, small_definition
from tests.support.feedback import bilingual_survey

ANSWERS = {"obstacle": "The bus never comes", "bus_importance": 7, "area": "north"}


def post(client, slug: str, answers: dict = ANSWERS, **extra):
    return client.post(
        f"/api/v1/surveys/{slug}/responses", json={"answers": answers, "language": "es", **extra}
    )


def responses(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Response))


def statements_of(app, send) -> list[str]:
    seen: list[str] = []

    def note(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        assert send().status_code == 201
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)
    return [s for s in seen if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))]


def test_a_remembered_survey_is_stored_in_one_statement(session, client, app, backend):
    make_survey(session, definition=small_definition("fast"))
    first = statements_of(app, lambda: post(client, "fast"))
    second = statements_of(app, lambda: post(client, "fast"))
    if backend == "postgresql":
        assert len(first) >= 2 and len(second) == 1  # the first looks the survey up
        assert "survey_versions" in second[0] and second[0].lstrip().startswith("WITH g AS")
    else:
        assert len(second) == len(first)
    assert responses(session) == 2


def test_a_closed_survey_is_closed_at_once(session, client):
    survey = make_survey(session, definition=small_definition("closing"))
    assert post(client, "closing").status_code == 201
    survey.close()
    session.commit()
    refused = post(client, "closing")
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (409, "survey_closed")
    assert responses(session) == 1
    survey.reopen()
    session.commit()
    assert post(client, "closing").status_code == 201


def test_a_closed_campaign_takes_no_more_answers(session, client):
    survey = make_survey(session, definition=small_definition("campaign-closing"))
    assert post(client, "campaign-closing").status_code == 201
    survey.campaign.status = CampaignStatus.CLOSED
    session.commit()
    assert post(client, "campaign-closing").status_code == 409
    assert responses(session) == 1


def test_a_new_version_is_answered_at_once(session, client):
    survey = make_survey(session, definition=small_definition("versioned"))
    assert post(client, "versioned").status_code == 201
    newer = small_definition("versioned")
    del newer["pages"][0]["questions"][1]  # its answers would be orphaned: a new version
    survey.draft_definition = newer
    second = publish_survey(session, survey)
    session.commit()
    assert second.number == 2
    refused = post(client, "versioned")
    assert refused.status_code == 422
    assert [e["question"] for e in refused.get_json()["error"]["errors"]] == ["bus_importance"]
    stored = post(client, "versioned", {"obstacle": "Late", "area": "north"})
    assert stored.status_code == 201
    assert session.get(Response, stored.get_json()["id"]).survey_version_id == second.id


def test_an_invite_only_survey_asks_for_an_invitation_at_once(session, client):
    survey = make_survey(session, definition=small_definition("panel"))
    assert post(client, "panel").status_code == 201
    survey.invite_only = True
    session.commit()
    refused = post(client, "panel")
    assert (refused.status_code, refused.get_json()["error"]["code"]) == (403, "invite_required")
    assert responses(session) == 1


def test_feedback_is_placed_in_themes_that_appeared_since(session, client):
    survey = bilingual_survey(session, rounds=2)
    assert post(client, "listen", {"obstacle": "Rent keeps going up"}).status_code == 201
    run = analysis.create_run(
        session, campaign=survey.campaign, created_by=None, engine=EngineSettings("tfidf")
    )
    session.commit()
    analysis.run_analysis(session, run.id)
    session.refresh(run)
    assert run.status == "done", run.error
    text = "The rent is too high and keeps going up"
    assert post(client, "listen", {"obstacle": text}).status_code == 201
    item = session.scalar(sa.select(FeedbackItem).where(FeedbackItem.text == text))
    placed = session.scalar(
        sa.select(ThemeAssignment).where(
            ThemeAssignment.feedback_item_id == item.id, ThemeAssignment.run_id == run.id
        )
    )
    assert placed is not None
