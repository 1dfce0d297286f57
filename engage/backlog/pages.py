"""What each backlog page shows, gathered in one call (no Flask here)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engage.backlog import evidence, services, sprints, voting
from engage.models import Campaign, Opportunity, OpportunityStatus, Sprint, VoteRound
from engage.rounds.services import rounds_of_sprint


def opportunity_page(
    session: Session, found: Opportunity, threshold: int, lang: str
) -> dict[str, Any]:
    campaign = found.campaign
    scores = evidence.outcome_scores(session, campaign, threshold) if found.outcome else {}
    labels = evidence.outcome_labels(session, campaign, lang) if found.outcome else {}
    return {
        "outcome_label": labels.get(found.outcome or "") or found.outcome,
        "campaign": campaign,
        "opportunity": found,
        "score": scores.get(found.outcome or ""),
        "reach": evidence.reach_of(session, found, threshold),
        "themes": evidence.evidence_themes(session, found),
        "quotes": evidence.quotes_of_campaign(
            session, campaign, [q.feedback_item_id for q in found.quotes]
        ),
        "decisions": services.list_decisions(session, campaign, opportunity=found, limit=50),
    }


def backlog_page(session: Session, campaign: Campaign, threshold: int, sort: str) -> dict[str, Any]:
    rows = services.backlog_rows(session, campaign, threshold=threshold, sort=sort)
    not_now = services.list_opportunities(session, campaign, [OpportunityStatus.NOT_NOW])
    done = services.list_opportunities(session, campaign, [OpportunityStatus.DONE])
    return {
        "campaign": campaign,
        "rows": rows,
        "sort": sort if sort in services.SORTS else "score",
        "not_now": sorted(not_now, key=lambda o: (o.revisit_on is None, o.revisit_on, o.id)),
        "done": done,
        "open_round": voting.get_open_round(session, campaign),
        "running": sprints.get_running_sprint(session, campaign),
    }


def round_page(session: Session, round_: VoteRound, user: Any) -> dict[str, Any]:
    campaign = session.get(Campaign, round_.campaign_id)
    totals = services.vote_totals(session, round_)
    items = voting.votable(session, campaign)
    if not round_.is_open:
        items = sorted(items, key=lambda o: (-totals.get(o.id, 0), o.id))
    return {
        "campaign": campaign,
        "round": round_,
        "items": items,
        "mine": voting.my_votes(session, round_, user),
        "totals": totals,
        "voters": voting.count_voters(session, round_),
    }


def sprint_page(session: Session, sprint: Sprint) -> dict[str, Any]:
    campaign = session.get(Campaign, sprint.campaign_id)
    committed = {item.opportunity_id for item in sprint.items}
    candidates = [
        o
        for o in services.list_opportunities(
            session, campaign, [OpportunityStatus.PROPOSED, OpportunityStatus.NEXT]
        )
        if o.id not in committed
    ]
    return {
        "campaign": campaign,
        "sprint": sprint,
        "board": sprints.board(sprint),
        "candidates": candidates,
        "people": services.list_people(session, campaign),
        "decisions": services.list_decisions(session, campaign, sprint=sprint, limit=50),
        "rounds": rounds_of_sprint(session, sprint.id),
    }


def meeting_page(session: Session, campaign: Campaign, threshold: int) -> dict[str, Any]:
    running = sprints.get_running_sprint(session, campaign)
    return {
        "campaign": campaign,
        "rows": services.backlog_rows(session, campaign, threshold=threshold)[:10],
        "not_now": services.list_opportunities(session, campaign, [OpportunityStatus.NOT_NOW]),
        "running": running,
        "board": sprints.board(running) if running else None,
        "decisions": services.list_decisions(session, campaign, limit=8),
    }
