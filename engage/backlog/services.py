"""The backlog: opportunities made from themes (or by hand), their statuses, and the
decision log every status change writes to.

Services flush, never commit (the request commits once). Refusals are
:class:`BacklogError` or :class:`~engage.models.IllegalTransition` with a code that
``engage.web.messages.backlog_error_message`` turns into a sentence.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.backlog import evidence
from engage.campaigns.services import can_see_campaign
from engage.models import (
    BoardTheme,
    Campaign,
    Decision,
    DecisionKind,
    Opportunity,
    OpportunityQuote,
    OpportunityStatus,
    OpportunityTheme,
    Sprint,
    User,
    Vote,
    VoteRound,
    Workgroup,
)
from engage.models.campaign import campaign_workgroups, workgroup_members
from engage.orm import utcnow
from engage.permissions import Permission, user_can

SORTS = ("score", "votes", "reach", "effort", "newest")
ACTIVE = (OpportunityStatus.PROPOSED, OpportunityStatus.NEXT, OpportunityStatus.IN_SPRINT)


class BacklogError(Exception):
    """A change refused; ``code`` says why (see ``engage.web.messages``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def today() -> date:
    return utcnow().date()


# -- people ------------------------------------------------------------------------------


def list_people(session: Session, campaign: Campaign) -> list[User]:
    """Who can own work on the campaign: members of its workgroups, by name."""
    members = (
        sa.select(workgroup_members.c.user_id)
        .join(
            campaign_workgroups,
            campaign_workgroups.c.workgroup_id == workgroup_members.c.workgroup_id,
        )
        .where(campaign_workgroups.c.campaign_id == campaign.id)
    )
    return list(
        session.scalars(
            sa.select(User)
            .where(User.id.in_(members), User.is_active_account)
            .order_by(User.name, User.id)
        )
    )


def is_campaign_member(session: Session, user: Any, campaign: Campaign) -> bool:
    """Whether ``user`` belongs to one of the campaign's workgroups: they edit its backlog
    (staff who do not only read it)."""
    user_id = getattr(user, "id", None)
    if user_id is None:
        return False
    found = (
        sa.select(workgroup_members.c.user_id)
        .join(
            campaign_workgroups,
            campaign_workgroups.c.workgroup_id == workgroup_members.c.workgroup_id,
        )
        .where(
            campaign_workgroups.c.campaign_id == campaign.id,
            workgroup_members.c.user_id == user_id,
        )
    )
    return session.scalar(sa.select(found.exists())) is True


def get_person(session: Session, campaign: Campaign, user_id: int | None) -> User | None:
    """``user_id``'s user if they may work on the campaign; None for no one."""
    if not user_id:
        return None
    user = session.get(User, user_id) if 0 < user_id < 2**31 else None
    if user is None or not user_can(user, Permission.REVIEW_FEEDBACK):
        raise BacklogError("unknown_owner")
    if not can_see_campaign(session, user, campaign.id):
        raise BacklogError("unknown_owner")
    return user


# -- the decision log --------------------------------------------------------------------


def record_decision(
    session: Session,
    campaign: Campaign,
    kind: DecisionKind,
    *,
    subject: str,
    by: Any,
    reason: str = "",
    opportunity: Opportunity | None = None,
    sprint: Sprint | None = None,
    from_status: str | None = None,
    to_status: str | None = None,
    revisit_on: date | None = None,
) -> Decision:
    decision = Decision(
        campaign_id=campaign.id,
        kind=kind,
        subject=subject[:200],
        opportunity_id=opportunity.id if opportunity is not None else None,
        sprint_id=sprint.id if sprint is not None else None,
        from_status=str(from_status) if from_status else None,
        to_status=str(to_status) if to_status else None,
        reason=reason.strip(),
        revisit_on=revisit_on,
        decided_by_id=getattr(by, "id", None),
        decided_by_name=(getattr(by, "name", "") or "")[:120],
        decided_at=utcnow(),
    )
    session.add(decision)
    session.flush()
    return decision


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_decisions(
    session: Session,
    campaign: Campaign,
    *,
    query: str = "",
    kind: str = "",
    opportunity: Opportunity | None = None,
    sprint: Sprint | None = None,
    limit: int | None = 500,
) -> list[Decision]:
    """The campaign's decisions, newest first; ``query`` searches subject, reason and name."""
    select = select_decisions(
        campaign, query=query, kind=kind, opportunity=opportunity, sprint=sprint
    )
    if limit is not None:
        select = select.limit(limit)
    return list(session.scalars(select))


def select_decisions(
    campaign: Campaign,
    *,
    query: str = "",
    kind: str = "",
    opportunity: Opportunity | None = None,
    sprint: Sprint | None = None,
) -> sa.Select[tuple[Decision]]:
    """The query behind :func:`list_decisions` (for a paged list)."""
    select = sa.select(Decision).where(Decision.campaign_id == campaign.id)
    words = query.strip()[:200]
    if words:
        pattern = _like(words.lower())
        select = select.where(
            sa.or_(
                sa.func.lower(Decision.subject).like(pattern, escape="\\"),
                sa.func.lower(Decision.reason).like(pattern, escape="\\"),
                sa.func.lower(Decision.decided_by_name).like(pattern, escape="\\"),
            )
        )
    if kind in set(DecisionKind):
        select = select.where(Decision.kind == kind)
    if opportunity is not None:
        select = select.where(Decision.opportunity_id == opportunity.id)
    if sprint is not None:
        select = select.where(Decision.sprint_id == sprint.id)
    return select.order_by(Decision.decided_at.desc(), Decision.id.desc())


# -- opportunities ------------------------------------------------------------------------


@dataclass(frozen=True)
class OpportunityFields:
    title: str
    job_statement: str = ""
    outcome: str | None = None
    effort: int | None = None
    owner_id: int | None = None
    theme_ids: Sequence[int] = ()
    quote_ids: Sequence[int] = ()


def _apply(
    session: Session, campaign: Campaign, found: Opportunity, fields: OpportunityFields
) -> None:
    title = fields.title.strip()
    if not title:
        raise BacklogError("title_required")
    if fields.effort is not None and fields.effort not in (1, 2, 3, 4, 5):
        raise BacklogError("effort_invalid")
    outcome = (fields.outcome or "").strip() or None
    if outcome is not None and outcome not in evidence.list_outcomes(session, campaign):
        raise BacklogError("unknown_outcome")
    owner = get_person(session, campaign, fields.owner_id)
    themes = evidence.themes_of_campaign(session, campaign, fields.theme_ids)
    if len(themes) != len(set(fields.theme_ids)):
        raise BacklogError("unknown_theme")
    quotes = evidence.quotes_of_campaign(session, campaign, list(dict.fromkeys(fields.quote_ids)))
    if len(quotes) != len(set(fields.quote_ids)):
        raise BacklogError("unknown_quote")
    found.title, found.job_statement = title, fields.job_statement.strip()
    found.outcome, found.effort, found.owner_id = (
        outcome,
        fields.effort,
        owner.id if owner else None,
    )
    found.themes = _evidence_rows(session, found, themes)
    chosen = {q.item_id for q in quotes}
    existing = {q.feedback_item_id for q in found.quotes}
    found.quotes = [q for q in found.quotes if q.feedback_item_id in chosen] + [
        OpportunityQuote(feedback_item_id=i) for i in sorted(chosen - existing)
    ]


def _evidence_rows(
    session: Session, found: Opportunity, themes: Sequence[BoardTheme]
) -> list[OpportunityTheme]:
    """``found``'s evidence themes once ``themes`` are chosen: a theme chosen before keeps
    its row (a merged one is the theme it joined), its name and language saved again for
    the day the board theme might be gone; a theme no longer on the board stays."""
    wanted: dict[int, BoardTheme] = {}
    for theme in themes:
        final = evidence.final_theme(session, theme)
        wanted.setdefault(final.id, final)
    rows: list[OpportunityTheme] = []
    have: set[int] = set()
    for row in found.themes:
        if row.board_theme is None:
            rows.append(row)
            continue
        final = evidence.final_theme(session, row.board_theme)
        if final.id in wanted and final.id not in have:
            row.label, row.language = final.display_name[:300], final.language
            rows.append(row)
            have.add(final.id)
    rows += [
        OpportunityTheme(board_theme=t, label=t.display_name[:300], language=t.language)
        for i, t in wanted.items()
        if i not in have
    ]
    return rows


def create_opportunity(
    session: Session, campaign: Campaign, fields: OpportunityFields, *, by: Any
) -> Opportunity:
    """A new proposed opportunity; logged, with a note when no resident evidence backs it."""
    found = Opportunity(campaign_id=campaign.id, created_by_id=getattr(by, "id", None))
    _apply(session, campaign, found, fields)
    session.add(found)
    session.flush()
    reason = "" if found.has_evidence else "no resident evidence yet"
    record_decision(
        session,
        campaign,
        DecisionKind.CREATED,
        subject=found.title,
        by=by,
        opportunity=found,
        to_status=found.status,
        reason=reason,
    )
    return found


def update_opportunity(
    session: Session, found: Opportunity, fields: OpportunityFields, *, by: Any
) -> Opportunity:
    _apply(session, found.campaign, found, fields)
    session.flush()
    return found


def get_opportunity(
    session: Session, campaign: Campaign, opportunity_id: int
) -> Opportunity | None:
    found = session.get(Opportunity, opportunity_id)
    return found if found is not None and found.campaign_id == campaign.id else None


def change_status(
    session: Session,
    found: Opportunity,
    status: str,
    *,
    by: Any,
    reason: str = "",
    revisit_on: date | None = None,
    on: date | None = None,
    sprint: Sprint | None = None,
) -> Decision:
    """Move ``found`` to ``status`` (model rules) and log the decision with its reason."""
    if status not in set(OpportunityStatus):
        raise BacklogError("unknown_status")
    previous = found.move_to(status, reason=reason, revisit_on=revisit_on, today=on or today())
    session.flush()
    kind = DecisionKind.NOT_NOW if status == OpportunityStatus.NOT_NOW else DecisionKind.STATUS
    return record_decision(
        session,
        found.campaign,
        kind,
        subject=found.title,
        by=by,
        reason=reason,
        opportunity=found,
        sprint=sprint,
        from_status=previous,
        to_status=found.status,
        revisit_on=found.revisit_on,
    )


# -- the backlog, sorted -------------------------------------------------------------------


@dataclass(frozen=True)
class BacklogRow:
    opportunity: Opportunity
    score: evidence.Score | None
    reach: evidence.Reach
    votes: int | None

    @property
    def impact_high(self) -> bool:
        return self.score is not None and self.score.score is not None and self.score.score >= 10

    @property
    def effort_high(self) -> bool:
        return (self.opportunity.effort or 0) >= 3


def latest_closed_round(session: Session, campaign: Campaign) -> VoteRound | None:
    return session.scalar(
        sa.select(VoteRound)
        .where(VoteRound.campaign_id == campaign.id, VoteRound.closed_at.is_not(None))
        .order_by(VoteRound.closed_at.desc(), VoteRound.id.desc())
        .limit(1)
    )


def vote_totals(session: Session, round_: VoteRound | None) -> dict[int, int]:
    """Dots per opportunity in a closed round (nothing for an open one: votes are secret)."""
    if round_ is None or round_.is_open:
        return {}
    rows = session.execute(
        sa.select(Vote.opportunity_id, sa.func.sum(Vote.dots))
        .where(Vote.round_id == round_.id)
        .group_by(Vote.opportunity_id)
    )
    return {opportunity_id: int(total) for opportunity_id, total in rows}


def list_opportunities(
    session: Session, campaign: Campaign, statuses: Iterable[OpportunityStatus] | None = None
) -> list[Opportunity]:
    select = sa.select(Opportunity).where(Opportunity.campaign_id == campaign.id)
    if statuses is not None:
        select = select.where(Opportunity.status.in_(list(statuses)))
    return list(
        session.scalars(select.order_by(Opportunity.created_at.desc(), Opportunity.id.desc()))
    )


def _sort_key(sort: str):  # type: ignore[no-untyped-def]
    def key(row: BacklogRow) -> tuple[Any, ...]:
        score = row.score.score if row.score is not None and row.score.score is not None else -1.0
        effort = row.opportunity.effort or 99
        if sort == "votes":
            return (-(row.votes or 0), -score)
        if sort == "reach":
            return (-row.reach.sort_value, -score)
        if sort == "effort":
            return (effort, -score)
        if sort == "newest":
            return (-row.opportunity.id,)
        return (-score, -(row.votes or 0), -row.reach.sort_value)

    return key


def backlog_rows(
    session: Session,
    campaign: Campaign,
    *,
    threshold: int,
    sort: str = "score",
    statuses: Iterable[OpportunityStatus] | None = ACTIVE,
) -> list[BacklogRow]:
    """The opportunities with their score, reach and votes, sorted by ``sort``."""
    scores = evidence.outcome_scores(session, campaign, threshold)
    votes = vote_totals(session, latest_closed_round(session, campaign))
    rows = [
        BacklogRow(
            opportunity=o,
            score=scores.get(o.outcome) if o.outcome else None,
            reach=evidence.reach_of(session, o, threshold),
            votes=votes.get(o.id) if votes else None,
        )
        for o in list_opportunities(session, campaign, statuses)
    ]
    return sorted(rows, key=_sort_key(sort if sort in SORTS else "score"))


def impact_effort(rows: Sequence[BacklogRow]) -> dict[str, list[BacklogRow]]:
    """Rows in the four cells of an impact/effort grid, and those not placed yet."""
    cells: dict[str, list[BacklogRow]] = {
        "quick_wins": [],
        "big_bets": [],
        "fill_ins": [],
        "money_pits": [],
        "unplaced": [],
    }
    for row in rows:
        if row.score is None or row.score.score is None or row.opportunity.effort is None:
            cells["unplaced"].append(row)
        elif row.impact_high:
            cells["big_bets" if row.effort_high else "quick_wins"].append(row)
        else:
            cells["money_pits" if row.effort_high else "fill_ins"].append(row)
    return cells


def workgroups_of(session: Session, campaign: Campaign) -> list[Workgroup]:
    return list(campaign.workgroups)
