"""Migration 0025: backlog evidence moves from run themes to the board themes that hold
them, and back on a downgrade, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from engage.extensions import db
from engage.models import (
    AnalysisRun,
    BoardPlacement,
    BoardTheme,
    FeedbackItem,
    Opportunity,
    OpportunityTheme,
    Theme,
    ThemeAssignment,
)
from tests.factories import make_campaign
from tests.support.databases import make_app


@pytest.fixture
def fresh_app(backend, database_factory):
    return make_app(database_factory.create(backend))


def _theme(run, key, label, parent=None):
    return Theme(run=run, key=key, parent_key=parent, language="en", label=label, size=0)


def _evidence(column: str) -> list[tuple[str, int | None]]:
    rows = db.session.execute(
        sa.text(f"SELECT label, {column} FROM opportunity_themes ORDER BY id")
    ).all()
    db.session.remove()
    return [tuple(row) for row in rows]


def test_evidence_follows_the_board_themes_that_hold_its_run_themes(fresh_app):
    with fresh_app.app_context():
        upgrade()
        session = db.session
        campaign = make_campaign(session)
        items = [
            FeedbackItem(
                campaign_id=campaign.id,
                channel="web",
                language="en",
                text=f"t{i}",
                redacted_text=f"t{i}",
            )
            for i in range(5)
        ]
        old, new = AnalysisRun(campaign=campaign), AnalysisRun(campaign=campaign)
        bus, bus_detail, unplaced = (
            _theme(old, 0, "bus"),
            _theme(old, 1, "late bus", parent=0),
            _theme(old, 2, "nothing"),
        )
        rent, buses_now = _theme(new, 0, "rent"), _theme(new, 1, "buses")
        session.add_all([*items, bus, bus_detail, unplaced, rent, buses_now])
        session.flush()
        buses = BoardTheme(campaign_id=campaign.id, language="en", label="buses", theme=buses_now)
        housing = BoardTheme(campaign_id=campaign.id, language="en", label="rent", theme=rent)
        session.add_all([buses, housing])
        session.flush()
        fares = BoardTheme(
            campaign_id=campaign.id, language="en", label="fares", merged_into_id=buses.id
        )
        session.add(fares)
        # The old run's bus theme and its sub-theme: one answer is now in "rent", two in
        # "buses" (where a member put them).
        session.add_all(
            [
                ThemeAssignment(run_id=old.id, feedback_item_id=items[0].id, theme_id=bus.id),
                ThemeAssignment(
                    run_id=old.id, feedback_item_id=items[1].id, theme_id=bus_detail.id
                ),
                ThemeAssignment(
                    run_id=old.id, feedback_item_id=items[2].id, theme_id=bus_detail.id
                ),
                BoardPlacement(feedback_item_id=items[0].id, board_theme_id=housing.id),
                BoardPlacement(feedback_item_id=items[1].id, board_theme_id=buses.id),
                BoardPlacement(feedback_item_id=items[2].id, board_theme_id=buses.id),
            ]
        )
        session.flush()
        session.add(
            Opportunity(
                campaign_id=campaign.id,
                title="Buses",
                themes=[
                    OpportunityTheme(board_theme_id=buses.id, label="Buses", language="en"),
                    OpportunityTheme(board_theme_id=fares.id, label="Fares", language="en"),
                    OpportunityTheme(board_theme_id=None, label="Gone", language="en"),
                ],
            )
        )
        session.commit()
        ids = {"bus": bus.id, "unplaced": unplaced.id, "buses_now": buses_now.id}
        boards = {"buses": buses.id}
        session.remove()

        # Down: each board theme gives back the run theme it shows (a merged one: the
        # theme it joined).
        downgrade(revision="0028")  # the revision before 0025
        assert _evidence("theme_id") == [
            ("Buses", ids["buses_now"]),
            ("Fares", ids["buses_now"]),
            ("Gone", None),
        ]
        # Up, from evidence on the old run: the board theme showing the run theme, else the
        # one holding most of its answers; none holds the third, which keeps its label.
        db.session.execute(
            sa.text("UPDATE opportunity_themes SET theme_id = :t WHERE label = :label"),
            [{"t": ids["bus"], "label": "Fares"}, {"t": ids["unplaced"], "label": "Gone"}],
        )
        db.session.commit()
        db.session.remove()
        upgrade()
        assert _evidence("board_theme_id") == [
            ("Buses", boards["buses"]),
            ("Fares", boards["buses"]),
            ("Gone", None),
        ]
