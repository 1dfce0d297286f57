"""Runs over part of the feedback (filters), their progress, and the history of runs.

A filtered run is an exploration: read from the history, never put on the board."""

from __future__ import annotations

import html
import secrets

import sqlalchemy as sa

from engage.extensions import db
from engage.jobs import work
from engage.models import AnalysisRun, BoardPlacement, BoardTheme, FeedbackItem, ThemeAssignment
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings
from engage.themes.runs import RunFilters
from tests.factories import PASSWORD, make_campaign, make_member, make_survey, make_user
from tests.support.client import PageClient
from tests.support.databases import make_migrated_app
from tests.support.feedback import bilingual_survey
from tests.support.redis import require_redis


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _runs_page(survey) -> str:
    return f"/staff/campaigns/{survey.campaign_id}/themes/runs"


def _start(pages, survey, data):
    return pages.submit(
        f"/staff/campaigns/{survey.campaign_id}/themes/run", data, form_page=_runs_page(survey)
    )


def _run(session, survey, filters=None):
    run = analysis.create_run(
        session,
        campaign=survey.campaign,
        created_by=None,
        engine=EngineSettings("tfidf"),
        filters=filters,
    )
    session.commit()
    analysis.run_analysis(session, run.id)
    session.refresh(run)
    assert run.status == "done", run.error
    return run


def test_a_member_starts_a_filtered_run_and_reads_it_from_the_history(session, pages, app):
    app.config["ANALYSIS_BACKEND"] = "tfidf"
    try:
        survey = bilingual_survey(session, rounds=2)
        member = make_member(session, survey.campaign, email="m@example.org", name="Rosa Member")
        pages.login("m@example.org", PASSWORD)
        page = _text(pages.get(_runs_page(survey)))
        assert "No analysis has been run yet." in page and "Start the analysis" in page
        response = _start(
            pages, survey, {"language": "es", "survey": str(survey.id), "since": "2020-01-01"}
        )
        assert response.status_code == 302
        assert response.headers["Location"].endswith(_runs_page(survey))
    finally:
        app.config["ANALYSIS_BACKEND"] = "auto"
    run = session.scalar(sa.select(AnalysisRun))
    session.refresh(run)
    assert run.status == "done", run.error
    assert run.created_by_id == member.id and run.is_filtered
    assert run.parameters["filters"] == {
        "survey_id": survey.id,
        "language": "es",
        "since": "2020-01-01",
    }
    languages = session.scalars(
        sa.select(FeedbackItem.language)
        .join(ThemeAssignment, ThemeAssignment.feedback_item_id == FeedbackItem.id)
        .where(ThemeAssignment.run_id == run.id)
        .distinct()
    ).all()
    assert languages == ["es"] and run.item_count == 20
    # The history: settings, backend, who, status, size, and a link to the run's themes.
    history = _text(pages.get(_runs_page(survey)))
    for expected in ("Language: Spanish", f"Survey: {survey.slug}", "Rosa Member", "Finished"):
        assert expected in history, expected
    assert "Word statistics (TF-IDF)" in history
    detail = f"{_runs_page(survey)}/{run.id}"
    assert f'href="{detail}"' in history
    page = _text(pages.get(detail))
    assert "This analysis covers part of the feedback." in page
    assert "alquiler" in page and "The rent is too high" not in page
    # An exploration leaves the board and its page alone.
    assert session.scalar(sa.select(sa.func.count()).select_from(BoardTheme)) == 0
    board = _text(pages.get(f"/staff/campaigns/{survey.campaign_id}/themes"))
    assert "No analysis has been run yet." in board


def test_the_board_ignores_filtered_runs(session):
    survey = bilingual_survey(session, rounds=2)
    whole = _run(session, survey)
    before = {(t.id, t.theme_id) for t in session.scalars(sa.select(BoardTheme))}
    placements = session.scalar(sa.select(sa.func.count()).select_from(BoardPlacement))
    assert before and placements
    explored = _run(session, survey, RunFilters(language="en"))
    assert explored.is_filtered and explored.finished_at >= whole.finished_at
    assert {(t.id, t.theme_id) for t in session.scalars(sa.select(BoardTheme))} == before
    assert session.scalar(sa.select(sa.func.count()).select_from(BoardPlacement)) == placements
    assert not session.scalar(
        sa.select(sa.func.count())
        .select_from(BoardPlacement)
        .where(BoardPlacement.added_run_id == explored.id)
    )
    # New feedback, the quote explorer and the backlog follow the whole-campaign run.
    assert analysis.get_latest_finished_run(session, survey.campaign_id).id == whole.id
    assert session.scalar(sa.select(AnalysisRun.id).where(~AnalysisRun.is_filtered)) == whole.id
    assert analysis.place_new_feedback(session, explored) == 0
    # A later whole-campaign run still lands on the board as before.
    again = _run(session, survey)
    assert {t.theme_id for t in session.scalars(sa.select(BoardTheme))} <= {
        t.id for t in again.themes
    }


def test_a_running_analysis_shows_its_stage_and_progress(session, pages):
    survey = make_survey(session)
    make_user(session, email="s@example.org", role="staff")
    run = AnalysisRun(
        campaign_id=survey.campaign_id,
        status="running",
        stage="themes:en:cluster",
        progress=0.4,
        parameters={"filtered": True, "filters": {"language": "en"}},
    )
    session.add(run)
    session.commit()
    pages.login("s@example.org", PASSWORD)
    for path in (_runs_page(survey), f"{_runs_page(survey)}/{run.id}"):
        page = _text(pages.get(path))
        assert '<meta http-equiv="refresh" content="5">' in page
        assert "Finding themes in English" in page and "40%" in page
        assert "Refresh now" in page
    page = _text(pages.get(_runs_page(survey)))
    assert "An analysis is already running for this campaign." in page
    board = _text(pages.get(f"/staff/campaigns/{survey.campaign_id}/themes"))
    assert "An analysis of part of the feedback is running" in board
    assert f'action="/staff/campaigns/{survey.campaign_id}/themes/run"' not in board
    refused = _start(pages, survey, {})
    assert refused.status_code == 400
    assert "An analysis is already running for this campaign." in _text(refused)
    run.status, run.progress = "done", 1.0
    session.commit()
    assert '<meta http-equiv="refresh"' not in _text(pages.get(_runs_page(survey)))


def test_bad_filters_get_a_clear_error_never_a_500(session, pages):
    survey = bilingual_survey(session, rounds=1)
    make_member(session, survey.campaign, email="m@example.org")
    other = make_survey(session, campaign=make_campaign(session), slug="elsewhere")
    pages.login("m@example.org", PASSWORD)
    cases = [
        ({"since": "2026-13-45"}, "Enter a date like 2026-03-31."),
        ({"until": "yesterday"}, "Enter a date like 2026-03-31."),
        ({"since": "2026-03-02", "until": "2026-03-01"}, "The first day must come before"),
        ({"survey": str(2**31)}, "Choose one of this campaign's surveys."),
        ({"survey": "99999999999999999999"}, "Choose one of this campaign's surveys."),
        ({"survey": str(other.id)}, "Choose one of this campaign's surveys."),
        ({"question": "no_such_question"}, "Choose one of the open questions"),
        ({"question": "obstacle\x00"}, "characters that cannot be saved"),
        ({"language": "e\x00s"}, "characters that cannot be saved"),
        ({"wave": "2"}, "Choose a survey too"),
        ({"wave": "7", "survey": str(survey.id)}, "That survey has no such wave."),
        ({"wave": str(2**40), "survey": str(survey.id)}, "That survey has no such wave."),
        ({"channel": "carrier-pigeon"}, "Choose one of the channels offered."),
        ({"language": "x" * 300}, "Choose one of the languages offered."),
        ({"language": "tlh"}, "Choose one of the languages offered."),
    ]
    for data, message in cases:
        response = _start(pages, survey, data)
        assert response.status_code == 400, (data, response.status_code)
        assert message in _text(response), data
    assert session.scalar(sa.select(sa.func.count()).select_from(AnalysisRun)) == 0
    # The values entered are still in the form.
    response = _start(pages, survey, {"since": "2026-03-02", "until": "2026-03-01"})
    assert 'value="2026-03-02"' in _text(response)
    # Run addresses that name nothing of this campaign.
    for run_id in (2**31, 999999):
        assert pages.get(f"{_runs_page(survey)}/{run_id}").status_code == 404
    elsewhere = AnalysisRun(campaign_id=other.campaign_id, status="done")
    session.add(elsewhere)
    session.commit()
    assert pages.get(f"{_runs_page(survey)}/{elsewhere.id}").status_code == 404


def test_a_filter_on_a_question_and_a_channel_selects_only_that_feedback(session):
    survey = bilingual_survey(session, rounds=1)
    run = _run(session, survey, RunFilters(question="obstacle", channel="web", language="en"))
    assert run.item_count == 15
    assert analysis.AnalysisError
    nothing = analysis.create_run(
        session,
        campaign=survey.campaign,
        created_by=None,
        engine=EngineSettings("tfidf"),
        filters=RunFilters(channel="paper"),
    )
    session.commit()
    analysis.run_analysis(session, nothing.id)
    session.refresh(nothing)
    assert (nothing.status, nothing.error) == ("failed", "no_feedback")


def test_with_redis_a_filtered_run_waits_for_a_worker(backend, database_factory):
    """With Redis the run is queued (the page says it waits, and refreshes itself); an
    ``engage worker`` runs it."""
    redis_url = require_redis()
    app = make_migrated_app(
        database_factory.create(backend),
        REDIS_URL=redis_url,
        JOB_QUEUE_NAME=f"engage-test-{secrets.token_hex(4)}",
        ENGAGE_ANALYSIS_BACKEND="tfidf",
    )
    with app.app_context():
        survey = bilingual_survey(db.session, rounds=1)
        make_member(db.session, survey.campaign, email="m@example.org")
        pages = PageClient(app.test_client())
        pages.login("m@example.org", PASSWORD)
        runs = _runs_page(survey)
        assert _start(pages, survey, {"language": "es"}).status_code == 302
        page = _text(pages.get(runs))
        assert "Waiting to start" in page and '<meta http-equiv="refresh"' in page
        work(app, burst=True, fork=False)
        db.session.remove()
        run = db.session.scalar(sa.select(AnalysisRun))
        assert (run.status, run.is_filtered, run.item_count) == ("done", True, 10)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(BoardTheme)) == 0
        assert "Finished" in _text(pages.get(runs))
