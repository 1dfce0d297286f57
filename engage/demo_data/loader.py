"""Demo data: the demo accounts of DESIGN.md and a demo listening campaign.

Only ``engage demo`` calls this, and it refuses to run in production.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.accounts.services import create_user, get_user_by_email
from engage.demo_data import waves
from engage.models import (
    Campaign,
    CampaignStatus,
    ContactOptIn,
    Response,
    Survey,
    SurveyVersion,
    User,
    Workgroup,
)
from engage.permissions import Role

DEMO_PASSWORD = "engage-demo"
DEMO_CAMPAIGN_SLUG = "eastside-listening"
DEMO_WORKGROUP = "Eastside Neighbourhood Workgroup"
DEMO_ACCOUNTS = (
    ("admin@example.org", "Ada Admin", Role.ADMIN),
    ("staff@example.org", "Sam Staff", Role.STAFF),
    ("interviewer@example.org", "Ines Interviewer", Role.INTERVIEWER),
    ("member@example.org", "Marco Member", Role.MEMBER),
)


DEMO_DATA = Path(__file__).resolve().parents[1] / "demo_data"
DEMO_SEED = 2026


@dataclass(frozen=True)
class DemoSummary:
    users_created: int
    campaign_created: bool
    responses_created: int = 0


def remove_demo(session: Session) -> None:
    """Delete what :func:`load_demo` creates, and nothing else."""
    campaign = session.scalar(sa.select(Campaign).where(Campaign.slug == DEMO_CAMPAIGN_SLUG))
    if campaign is not None:
        version_ids = (
            sa.select(SurveyVersion.id).join(Survey).where(Survey.campaign_id == campaign.id)
        )
        session.execute(sa.delete(Response).where(Response.survey_version_id.in_(version_ids)))
        session.delete(campaign)
    session.execute(sa.delete(Workgroup).where(Workgroup.name == DEMO_WORKGROUP))
    session.execute(sa.delete(User).where(User.email.in_([a[0] for a in DEMO_ACCOUNTS])))
    session.flush()


def load_demo(session: Session, *, reset: bool = False) -> DemoSummary:
    """Create the demo accounts and campaign; existing ones are kept unless ``reset``."""
    if reset:
        remove_demo(session)
    created = 0
    accounts: dict[Role, User] = {}
    for email, name, role in DEMO_ACCOUNTS:
        user = get_user_by_email(session, email)
        if user is None:
            user = create_user(session, email=email, name=name, password=DEMO_PASSWORD, role=role)
            created += 1
        accounts[role] = user

    workgroup = session.scalar(sa.select(Workgroup).where(Workgroup.name == DEMO_WORKGROUP))
    if workgroup is None:
        workgroup = Workgroup(
            name=DEMO_WORKGROUP,
            description="Residents, service providers and backbone staff working on Eastside.",
        )
        session.add(workgroup)
    # Campaigns are scoped to workgroups: the member reads the demo campaign's themes and
    # the interviewer finds it on the staff home because they belong to its workgroup.
    for role in (Role.MEMBER, Role.INTERVIEWER, Role.STAFF):
        if accounts[role] not in workgroup.members:
            workgroup.members.append(accounts[role])

    campaign = session.scalar(sa.select(Campaign).where(Campaign.slug == DEMO_CAMPAIGN_SLUG))
    campaign_created = campaign is None
    if campaign is None:
        campaign = Campaign(
            slug=DEMO_CAMPAIGN_SLUG,
            title="Eastside Neighbourhood Listening",
            purpose=(
                "Hear what Eastside residents are trying to get done, what gets in the way, "
                "and what would help, so the partnership can decide what to work on first."
            ),
            target_population="Everybody who lives or works in the Eastside neighbourhoods.",
            areas=["Riverside", "Northgate", "Market Street", "Hillcrest", "Station Quarter"],
            languages=["en", "es", "ar"],
            baseline=waves.BASELINE,
            opens_on=waves.CAMPAIGN_OPENS,
            closes_on=waves.CAMPAIGN_CLOSES,
            status=CampaignStatus.OPEN,
            workgroups=[workgroup],
        )
        session.add(campaign)
    if workgroup not in campaign.workgroups:
        campaign.workgroups.append(workgroup)
    session.flush()
    responses = 0
    if campaign_created:
        responses = _load_demo_survey(session, campaign, interviewer=accounts[Role.INTERVIEWER])
        _load_listening_sessions(session, campaign)
        _load_contact_opt_ins(session, campaign)
        from engage.demo_data.backlog import load_demo_backlog

        load_demo_backlog(
            session, campaign, member=accounts[Role.MEMBER], staff=accounts[Role.STAFF]
        )
        from engage.demo_data.rounds import load_demo_rounds

        load_demo_rounds(session, campaign)
        # Analysed last, over all the feedback (round comments too), so nothing is left
        # to place later; then the board's themes become the backlog's evidence.
        from engage.demo_data.backlog import add_demo_theme_evidence
        from engage.demo_data.themes import load_demo_board

        shaped = load_demo_board(
            session, campaign, member=accounts[Role.MEMBER], staff=accounts[Role.STAFF]
        )
        add_demo_theme_evidence(session, campaign, shaped)
        from engage.demo_data.reportback import load_demo_report_back

        load_demo_report_back(session, campaign, staff=accounts[Role.STAFF], shaped=shaped)
    return DemoSummary(
        users_created=created, campaign_created=campaign_created, responses_created=responses
    )


def _load_demo_survey(session: Session, campaign: Campaign, *, interviewer: User) -> int:
    """The demo listening survey at /s/demo, published, with realistic responses in two
    waves (see :mod:`engage.demo_data.waves`)."""
    from engage.builder.publishing import create_survey, publish_survey
    from engage.demo_data.responses import generate_demo_responses
    from engage.outreach.services import create_link
    from engage.responses.services import submit_response
    from surveys import SurveyDefinition

    definition_data = json.loads((DEMO_DATA / "demo_survey.json").read_text(encoding="utf-8"))
    definition = SurveyDefinition.from_dict(definition_data)
    campaign.languages = list(definition.languages)
    survey = create_survey(session, campaign=campaign, definition=definition_data)
    version = publish_survey(session, survey)
    # Published before its first responses, as it would have been.
    version.published_at = waves.CAMPAIGN_START - timedelta(days=7)
    generated = generate_demo_responses(
        definition, n=waves.WAVE_1_RESPONSES, seed=DEMO_SEED, story=waves.WAVE_1
    )
    survey.start_wave(at=waves.WAVE_2_START, label=waves.WAVE_2_LABEL)
    generated += generate_demo_responses(
        definition, n=waves.WAVE_2_RESPONSES, seed=DEMO_SEED + 1, story=waves.WAVE_2
    )
    for tag, label in waves.SOURCES.items():
        create_link(session, survey, label, tag).created_at = version.published_at
    for item in generated:
        interview = item["channel"] == "interviewer"
        stored = submit_response(
            session,
            version=version,
            answers=item["answers"],
            language=item["language"],
            channel=item["channel"],
            source_tag=item["source"],
            submitted_at=datetime.fromisoformat(item["submitted_at"]),
            entered_by=interviewer if interview else None,
            definition=definition,
        ).response
        if interview:
            stored.place = waves.INTERVIEW_PLACES.get(item["area"] or "", waves.DEFAULT_PLACE)
    return len(generated)


def _load_listening_sessions(session: Session, campaign: Campaign) -> None:
    """Listening sessions held in several languages; each note becomes feedback."""
    from engage.demo_data.waves import SESSIONS
    from engage.listening.services import add_notes, save_session

    for data in SESSIONS:
        fields = {k: v for k, v in data.items() if k != "notes"}
        listening = save_session(session, None, campaign, **fields)
        add_notes(session, listening, "\n\n".join(data["notes"]), str(data["languages"][0]))


# Made-up contacts (reserved example domains and drama numbers), never real people.
DEMO_CONTACTS = (
    ("Amira", "amira@example.org", "ar"),
    ("", "+447700900123", "en"),
    ("Lucía", "lucia@example.net", "es"),
)


def _load_contact_opt_ins(session: Session, campaign: Campaign) -> None:
    """A few residents who asked to hear back, for the staff's contacts page."""
    for name, contact, language in DEMO_CONTACTS:
        session.add(
            ContactOptIn(campaign_id=campaign.id, name=name, contact=contact, language=language)
        )
