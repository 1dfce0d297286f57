"""Dot-voting rounds: each person spreads a fixed number of dots over the open items of
the backlog; nobody sees the counts until the round closes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.backlog.services import (
    ACTIVE,
    BacklogError,
    list_opportunities,
    record_decision,
    vote_totals,
)
from engage.models import Campaign, DecisionKind, Opportunity, Vote, VoteRound

MAX_DOTS = 20


def open_round(
    session: Session, campaign: Campaign, *, title: str, dots: int, by: Any
) -> VoteRound:
    """A new round; only one round of a campaign is open at a time."""
    if not title.strip():
        raise BacklogError("title_required")
    if not 1 <= dots <= MAX_DOTS:
        raise BacklogError("dots_invalid")
    if get_open_round(session, campaign) is not None:
        raise BacklogError("round_already_open")
    found = VoteRound(
        campaign_id=campaign.id,
        title=title.strip(),
        dots=dots,
        opened_by_id=getattr(by, "id", None),
    )
    session.add(found)
    session.flush()
    return found


def get_open_round(session: Session, campaign: Campaign) -> VoteRound | None:
    return session.scalar(
        sa.select(VoteRound).where(
            VoteRound.campaign_id == campaign.id, VoteRound.closed_at.is_(None)
        )
    )


def list_rounds(session: Session, campaign: Campaign) -> list[VoteRound]:
    return list(
        session.scalars(
            sa.select(VoteRound)
            .where(VoteRound.campaign_id == campaign.id)
            .order_by(VoteRound.created_at.desc(), VoteRound.id.desc())
        )
    )


def get_round(session: Session, campaign: Campaign, round_id: int) -> VoteRound | None:
    found = session.get(VoteRound, round_id)
    return found if found is not None and found.campaign_id == campaign.id else None


def votable(session: Session, campaign: Campaign) -> list[Opportunity]:
    return list_opportunities(session, campaign, ACTIVE)


def my_votes(session: Session, round_: VoteRound, user: Any) -> dict[int, int]:
    rows = session.execute(
        sa.select(Vote.opportunity_id, Vote.dots).where(
            Vote.round_id == round_.id, Vote.user_id == getattr(user, "id", None)
        )
    )
    return {opportunity_id: dots for opportunity_id, dots in rows}


def count_voters(session: Session, round_: VoteRound) -> int:
    return int(
        session.scalar(
            sa.select(sa.func.count(sa.distinct(Vote.user_id))).where(Vote.round_id == round_.id)
        )
        or 0
    )


def cast_votes(session: Session, round_: VoteRound, user: Any, dots: Mapping[int, int]) -> int:
    """Replace ``user``'s dots in the round; returns how many they placed."""
    if not round_.is_open:
        raise BacklogError("round_closed")
    campaign = session.get(Campaign, round_.campaign_id)
    allowed = {o.id for o in votable(session, campaign)}
    placed = {k: v for k, v in dots.items() if v}
    if any(v < 0 for v in dots.values()):
        raise BacklogError("dots_invalid")
    if any(k not in allowed for k in placed):
        raise BacklogError("unknown_opportunity")
    if sum(placed.values()) > round_.dots:
        raise BacklogError("too_many_dots")
    session.execute(sa.delete(Vote).where(Vote.round_id == round_.id, Vote.user_id == user.id))
    session.add_all(
        Vote(round_id=round_.id, opportunity_id=k, user_id=user.id, dots=v)
        for k, v in sorted(placed.items())
    )
    session.flush()
    return sum(placed.values())


def close_round(session: Session, round_: VoteRound, *, by: Any) -> dict[int, int]:
    """Close the round, reveal its totals and log the result."""
    round_.close()
    session.flush()
    totals = vote_totals(session, round_)
    campaign = session.get(Campaign, round_.campaign_id)
    titles = {o.id: o.title for o in list_opportunities(session, campaign)}
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    summary = "; ".join(f"{titles.get(k, k)}: {v}" for k, v in ranked[:5])
    record_decision(
        session,
        campaign,
        DecisionKind.VOTE,
        subject=round_.title,
        by=by,
        reason=summary,
    )
    return totals
