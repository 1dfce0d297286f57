"""Recording listening sessions and their notes.

Each note is stored as a feedback item of the session (channel ``session``), in the
language it was written in, masked like every open answer, and placed in the campaign's
themes like new survey answers are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from analysis import mask_pii
from analysis.stats import suppress
from engage.builder.labels import DIMENSION_LABELS
from engage.dashboard.labels import dimension_label
from engage.models import Campaign, FeedbackItem, ListeningSession
from engage.responses.services import definition_of
from engage.themes.services import request_placement
from surveys.results import dimension_questions
from surveys.schema import Question

MAX_NOTE = 5000
_PARAGRAPHS = re.compile(r"\n\s*\n")


def split_notes(text: str) -> list[str]:
    """Notes typed one per paragraph (a blank line between two notes)."""
    return [note.strip()[:MAX_NOTE] for note in _PARAGRAPHS.split(text) if note.strip()]


def save_session(
    session: Session, listening: ListeningSession | None, campaign: Campaign, **fields: Any
) -> ListeningSession:
    """Create (``listening`` None) or update a session from the form's fields."""
    if listening is None:
        listening = ListeningSession(campaign_id=campaign.id)
        session.add(listening)
    for name, value in fields.items():
        setattr(listening, name, value)
    session.flush()
    return listening


def add_notes(session: Session, listening: ListeningSession, text: str, language: str) -> int:
    """Store each note as feedback for the analysis; returns how many were added."""
    notes = split_notes(text)
    for note in notes:
        session.add(
            FeedbackItem(
                campaign_id=listening.campaign_id,
                listening_session_id=listening.id,
                analysis_role="open_feedback",
                channel="session",
                language=language,
                text=note,
                redacted_text=mask_pii(note),
                demographics={},
            )
        )
    session.flush()
    if notes:
        request_placement(session, listening.campaign_id)
    return len(notes)


def notes_of(session: Session, listening: ListeningSession) -> list[FeedbackItem]:
    return list(
        session.scalars(
            sa.select(FeedbackItem)
            .where(FeedbackItem.listening_session_id == listening.id)
            .order_by(FeedbackItem.id)
        )
    )


def remove_note(session: Session, listening: ListeningSession, item_id: int) -> bool:
    item = session.get(FeedbackItem, item_id)
    if item is None or item.listening_session_id != listening.id:
        return False
    session.delete(item)
    session.flush()
    return True


def sessions_of(session: Session, campaign: Campaign) -> list[tuple[ListeningSession, int]]:
    """The campaign's sessions, latest first, each with its number of notes."""
    notes = (
        sa.select(FeedbackItem.listening_session_id, sa.func.count(FeedbackItem.id).label("n"))
        .group_by(FeedbackItem.listening_session_id)
        .subquery()
    )
    rows = session.execute(
        sa.select(ListeningSession, sa.func.coalesce(notes.c.n, 0))
        .outerjoin(notes, notes.c.listening_session_id == ListeningSession.id)
        .where(ListeningSession.campaign_id == campaign.id)
        .order_by(ListeningSession.held_on.desc(), ListeningSession.id.desc())
    )
    return [(listening, int(count)) for listening, count in rows]


def summary(session: Session, campaign: Campaign) -> tuple[int, int, int]:
    """(sessions, people who attended, notes) of a campaign."""
    count, attended = session.execute(
        sa.select(
            sa.func.count(ListeningSession.id),
            sa.func.coalesce(sa.func.sum(ListeningSession.attendance), 0),
        ).where(ListeningSession.campaign_id == campaign.id)
    ).one()
    notes = session.scalar(
        sa.select(sa.func.count(FeedbackItem.id)).where(
            FeedbackItem.campaign_id == campaign.id, FeedbackItem.listening_session_id.is_not(None)
        )
    )
    return int(count), int(attended), int(notes or 0)


def held_on_default() -> date:
    return date.today()


@dataclass(frozen=True)
class HeadCount:
    """Who took part in a session, by one dimension: ``(group, count)`` rows, a count
    ``None`` where hidden; ``question`` names the groups as the campaign's survey does."""

    dimension: str
    question: Question | None
    rows: list[tuple[str, int | None]]
    hidden: int


def head_counts(
    listening: ListeningSession, threshold: int, questions: dict[str, Question] | None = None
) -> list[HeadCount]:
    """The session's head counts by group, groups smaller than ``threshold`` hidden and,
    where one alone would be, another with it (so it cannot be worked out from the
    total); zeros are shown, being nobody."""
    found = []
    for dimension, groups in (listening.demographics or {}).items():
        if not isinstance(groups, dict) or not groups:
            continue
        keys = [str(k) for k in groups]
        counts = [max(0, round(float(groups[k] or 0))) for k in groups]
        hidden = suppress(counts, threshold)
        rows = [
            (key, None if hide else count)
            for key, count, hide in zip(keys, counts, hidden, strict=True)
        ]
        found.append(
            HeadCount(
                str(dimension), (questions or {}).get(dimension), rows, int(sum(map(bool, hidden)))
            )
        )
    return found


def dimension_questions_of(campaign: Campaign) -> dict[str, Question]:
    """The question asking each demographic dimension in the campaign's published
    surveys (the first survey that asks it), to name groups as residents read them."""
    found: dict[str, Question] = {}
    for survey in campaign.surveys:
        if survey.current_version is None:
            continue
        for dimension, question in dimension_questions(
            definition_of(survey.current_version)
        ).items():
            found.setdefault(dimension, question)
    return found


def head_count_label(dimension: str, question: Question | None, lang: str) -> str:
    """A dimension's short name ("Race or ethnicity", not the question asking it)."""
    if dimension not in ("language", "area") and dimension in DIMENSION_LABELS:
        return str(DIMENSION_LABELS[dimension])
    return dimension_label(dimension, question, lang)
