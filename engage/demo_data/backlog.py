"""The demo workgroup's backlog: a scored opportunity with residents' quotes, one set
aside as "not now" with its reason, a running sprint and a finished one with its review
and retrospective; every step in the decision log, as the pages would have written it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.backlog import services, sprints, voting
from engage.models import Campaign, FeedbackItem, Opportunity, User

if TYPE_CHECKING:
    from engage.demo_data.themes import DemoBoard

BUS_TITLE = "Buses residents can count on"
CHILDCARE_TITLE = "Childcare during evening classes"


def _quotes(session: Session, campaign: Campaign, words: tuple[str, ...], n: int = 3) -> list[int]:
    """Residents' answers that mention ``words``: the first one for each word."""
    found: list[int] = []
    for word in words:
        found += session.scalars(
            sa.select(FeedbackItem.id)
            .where(
                FeedbackItem.campaign_id == campaign.id,
                sa.func.lower(FeedbackItem.redacted_text).like(f"%{word}%"),
            )
            .order_by(FeedbackItem.id)
            .limit(1)
        )
    return list(dict.fromkeys(found))[:n]


def load_demo_backlog(session: Session, campaign: Campaign, *, member: User, staff: User) -> None:
    today = date.today()
    bus = services.create_opportunity(
        session,
        campaign,
        services.OpportunityFields(
            title=BUS_TITLE,
            job_statement="When I have a shift or an appointment, I want to know when the bus "
            "really comes, so I can arrive on time.",
            outcome="reliable_bus",
            effort=3,
            owner_id=member.id,
            quote_ids=_quotes(session, campaign, ("the bus", "el autobús", "الحافلة")),
        ),
        by=member,
    )
    childcare = services.create_opportunity(
        session,
        campaign,
        services.OpportunityFields(
            title=CHILDCARE_TITLE,
            job_statement="When I go to a class in the evening, I want my children looked after "
            "nearby, so I can learn without worrying.",
            outcome="childcare",
            effort=4,
            owner_id=staff.id,
            quote_ids=_quotes(session, campaign, ("childcare", "la guardería")),
        ),
        by=staff,
    )
    repairs = services.create_opportunity(
        session,
        campaign,
        services.OpportunityFields(
            title="A repairs hotline in every language", outcome="repairs", effort=2
        ),
        by=member,
    )
    lights = services.create_opportunity(
        session,
        campaign,
        services.OpportunityFields(title="Street lights on the way to the station", effort=1),
        by=staff,
    )
    round_ = voting.open_round(session, campaign, title="October priorities", dots=3, by=staff)
    voting.cast_votes(session, round_, member, {bus.id: 2, repairs.id: 1})
    voting.cast_votes(session, round_, staff, {bus.id: 1, childcare.id: 2})
    voting.close_round(session, round_, by=staff)
    services.change_status(
        session,
        childcare,
        "not_now",
        by=member,
        reason="The community college is already piloting evening childcare; we wait for "
        "its results rather than duplicate it.",
        revisit_on=today + timedelta(days=90),
    )
    finished = sprints.create_sprint(
        session,
        campaign,
        name="Sprint 1: bus times at the stops",
        goal="Test printed and SMS bus times at three stops with riders.",
        starts_on=today - timedelta(days=30),
        ends_on=today - timedelta(days=16),
        by=staff,
    )
    item = sprints.add_item(
        session, finished, opportunity_id=lights.id, owner_id=staff.id, by=staff
    )
    sprints.change_sprint_state(session, finished, "start", by=staff)
    sprints.move_item(session, finished, item, "done", by=staff)
    sprints.save_review(
        session,
        finished,
        {
            "delivered": "Two extra lights agreed with the city on the station path.",
            "evidence": "Photos and the city's work order.",
            "residents_said": "Riders at the station session said the path feels safer.",
            "went_well": "Residents walked the route with us at night; the city answered fast.",
            "try_next": "Invite the bus company to the next sprint from the start.",
            "lessons": "Book the city's lighting team two weeks ahead.",
        },
        by=staff,
    )
    sprints.change_sprint_state(session, finished, "finish", by=staff, reason="Delivered.")
    running = sprints.create_sprint(
        session,
        campaign,
        name="Sprint 2: bus you can count on",
        goal="Prototype real-time bus times by SMS with riders in English, Spanish and Arabic.",
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=11),
        by=member,
    )
    sprints.add_item(session, running, opportunity_id=bus.id, owner_id=member.id, by=member)
    sprints.add_item(session, running, opportunity_id=repairs.id, owner_id=staff.id, by=member)
    sprints.change_sprint_state(session, running, "start", by=member)
    sprints.move_item(session, running, running.items[0], "doing", by=member)
    sprints.record_sprint_decision(
        session, running, "SMS first: most riders have basic phones, not smartphones.", by=member
    )


def add_demo_theme_evidence(session: Session, campaign: Campaign, shaped: DemoBoard) -> None:
    """The themes of the demo board behind the bus and childcare opportunities (in
    English, Spanish and Arabic), as "Edit" on the opportunity page would add them."""
    evidence = {BUS_TITLE: shaped.bus_themes(), CHILDCARE_TITLE: shaped.childcare_themes()}
    for title, themes in evidence.items():
        found = session.scalar(
            sa.select(Opportunity).where(
                Opportunity.campaign_id == campaign.id, Opportunity.title == title
            )
        )
        if found is None:
            continue
        services.update_opportunity(
            session,
            found,
            services.OpportunityFields(
                title=found.title,
                job_statement=found.job_statement,
                outcome=found.outcome,
                effort=found.effort,
                owner_id=found.owner_id,
                theme_ids=[t.id for t in themes],
                quote_ids=[q.feedback_item_id for q in found.quotes],
            ),
            by=None,
        )
