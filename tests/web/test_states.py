"""Survey, campaign and analysis-run states: the enums, the transitions and who uses them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from engage.builder import services as builder
from engage.builder.publishing import create_survey, publish_survey
from engage.campaigns.services import list_open_surveys
from engage.models import (
    AnalysisRun,
    Campaign,
    CampaignStatus,
    Channel,
    IllegalTransition,
    Response,
    RunStatus,
    Survey,
    SurveyStatus,
)
from engage.orm import sql_in
from tests.factories import (
    full_definition,
    make_campaign,
    make_survey,
    small_definition,
)


def _reloaded(session, model, id_):
    session.expire_all()
    return session.get(model, id_)


def _draft_survey(session, campaign=None):
    return make_survey(session, campaign=campaign, published=False)


def _closed_survey(session, campaign=None):
    survey = make_survey(session, campaign=campaign)
    survey.close()
    session.commit()
    return survey


def _run(session, status=RunStatus.QUEUED):
    run = AnalysisRun(campaign=make_campaign(session), status=status)
    session.add(run)
    session.commit()
    return run


# -- the enums ---------------------------------------------------------------------------


def test_enum_values_are_the_stored_strings():
    assert list(SurveyStatus) == ["draft", "published", "closed"]
    assert list(CampaignStatus) == ["draft", "open", "closed", "archived"]
    assert list(RunStatus) == ["queued", "running", "done", "failed"]
    assert list(Channel) == ["web", "interviewer", "paper", "session", "import"]
    assert SurveyStatus.PUBLISHED == "published" and f"{SurveyStatus.CLOSED}" == "closed"
    # The CHECK constraints are the ones the migrations created.
    assert sql_in("status", SurveyStatus) == "status IN ('draft', 'published', 'closed')"
    assert sql_in("status", RunStatus) == "status IN ('queued', 'running', 'done', 'failed')"


def test_states_are_read_back_as_enum_members(session):
    survey = make_survey(session)
    run = _run(session)
    survey = _reloaded(session, Survey, survey.id)
    assert survey.status is SurveyStatus.PUBLISHED
    assert survey.campaign.status is CampaignStatus.OPEN
    assert _reloaded(session, AnalysisRun, run.id).status is RunStatus.QUEUED
    stored = session.scalar(sa.select(Survey.status).where(Survey.id == survey.id))
    assert stored is SurveyStatus.PUBLISHED
    raw = session.execute(
        sa.text("SELECT status FROM surveys WHERE id = :id"), {"id": survey.id}
    ).scalar_one()
    assert type(raw) is str and raw == "published"


def test_plain_strings_still_work_and_unknown_states_are_refused(session):
    campaign = make_campaign(session, status="closed")
    assert campaign.status is CampaignStatus.CLOSED
    campaign.status = "open"
    assert campaign.status is CampaignStatus.OPEN
    with pytest.raises(ValueError):
        campaign.status = "paused"
    with pytest.raises(ValueError):
        Survey(status="live")
    with pytest.raises(ValueError):
        AnalysisRun(status="crashed")
    with pytest.raises(ValueError):
        Response(channel="fax")
    with pytest.raises(sa.exc.StatementError):
        session.scalar(sa.select(Survey.id).where(Survey.status == "publsihed"))


# -- surveys -----------------------------------------------------------------------------


def test_close_a_published_survey(session):
    survey = make_survey(session)
    survey.close()
    session.commit()
    assert _reloaded(session, Survey, survey.id).status == SurveyStatus.CLOSED


@pytest.mark.parametrize("state", ["draft", "closed"])
def test_only_a_published_survey_can_be_closed(session, state):
    survey = _draft_survey(session) if state == "draft" else _closed_survey(session)
    with pytest.raises(IllegalTransition) as refused:
        survey.close()
    assert refused.value.code == "survey_not_published"
    assert survey.status == state
    with pytest.raises(IllegalTransition):
        builder.close(survey)
    assert survey.status == state


def test_reopen_a_closed_survey(session):
    survey = _closed_survey(session)
    survey.reopen()
    session.commit()
    assert _reloaded(session, Survey, survey.id).status == SurveyStatus.PUBLISHED


@pytest.mark.parametrize("state", ["draft", "published"])
def test_only_a_closed_survey_can_be_reopened(session, state):
    survey = make_survey(session, published=state == "published")
    with pytest.raises(IllegalTransition) as refused:
        builder.reopen(survey)
    assert refused.value.code == "survey_not_closed"
    assert survey.status == state


def test_a_closed_survey_never_published_cannot_be_reopened(session):
    survey = _draft_survey(session)
    survey.status = SurveyStatus.CLOSED  # e.g. set by hand in the database
    with pytest.raises(IllegalTransition) as refused:
        survey.reopen()
    assert refused.value.code == "survey_not_closed"
    assert survey.status == SurveyStatus.CLOSED


def test_publishing_marks_the_survey_published_and_opens_a_closed_one(session):
    survey = _draft_survey(session)
    publish_survey(session, survey)
    assert survey.status == SurveyStatus.PUBLISHED
    survey.close()
    publish_survey(session, survey)  # publishing changes to a closed survey
    assert survey.status == SurveyStatus.PUBLISHED
    assert [v.number for v in survey.versions] == [1]


def test_a_survey_without_a_version_cannot_be_marked_published(session):
    survey = create_survey(
        session, campaign=make_campaign(session), definition=small_definition("bare")
    )
    with pytest.raises(IllegalTransition) as refused:
        survey.mark_published()
    assert refused.value.code == "survey_has_no_version"
    assert survey.status == SurveyStatus.DRAFT


def test_open_for_answers_needs_a_published_survey_in_an_open_campaign(session):
    open_campaign = make_campaign(session, title="A")
    answering = make_survey(session, campaign=open_campaign)
    _draft_survey(session, open_campaign)
    _closed_survey(session, open_campaign)
    in_closed_campaign = make_survey(session, campaign=make_campaign(session, status="closed"))
    in_draft_campaign = make_survey(session, campaign=make_campaign(session, status="draft"))

    assert answering.is_open_for_answers and answering.is_public
    assert not in_closed_campaign.is_open_for_answers and in_closed_campaign.is_public
    assert not in_draft_campaign.is_open_for_answers
    # The same rule in SQL, for the residents' front page.
    assert list_open_surveys(session) == [answering]
    in_closed_campaign.campaign.status = CampaignStatus.OPEN
    session.commit()
    assert {s.id for s in list_open_surveys(session)} == {answering.id, in_closed_campaign.id}


def test_public_means_published_at_least_once(session):
    assert not _draft_survey(session).is_public
    closed = _closed_survey(session)
    assert closed.is_public and not closed.is_open_for_answers


def test_campaign_is_open_in_python_and_sql(session):
    opened = make_campaign(session, status=CampaignStatus.OPEN)
    make_campaign(session, status=CampaignStatus.ARCHIVED)
    assert opened.is_open
    ids = set(session.scalars(sa.select(Campaign.id).where(Campaign.is_open)))
    assert opened.id in ids and len(ids) == 1


# -- analysis runs -----------------------------------------------------------------------


def test_a_run_starts_finishes_and_records_when(session):
    run = _run(session)
    run.start(stage="preprocess")
    assert (run.status, run.stage, run.progress) == (RunStatus.RUNNING, "preprocess", 0.0)
    run.start(stage="preprocess")  # a job picked up again after an interruption
    run.finish()
    session.commit()
    run = _reloaded(session, AnalysisRun, run.id)
    assert (run.status, run.stage, run.progress) == (RunStatus.DONE, "done", 1.0)
    assert run.finished_at is not None and not run.is_active


@pytest.mark.parametrize("state", ["queued", "running"])
def test_an_active_run_can_fail(session, state):
    run = _run(session, status=state)
    assert run.is_active
    run.fail("no_feedback")
    session.commit()
    run = _reloaded(session, AnalysisRun, run.id)
    assert (run.status, run.error) == (RunStatus.FAILED, "no_feedback")
    assert run.finished_at is not None


@pytest.mark.parametrize("state", ["done", "failed"])
def test_an_ended_run_cannot_start_or_fail_again(session, state):
    run = _run(session, status=state)
    for change in (run.start, lambda: run.fail("unexpected")):
        with pytest.raises(IllegalTransition) as refused:
            change()
        assert refused.value.code == "run_not_active"
    assert run.status == state and run.error is None


@pytest.mark.parametrize("state", ["queued", "done", "failed"])
def test_only_a_running_run_can_finish(session, state):
    run = _run(session, status=state)
    with pytest.raises(IllegalTransition) as refused:
        run.finish()
    assert refused.value.code == "run_not_running"
    assert run.status == state and run.finished_at is None


def test_active_runs_in_sql(session):
    queued = _run(session)
    running = _run(session, status=RunStatus.RUNNING)
    _run(session, status=RunStatus.DONE)
    _run(session, status=RunStatus.FAILED)
    active = set(session.scalars(sa.select(AnalysisRun.id).where(AnalysisRun.is_active)))
    assert active == {queued.id, running.id}


# -- the API -----------------------------------------------------------------------------


def test_api_status_and_channels(session, client):
    survey = make_survey(session, definition=full_definition("full"))
    assert client.get("/api/v1/surveys/full").get_json()["status"] == "published"
    answers = {
        "agree": True,
        "lives_here": "no",
        "obstacle": "Buses are late",
        "bus_importance": 8,
        "topics": ["bus"],
        "grid": {"day": "a"},
    }
    response = client.post(
        "/api/v1/surveys/full/responses", json={"answers": answers, "channel": "paper"}
    )
    assert response.status_code == 201, response.get_json()
    stored = session.get(Response, response.get_json()["id"])
    assert stored.channel is Channel.PAPER
    for channel in ("fax", ["web"], 3):
        response = client.post(
            "/api/v1/surveys/full/responses", json={"answers": answers, "channel": channel}
        )
        assert response.status_code == 422
        assert response.get_json()["error"]["field"] == "channel"
    survey.campaign.status = CampaignStatus.CLOSED
    session.commit()
    assert client.get("/api/v1/surveys/full").get_json()["status"] == "closed"


# -- closing and reopening in the builder ---------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "closed"])
def test_closing_a_survey_that_is_not_published_says_so_and_changes_nothing(staff, session, state):
    survey = _draft_survey(session) if state == "draft" else _closed_survey(session)
    before = survey.updated_at
    base = f"/staff/surveys/{survey.id}"
    response = staff.submit(f"{base}/close", {}, form_page=f"{base}/settings")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(base)
    html = staff.get(base).get_data(as_text=True)
    assert "This survey is not published, so it cannot be closed." in html
    assert "flash--error" in html
    assert "residents can no longer answer it" not in html
    survey = _reloaded(session, Survey, survey.id)
    assert survey.status == state and survey.updated_at == before


@pytest.mark.parametrize("state", ["draft", "published"])
def test_reopening_a_survey_that_is_not_closed_says_so_and_changes_nothing(staff, session, state):
    survey = make_survey(session, published=state == "published")
    base = f"/staff/surveys/{survey.id}"
    response = staff.submit(f"{base}/reopen", {}, form_page=f"{base}/settings")
    assert response.status_code == 302
    html = staff.get(base).get_data(as_text=True)
    assert "Only a closed survey that was published can be reopened." in html
    assert "The survey is open again." not in html
    assert _reloaded(session, Survey, survey.id).status == state


def test_the_builder_offers_the_change_the_state_allows(staff, session):
    survey = make_survey(session)
    base = f"/staff/surveys/{survey.id}"
    html = staff.get(base).get_data(as_text=True)
    assert f'href="{base}/close"' in html and f'action="{base}/reopen"' not in html
    confirm = staff.get(f"{base}/close").get_data(as_text=True)  # asks first
    assert "Close this survey?" in confirm
    assert _reloaded(session, Survey, survey.id).status == "published"
    staff.submit(f"{base}/close", {}, form_page=f"{base}/close")
    html = staff.get(base).get_data(as_text=True)
    assert "The survey is closed: residents can no longer answer it." in html
    assert f'action="{base}/reopen"' in html and f'href="{base}/close"' not in html
    draft = _draft_survey(session)
    html = staff.get(f"/staff/surveys/{draft.id}").get_data(as_text=True)
    assert "/close" not in html and "/reopen" not in html


def test_the_campaign_form_offers_every_status_and_refuses_others(staff, session):
    campaign = make_campaign(session, status="draft")
    url = f"/staff/campaigns/{campaign.id}/edit"
    html = staff.get(url).get_data(as_text=True)
    for status in CampaignStatus:
        assert f'value="{status}"' in html
    values = {"title": campaign.title, "slug": campaign.slug, "languages": ["en"]}
    assert staff.submit(url, {**values, "status": "paused"}).status_code == 400
    assert _reloaded(session, Campaign, campaign.id).status is CampaignStatus.DRAFT
    assert staff.submit(url, {**values, "status": "archived"}).status_code == 302
    assert _reloaded(session, Campaign, campaign.id).status is CampaignStatus.ARCHIVED


def test_the_refusal_is_translated(staff, session):
    survey = _draft_survey(session)
    base = f"/staff/surveys/{survey.id}"
    staff.submit(f"{base}/close?lang=es", {}, form_page=f"{base}/settings")
    html = staff.get(base).get_data(as_text=True)
    assert "Esta encuesta no está publicada, así que no se puede cerrar." in html
