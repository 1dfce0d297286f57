from __future__ import annotations

import logging
import pickle

import pytest
import sqlalchemy as sa

from analysis import MODEL_FORMAT_VERSION, check_model
from engage.models import AnalysisRun, FeedbackItem, Theme, ThemeAssignment
from engage.responses.services import submit_response
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings
from tests.factories import PASSWORD, make_member, make_survey, make_user, small_definition
from tests.support.feedback import ENGLISH, KeywordEncoder, bilingual_survey

TOPICS = ENGLISH


def _feedback_survey(session, n_rounds: int = 3):
    survey = make_survey(session, definition=small_definition("listen"))
    version = survey.current_version
    for round_ in range(n_rounds):
        for texts in TOPICS.values():
            for text in texts:
                submit_response(
                    session,
                    version=version,
                    answers={"obstacle": f"{text} ({round_})" if round_ else text},
                    language="en",
                )
    submit_response(session, version=version, answers={"obstacle": "n/a"}, language="en")
    submit_response(
        session,
        version=version,
        answers={"obstacle": "The bus is late, email me at rosa@example.org"},
        language="en",
    )
    session.commit()
    return survey


def _run(session, survey):
    run = analysis.create_run(session, campaign=survey.campaign, created_by=None)
    session.commit()
    analysis.run_analysis(session, run.id)
    session.refresh(run)
    return run


def test_a_run_stores_themes_assignments_and_masked_quotes(session):
    survey = _feedback_survey(session)
    run = _run(session, survey)
    assert run.status == "done" and run.progress == 1.0
    assert run.item_count == 47
    themes = session.scalars(sa.select(Theme).where(Theme.run_id == run.id)).all()
    assert 3 <= len([t for t in themes if t.parent_key is None]) <= 12
    # Items about the same topic end up together.
    assignments = dict(
        session.execute(
            sa.select(FeedbackItem.text, ThemeAssignment.theme_id).join(
                ThemeAssignment, ThemeAssignment.feedback_item_id == FeedbackItem.id
            )
        ).all()
    )
    # A topic may be split (the bus: "late" and "waiting"), but no theme mixes topics.
    topics_of_theme: dict[int, set[str]] = {}
    for topic, texts in TOPICS.items():
        for text in texts:
            assert assignments[text] is not None, text
            topics_of_theme.setdefault(assignments[text], set()).add(topic)
    assert all(len(topics) == 1 for topics in topics_of_theme.values()), topics_of_theme
    assert assignments["n/a"] is None
    quotes = [q["text"] for t in themes for q in t.representatives]
    assert not any("rosa@example.org" in q for q in quotes)


def test_new_feedback_is_placed_in_existing_themes_without_a_rerun(session):
    survey = _feedback_survey(session)
    run = _run(session, survey)
    new = submit_response(
        session,
        version=survey.current_version,
        answers={"obstacle": "The rent is far too high"},
        language="en",
    )
    session.commit()
    assert analysis.place_new_feedback(session, run) == 1
    item = session.scalar(
        sa.select(FeedbackItem).where(FeedbackItem.response_id == new.response.id)
    )
    placed = session.get(ThemeAssignment, (run.id, item.id))
    rent_item = session.scalar(
        sa.select(FeedbackItem).where(FeedbackItem.text == TOPICS["rent"][0])
    )
    assert placed.placed_later
    assert placed.theme_id == session.get(ThemeAssignment, (run.id, rent_item.id)).theme_id
    assert session.scalar(sa.select(sa.func.count()).select_from(AnalysisRun)) == 1


def _new_answer(session, survey, text="The rent is far too high"):
    new = submit_response(
        session, version=survey.current_version, answers={"obstacle": text}, language="en"
    )
    session.commit()
    return session.scalar(
        sa.select(FeedbackItem).where(FeedbackItem.response_id == new.response.id)
    )


def test_a_run_keeps_its_finder_as_versioned_data(session):
    run = _run(session, _feedback_survey(session))
    assert analysis.model_status(run) == "ok"
    assert not run.model.startswith(b"\x80")  # not a pickle: an .npz archive
    assert check_model(run.model)["format_version"] == MODEL_FORMAT_VERSION


@pytest.mark.parametrize(
    "stored",
    [
        pickle.dumps({"finder": "pickled before the archive format"}),
        b"neither a pickle nor an archive",
    ],
)
def test_a_run_saved_in_an_older_format_leaves_new_feedback_unassigned(session, caplog, stored):
    survey = _feedback_survey(session)
    run = _run(session, survey)
    run.model = stored
    session.commit()
    assert analysis.model_status(run) == "outdated"
    item = _new_answer(session, survey)
    with caplog.at_level(logging.WARNING, logger="engage.themes.services"):
        assert analysis.place_new_feedback(session, run) == 0
    assert session.get(ThemeAssignment, (run.id, item.id)) is None
    assert f"analysis run {run.id} was saved in an older format" in caplog.text
    # Analysing again places it.
    again = _run(session, survey)
    assert analysis.model_status(again) == "ok"
    assert session.get(ThemeAssignment, (again.id, item.id)).theme_id is not None


def test_a_run_without_a_finder_is_missing(session):
    survey = _feedback_survey(session)
    queued = analysis.create_run(session, campaign=survey.campaign, created_by=None)
    assert analysis.model_status(queued) == "missing"
    assert analysis.place_new_feedback(session, queued) == 0
    failed = _run(session, make_survey(session))
    assert analysis.model_status(failed) == "missing"


def test_a_run_whose_sentence_encoder_is_not_here_is_unavailable(session, caplog):
    survey = bilingual_survey(session)
    run = analysis.create_run(
        session,
        campaign=survey.campaign,
        created_by=None,
        engine=EngineSettings("semantic"),
    )
    session.commit()
    analysis.run_analysis(session, run.id, encoder=KeywordEncoder())
    session.refresh(run)
    # The caller's encoder is not stored: without it the finder cannot place anything.
    assert analysis.model_status(run) == "unavailable"
    item = _new_answer(session, survey, "The bus never comes")
    with caplog.at_level(logging.WARNING, logger="engage.themes.services"):
        assert analysis.place_new_feedback(session, run) == 0
    assert session.get(ThemeAssignment, (run.id, item.id)) is None
    assert "needs a sentence encoder that is not available here" in caplog.text
    assert analysis.model_status(run, encoder=KeywordEncoder()) == "ok"
    assert analysis.place_new_feedback(session, run, encoder=KeywordEncoder()) == 1


def test_a_run_without_feedback_fails_with_a_reason(session):
    survey = make_survey(session)
    run = _run(session, survey)
    assert (run.status, run.error) == ("failed", "no_feedback")


def test_staff_start_a_run_and_members_read_the_themes_and_start_runs_too(session, pages):
    survey = _feedback_survey(session)
    make_user(session, email="s@example.org", role="staff")
    pages.login("s@example.org", PASSWORD)
    page = f"/staff/campaigns/{survey.campaign_id}/themes"
    assert "No analysis has been run yet." in pages.get(page).get_data(as_text=True)
    response = pages.submit(f"{page}/run", {}, form_page=page)
    assert response.status_code == 302
    html = pages.get(page).get_data(as_text=True)
    assert "47 answers analysed" in html
    assert "The bus is" in html or "Buses never" in html
    assert "rosa@example.org" not in html

    pages.submit("/auth/logout", {}, form_page="/staff/")
    make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    assert pages.get(page).status_code == 200
    # Members of the campaign's workgroups run analyses too (issue 12).
    assert 'action="' + page + '/run"' in pages.get(page).get_data(as_text=True)
    assert pages.submit(f"{page}/run", {}, form_page=page).status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(AnalysisRun)) == 2


def test_interviewers_cannot_read_themes(session, pages):
    survey = make_survey(session)
    make_user(session, email="i@example.org", role="interviewer")
    pages.login("i@example.org", PASSWORD)
    assert pages.get(f"/staff/campaigns/{survey.campaign_id}/themes").status_code == 403


def test_themes_page_of_an_unknown_campaign_is_404(session, pages):
    make_user(session, email="s@example.org", role="staff")
    pages.login("s@example.org", PASSWORD)
    assert pages.get("/staff/campaigns/9999/themes").status_code == 404


def test_the_themes_page_says_when_a_run_must_be_analysed_again(session, pages):
    survey = _feedback_survey(session)
    run = _run(session, survey)
    make_member(session, survey.campaign, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    page = f"/staff/campaigns/{survey.campaign_id}/themes"
    notice = "This run was saved in an older format: analyse again to place new feedback."
    assert notice not in pages.get(page).get_data(as_text=True)
    run.model = pickle.dumps({"finder": "pickled before the archive format"})
    session.commit()
    assert notice in pages.get(page).get_data(as_text=True)


def test_an_answer_sent_through_the_api_is_placed_by_a_job_not_by_viewing(session, client):
    survey = _feedback_survey(session)
    run = _run(session, survey)
    response = client.post(
        f"/api/v1/surveys/{survey.slug}/responses",
        json={"answers": {"obstacle": "The rent is far too high"}},
    )
    assert response.status_code == 201
    item = session.scalar(
        sa.select(FeedbackItem).where(FeedbackItem.response_id == response.get_json()["id"])
    )
    placed = session.get(ThemeAssignment, (run.id, item.id))
    assert placed is not None and placed.placed_later and placed.theme_id is not None
