"""Queries about campaigns for the staff and resident pages, and who may see which.

Which campaigns a user may see is decided here and nowhere else: staff and
administrators (who manage campaigns) see every campaign; anybody else who signs in
(workgroup members, interviewers) sees only the campaigns assigned to one of their
workgroups. Lists filter with :func:`visible_campaigns`; pages that name a campaign
load it through ``engage.web.guards``, which asks :func:`can_see_campaign`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from engage.models import Campaign, Response, Survey, SurveyVersion, Workgroup
from engage.models.campaign import campaign_workgroups, workgroup_members
from engage.permissions import Permission, user_can


def sees_every_campaign(user: Any) -> bool:
    """Staff and administrators see every campaign, assigned to a workgroup or not."""
    return user_can(user, Permission.MANAGE_CAMPAIGNS)


def _assigned_campaign_ids(user: Any) -> sa.Select[tuple[int]]:
    """Ids of the campaigns assigned to one of ``user``'s workgroups."""
    return (
        sa.select(campaign_workgroups.c.campaign_id)
        .join(
            workgroup_members,
            workgroup_members.c.workgroup_id == campaign_workgroups.c.workgroup_id,
        )
        .where(workgroup_members.c.user_id == getattr(user, "id", None))
    )


def visible_campaigns(user: Any) -> sa.Select[tuple[Campaign]]:
    """The campaigns ``user`` may see, as a query to refine (order, count, paginate)."""
    query = sa.select(Campaign)
    if sees_every_campaign(user):
        return query
    return query.where(Campaign.id.in_(_assigned_campaign_ids(user)))


def can_see_campaign(session: Session, user: Any, campaign_id: int) -> bool:
    """Whether ``user`` may see the campaign ``campaign_id`` (one query, none for staff)."""
    if sees_every_campaign(user):
        return True
    assigned = _assigned_campaign_ids(user).where(campaign_workgroups.c.campaign_id == campaign_id)
    return session.scalar(sa.select(assigned.exists())) is True


@dataclass(frozen=True)
class CampaignSummary:
    campaign: Campaign
    survey_count: int
    response_count: int


def list_campaign_summaries(session: Session, *, for_user: Any) -> list[CampaignSummary]:
    """The campaigns ``for_user`` may see, newest first, with their surveys and responses."""
    surveys = (
        sa.select(Survey.campaign_id, sa.func.count(Survey.id).label("n"))
        .group_by(Survey.campaign_id)
        .subquery()
    )
    responses = (
        sa.select(Survey.campaign_id, sa.func.count(Response.id).label("n"))
        .join(SurveyVersion, SurveyVersion.survey_id == Survey.id)
        .join(Response, Response.survey_version_id == SurveyVersion.id)
        .group_by(Survey.campaign_id)
        .subquery()
    )
    rows = session.execute(
        visible_campaigns(for_user)
        .add_columns(sa.func.coalesce(surveys.c.n, 0), sa.func.coalesce(responses.c.n, 0))
        .outerjoin(surveys, surveys.c.campaign_id == Campaign.id)
        .outerjoin(responses, responses.c.campaign_id == Campaign.id)
        .options(selectinload(Campaign.surveys))
        .order_by(Campaign.created_at.desc(), Campaign.id.desc())
    )
    return [CampaignSummary(c, int(s), int(r)) for c, s, r in rows]


def list_open_surveys(session: Session) -> list[Survey]:
    """Published surveys of open campaigns, for the residents' front page."""
    return list(
        session.scalars(
            sa.select(Survey)
            .join(Campaign)
            .where(Survey.is_open_for_answers)
            .order_by(Campaign.title, Survey.slug)
        )
    )


class CampaignSlugTaken(ValueError):
    """Another campaign already uses the short name."""


@dataclass(frozen=True)
class AssignedWorkgroup:
    """A workgroup the campaign is assigned to, and how many members it has."""

    id: int
    name: str
    members: int


def assigned_workgroups(session: Session, campaign: Campaign) -> list[AssignedWorkgroup]:
    """The workgroups assigned to ``campaign`` (whose members see it), by name."""
    members = (
        sa.select(sa.func.count())
        .select_from(workgroup_members)
        .where(workgroup_members.c.workgroup_id == Workgroup.id)
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(Workgroup.id, Workgroup.name, members)
        .join(campaign_workgroups, campaign_workgroups.c.workgroup_id == Workgroup.id)
        .where(campaign_workgroups.c.campaign_id == campaign.id)
        .order_by(sa.func.lower(Workgroup.name), Workgroup.id)
    )
    return [AssignedWorkgroup(id_, name, n) for id_, name, n in rows]


def save_campaign(session: Session, campaign: Campaign | None, **values: object) -> Campaign:
    """Create a campaign, or update ``campaign``, from the campaign form's values."""
    slug = values.get("slug")
    clash = sa.select(Campaign.id).where(Campaign.slug == slug)
    if campaign is not None:
        clash = clash.where(Campaign.id != campaign.id)
    if session.scalar(clash) is not None:
        raise CampaignSlugTaken(slug)
    if campaign is None:
        campaign = Campaign()
        session.add(campaign)
    for name, value in values.items():
        setattr(campaign, name, value)
    session.flush()
    return campaign


def get_report_back_url(campaign: Campaign) -> str | None:
    """The campaign's report-back address, if it is a safe link to show residents.

    An absolute ``http``/``https`` address with a host, or a path on this site
    (``/r/...``). Checked when rendered, not only when saved: a ``javascript:`` or
    ``data:`` address, however it got into the database, is never put in a page.
    """
    url = (campaign.report_back_url or "").strip()
    if not url or "\\" in url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return None
    if url.startswith("/"):
        return None if url.startswith("//") else url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url
