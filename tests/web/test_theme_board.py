"""The theme board: workgroup edits on a campaign's themes, and how they survive a re-run."""

from __future__ import annotations

import html

import pytest
import sqlalchemy as sa

from engage.models import (
    AuditEvent,
    BoardComment,
    BoardEdit,
    BoardPlacement,
    BoardTheme,
    FeedbackItem,
    ThemeLink,
)
from engage.responses.services import submit_response
from engage.themes import board
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings
from tests.factories import PASSWORD, make_campaign, make_member, make_survey, make_user
from tests.support.feedback import ENGLISH, SPANISH, bilingual_survey


def _run(session, survey):
    run = analysis.create_run(
        session, campaign=survey.campaign, created_by=None, engine=EngineSettings("tfidf")
    )
    session.commit()
    analysis.run_analysis(session, run.id)
    session.refresh(run)
    assert run.status == "done", run.error
    return run


def _page(survey) -> str:
    return f"/staff/campaigns/{survey.campaign_id}/themes"


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _board_theme_of(session, survey, text: str) -> BoardTheme:
    return session.scalar(
        sa.select(BoardTheme)
        .join(BoardPlacement, BoardPlacement.board_theme_id == BoardTheme.id)
        .join(FeedbackItem, FeedbackItem.id == BoardPlacement.feedback_item_id)
        .where(FeedbackItem.text == text, FeedbackItem.campaign_id == survey.campaign_id)
    )


def _item(session, text: str) -> FeedbackItem:
    return session.scalar(sa.select(FeedbackItem).where(FeedbackItem.text == text))


def _respond(session, survey, texts, language):
    for text in texts:
        submit_response(
            session, version=survey.current_version, answers={"obstacle": text}, language=language
        )
    session.commit()


def test_a_run_puts_every_placed_item_on_the_board(session):
    survey = bilingual_survey(session)
    run = _run(session, survey)
    themes = session.scalars(sa.select(BoardTheme)).all()
    assert {t.theme_id for t in themes} == {t.id for t in run.themes if t.parent_key is None}
    placed = session.scalar(sa.select(sa.func.count()).select_from(BoardPlacement))
    assigned = sum(c for k, c in analysis.count_items_by_theme(session, run).items() if k)
    assert placed == assigned
    en_bus = _board_theme_of(session, survey, ENGLISH["bus"][0])
    assert en_bus.language == "en" and en_bus.display_name == en_bus.theme.label
