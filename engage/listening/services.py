"""Recording listening sessions and their notes.

Each note is stored as a feedback item of the session (channel ``session``), in the
language it was written in, masked like every open answer, and placed in the campaign's
themes like new survey answers are.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from analysis import mask_pii
from engage.models import Campaign, FeedbackItem, ListeningSession
from engage.themes.services import request_placement

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
