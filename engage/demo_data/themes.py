"""The demo campaign's theme board, as a workgroup would have left it after a meeting.

One finished analysis run over all the demo feedback (word statistics, TF-IDF: quick and,
with its seed, the same themes every time), then the workgroup's edits through the board
services (so each is in the board's history and the audit log): the two English themes
about buses merged into one and renamed in the workgroup's words, with a job statement;
the English childcare theme and the Spanish theme about information in Spanish renamed;
the themes the workgroup worked on marked reviewed. Which theme is which is found by what
residents wrote in it, not by the run's labels or ids, so the board still reads right if
the clustering moves.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session
from threadpoolctl import threadpool_limits  # installed with scikit-learn, which uses it

from engage.models import BoardPlacement, BoardTheme, Campaign, FeedbackItem, User
from engage.themes import board
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings

# The seed "Analyse again" uses too: a re-run finds the same themes, and the board stays.
DEMO_RUN_SEED = 0
BUS = {"en": ("bus",), "ar": ("الحافل",)}
CHILDCARE = {"en": ("childcare", "daycare", "nursery"), "ar": ("حضان",)}
IN_SPANISH = ("español",)
BUS_NAME = "Buses we can count on"
BUS_JOB = (
    "When I have a shift or an appointment, I want to know when the bus really comes, "
    "so I can get there on time."
)
CHILDCARE_NAME = "Childcare we can afford, near home"
IN_SPANISH_NAME = "Información y atención en español"


@dataclass(frozen=True)
class DemoBoard:
    """The board themes the rest of the demo (backlog, report-back page) refers to."""

    bus: BoardTheme
    arabic_bus: BoardTheme | None
    childcare: BoardTheme
    arabic_childcare: BoardTheme | None
    in_spanish: BoardTheme | None

    def bus_themes(self) -> list[BoardTheme]:
        return [t for t in (self.bus, self.arabic_bus) if t is not None]

    def childcare_themes(self) -> list[BoardTheme]:
        return [t for t in (self.childcare, self.arabic_childcare) if t is not None]


def _placed(session: Session, campaign: Campaign) -> list[tuple[int, str, str]]:
    """(board theme, language, lower-case text) of every placed answer of the campaign."""
    rows = session.execute(
        sa.select(BoardPlacement.board_theme_id, FeedbackItem.language, FeedbackItem.text)
        .join(FeedbackItem, FeedbackItem.id == BoardPlacement.feedback_item_id)
        .where(FeedbackItem.campaign_id == campaign.id, FeedbackItem.counted())
        .order_by(FeedbackItem.id)
    )
    return [(theme_id, language, text.lower()) for theme_id, language, text in rows]


def _ranked(
    placed: Iterable[tuple[int, str, str]], language: str, words: tuple[str, ...]
) -> list[int]:
    """Board themes of ``language`` that mention ``words``, most about them first: by how
    many answers mention them times the share of the theme's answers that do."""
    sizes: Counter[int] = Counter()
    hits: Counter[int] = Counter()
    for theme_id, lang, text in placed:
        if lang == language:
            sizes[theme_id] += 1
            hits[theme_id] += any(word in text for word in words)
    score = {theme_id: n * n / sizes[theme_id] for theme_id, n in hits.items() if n}
    return sorted(score, key=lambda theme_id: (-score[theme_id], theme_id))


def _first(ranked: list[int], taken: list[int]) -> int | None:
    return next((i for i in ranked if i not in taken), None)


def load_demo_board(
    session: Session, campaign: Campaign, *, member: User, staff: User
) -> DemoBoard:
    """Analyse the demo campaign's feedback and shape its board (see the module)."""
    run = analysis.create_run(
        session,
        campaign=campaign,
        created_by=staff,
        seed=DEMO_RUN_SEED,
        engine=EngineSettings("tfidf"),
    )
    # One thread: for a few hundred answers, several only wait on each other (on a busy
    # two-core machine the run took five times as long), and one gives the same result
    # on every machine. scikit-learn is loaded first, so that the limit reaches it.
    importlib.import_module("analysis.themes")
    with threadpool_limits(limits=1):
        analysis.analyse_now(session, run)
    placed = _placed(session, campaign)

    def get(theme_id: int | None) -> BoardTheme | None:
        return session.get(BoardTheme, theme_id) if theme_id is not None else None

    english_bus = _ranked(placed, "en", BUS["en"])[:2]
    bus = get(english_bus[0])
    for other in english_bus[1:]:  # the two English bus themes say the same thing
        board.merge(session, get(other), bus, by=member)
    board.rename(session, bus, BUS_NAME, by=member)
    board.write_job_statement(session, bus, BUS_JOB, by=member)
    childcare = get(_first(_ranked(placed, "en", CHILDCARE["en"]), english_bus))
    board.rename(session, childcare, CHILDCARE_NAME, by=member)
    in_spanish = get(_first(_ranked(placed, "es", IN_SPANISH), []))
    if in_spanish is not None:
        board.rename(session, in_spanish, IN_SPANISH_NAME, by=member)
    arabic = _ranked(placed, "ar", BUS["ar"])[:1]
    arabic_bus = get(_first(arabic, []))
    arabic_childcare = get(_first(_ranked(placed, "ar", CHILDCARE["ar"]), arabic))
    shaped = DemoBoard(bus, arabic_bus, childcare, arabic_childcare, in_spanish)
    worked_on = [*shaped.bus_themes(), *shaped.childcare_themes(), in_spanish]
    for theme in {t.id: t for t in worked_on if t is not None}.values():
        board.set_reviewed(session, theme, True, by=member)
    return shaped
