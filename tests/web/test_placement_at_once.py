"""Two placements of one campaign's new feedback at the same moment (two workers, or two
requests placing inline without Redis) place each answer once, and neither fails."""

from __future__ import annotations

import threading

import sqlalchemy as sa

from engage.extensions import db
from engage.models import FeedbackItem, ThemeAssignment
from engage.responses.services import submit_response
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings
from tests.support.databases import make_migrated_app
from tests.support.feedback import bilingual_survey


def test_two_placements_at_once_place_each_answer_once(backend, database_factory):
    app = make_migrated_app(database_factory.create(backend))
    with app.app_context():
        session = db.session
        survey = bilingual_survey(session, rounds=2)
        campaign_id = survey.campaign_id
        run = analysis.create_run(
            session, campaign=survey.campaign, created_by=None, engine=EngineSettings("tfidf")
        )
        session.commit()
        analysis.run_analysis(session, run.id)
        for n in range(12):
            submit_response(
                session,
                version=survey.current_version,
                answers={"obstacle": f"The rent went up again this year {n}"},
                language="en",
            )
        session.commit()
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()  # the threads open their own connections
    failures: list[BaseException] = []
    start = threading.Barrier(2)

    def place() -> None:
        with app.app_context():
            try:
                start.wait()
                analysis.place_new_feedback_of_campaign(db.session, campaign_id)
                db.session.commit()
            except BaseException as error:  # reported below
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=place) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    with app.app_context():
        placed = db.session.scalars(
            sa.select(ThemeAssignment.feedback_item_id)
            .join(FeedbackItem, FeedbackItem.id == ThemeAssignment.feedback_item_id)
            .where(FeedbackItem.text.like("The rent went up again this year%"))
        ).all()
        assert len(placed) == len(set(placed)) == 12
        db.session.remove()
        for engine in db.engines.values():
            engine.dispose()
