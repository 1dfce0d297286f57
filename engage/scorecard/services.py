"""The scorecard's measures, from the dashboard's figures, the board, the backlog and the
report-back page. Reads only; every figure of people is suppressed like the dashboard's.

The partnership's scorecard puts the campaigns a user may see side by side
(``engage.campaigns.services.visible_campaigns``), each measured as on its own
scorecard, with the partnership's totals.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.campaigns.services import visible_campaigns
from engage.dashboard.services import build_dashboard
from engage.dashboard.waves import wave_change
from engage.models import (
    BoardTheme,
    Campaign,
    CodesignRound,
    Opportunity,
    OpportunityStatus,
    Response,
    Sprint,
    SprintStatus,
    SurveyStatus,
    SurveyVersion,
)
from engage.models import Survey as SurveyModel
from engage.reportback.services import first_published_at
from surveys.export import formula_safe

MAX_GAPS = 3


@dataclass(frozen=True)
class Gap:
    dimension: str
    group: str
    share: float
    baseline_share: float

    @property
    def gap(self) -> float:
        return self.share - self.baseline_share


@dataclass(frozen=True)
class WaveMeasure:
    survey: str
    previous: int
    current: int
    residents: tuple[int | None, int | None]


@dataclass
class Scorecard:
    residents_heard: int
    gaps: list[Gap]
    themes_reviewed: tuple[int, int]
    opportunities_decided: tuple[int, int]
    not_now: int
    sprints_completed: tuple[int, int]
    rounds_held: int
    round_residents: int
    first_response_at: datetime | None
    first_report_back_at: datetime | None
    waves: list[WaveMeasure] = field(default_factory=list)

    @property
    def days_to_report_back(self) -> int | None:
        if self.first_response_at is None or self.first_report_back_at is None:
            return None
        return max(0, (self.first_report_back_at - self.first_response_at).days)


def count_rounds(session: Session, campaign: Campaign) -> tuple[int, int]:
    """Co-design rounds held (opened to residents at some point), and the residents who
    answered them (responses set aside not counted)."""
    held = (
        sa.select(CodesignRound.survey_id)
        .join(SurveyModel, SurveyModel.id == CodesignRound.survey_id)
        .where(
            CodesignRound.campaign_id == campaign.id,
            SurveyModel.status != SurveyStatus.DRAFT,
        )
    )
    rounds = _count(session, sa.select(sa.func.count()).select_from(held.subquery()))
    residents = _count(
        session,
        sa.select(sa.func.count())
        .select_from(Response)
        .join(SurveyVersion, SurveyVersion.id == Response.survey_version_id)
        .where(SurveyVersion.survey_id.in_(held), Response.excluded_reason.is_(None)),
    )
    return rounds, residents


def _count(session: Session, query: sa.Select) -> int:
    return int(session.scalar(query) or 0)


def _pair(session: Session, model: type, done: sa.ColumnElement[bool], *where: object) -> tuple:
    base = sa.select(sa.func.count()).select_from(model).where(*where)
    return _count(session, base.where(done)), _count(session, base)


def _first_response(session: Session, campaign: Campaign) -> datetime | None:
    return session.scalar(
        sa.select(sa.func.min(Response.submitted_at))
        .join(SurveyVersion, SurveyVersion.id == Response.survey_version_id)
        .join(SurveyModel, SurveyModel.id == SurveyVersion.survey_id)
        .where(SurveyModel.campaign_id == campaign.id, Response.excluded_reason.is_(None))
    )


def _largest_gaps(board: object) -> list[Gap]:
    gaps = [
        Gap(b.dimension, row.key, row.share, row.baseline_share)
        for b in board.representativeness  # type: ignore[attr-defined]
        for row in b.rows
        if row.gap is not None
    ]
    return sorted(gaps, key=lambda g: -abs(g.gap))[:MAX_GAPS]


def _waves(session: Session, campaign: Campaign, threshold: int) -> list[WaveMeasure]:
    found = []
    for survey in campaign.surveys:
        change = wave_change(session, campaign, survey, None, threshold)
        if change is None:
            continue
        shown = tuple(n if n >= threshold else None for n in change.respondents)
        found.append(
            WaveMeasure(survey.slug, change.previous.number, change.current.number, shown)  # type: ignore[arg-type]
        )
    return found


def build_scorecard(session: Session, campaign: Campaign, *, threshold: int) -> Scorecard:
    board = build_dashboard(session, campaign, survey=None, threshold=threshold)
    on_board = (
        BoardTheme.campaign_id == campaign.id,
        BoardTheme.hidden.is_(False),
        BoardTheme.merged_into_id.is_(None),
    )
    mine = Opportunity.campaign_id == campaign.id
    rounds_held, round_residents = count_rounds(session, campaign)
    return Scorecard(
        residents_heard=board.responses,
        gaps=_largest_gaps(board),
        themes_reviewed=_pair(session, BoardTheme, BoardTheme.reviewed_at.is_not(None), *on_board),
        opportunities_decided=_pair(
            session, Opportunity, Opportunity.status != OpportunityStatus.PROPOSED, mine
        ),
        not_now=_count(
            session,
            sa.select(sa.func.count())
            .select_from(Opportunity)
            .where(mine, Opportunity.status == OpportunityStatus.NOT_NOW),
        ),
        sprints_completed=_pair(
            session,
            Sprint,
            Sprint.status == SprintStatus.FINISHED,
            Sprint.campaign_id == campaign.id,
        ),
        rounds_held=rounds_held,
        round_residents=round_residents,
        first_response_at=_first_response(session, campaign),
        first_report_back_at=first_published_at(session, campaign),
        waves=_waves(session, campaign, threshold),
    )


def scorecard_csv(card: Scorecard, labels: dict[str, str]) -> str:
    """The measures as CSV rows (measure, value, out of), every cell formula-safe."""
    rows: list[tuple[str, object, object]] = [
        (labels["residents_heard"], card.residents_heard, ""),
        (labels["themes_reviewed"], *card.themes_reviewed),
        (labels["opportunities_decided"], *card.opportunities_decided),
        (labels["not_now"], card.not_now, ""),
        (labels["sprints_completed"], *card.sprints_completed),
        (labels["rounds_held"], card.rounds_held, ""),
        (labels["round_residents"], card.round_residents, ""),
        (labels["days_to_report_back"], "" if card.days_to_report_back is None
         else card.days_to_report_back, ""),
    ]  # fmt: skip
    for gap in card.gaps:
        rows.append((f"{labels['gap']}: {gap.dimension} = {gap.group}", round(gap.gap, 3), ""))
    for wave in card.waves:
        before, after = ("" if n is None else n for n in wave.residents)
        rows.append((f"{labels['wave']}: {wave.survey} {wave.previous}", before, ""))
        rows.append((f"{labels['wave']}: {wave.survey} {wave.current}", after, ""))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([labels["measure"], labels["value"], labels["out_of"]])
    for row in rows:
        writer.writerow([formula_safe(cell) for cell in row])
    return out.getvalue()


@dataclass(frozen=True)
class CampaignCard:
    campaign: Campaign
    card: Scorecard
    threshold: int


@dataclass
class PartnershipScorecard:
    """Every campaign's scorecard, and the partnership's totals."""

    campaigns: list[CampaignCard]

    def _sum(self, measure: Callable[[Scorecard], int]) -> int:
        return sum(measure(c.card) for c in self.campaigns)

    def _sum_pair(self, measure: Callable[[Scorecard], tuple[int, int]]) -> tuple[int, int]:
        pairs = [measure(c.card) for c in self.campaigns]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    @property
    def residents_heard(self) -> int:
        return self._sum(lambda card: card.residents_heard)

    @property
    def themes_reviewed(self) -> tuple[int, int]:
        return self._sum_pair(lambda card: card.themes_reviewed)

    @property
    def opportunities_decided(self) -> tuple[int, int]:
        return self._sum_pair(lambda card: card.opportunities_decided)

    @property
    def not_now(self) -> int:
        return self._sum(lambda card: card.not_now)

    @property
    def sprints_completed(self) -> tuple[int, int]:
        return self._sum_pair(lambda card: card.sprints_completed)

    @property
    def rounds_held(self) -> int:
        return self._sum(lambda card: card.rounds_held)

    @property
    def round_residents(self) -> int:
        return self._sum(lambda card: card.round_residents)

    @property
    def reported_back(self) -> tuple[int, int]:
        """Campaigns that have reported back, of those that have heard anyone."""
        heard = [c.card for c in self.campaigns if c.card.first_response_at is not None]
        return sum(card.days_to_report_back is not None for card in heard), len(heard)

    @property
    def median_days_to_report_back(self) -> float | None:
        days = sorted(
            c.card.days_to_report_back
            for c in self.campaigns
            if c.card.days_to_report_back is not None
        )
        if not days:
            return None
        middle = len(days) // 2
        return float(days[middle]) if len(days) % 2 else (days[middle - 1] + days[middle]) / 2

    @property
    def gaps(self) -> list[tuple[Campaign, Gap]]:
        """The largest representativeness gaps of the partnership, campaign by campaign."""
        found = [(c.campaign, gap) for c in self.campaigns for gap in c.card.gaps]
        return sorted(found, key=lambda pair: -abs(pair[1].gap))[:MAX_GAPS]

    @property
    def waves(self) -> list[tuple[CampaignCard, WaveMeasure]]:
        return [(c, wave) for c in self.campaigns for wave in c.card.waves]


def build_partnership_scorecard(
    session: Session, user: Any, *, threshold_of: Callable[[Campaign], int]
) -> PartnershipScorecard:
    """The scorecards of every campaign ``user`` may see (a workgroup member: those of
    their workgroups), newest first, each with its own suppression threshold."""
    campaigns: Iterable[Campaign] = session.scalars(
        visible_campaigns(user).order_by(Campaign.created_at.desc(), Campaign.id.desc())
    )
    cards = []
    for campaign in campaigns:
        threshold = threshold_of(campaign)
        card = build_scorecard(session, campaign, threshold=threshold)
        cards.append(CampaignCard(campaign, card, threshold))
    return PartnershipScorecard(cards)


def _largest_gap(card: Scorecard) -> tuple[str, object]:
    if not card.gaps:
        return "", ""
    gap = card.gaps[0]
    return f"{gap.dimension} = {gap.group}", round(gap.gap, 3)


def _row(
    title: str, card: Scorecard | PartnershipScorecard, days: float | None, gap: tuple[str, object]
) -> list[object]:
    return [
        title, card.residents_heard, *card.themes_reviewed, *card.opportunities_decided,
        card.not_now, *card.sprints_completed, card.rounds_held, card.round_residents,
        "" if days is None else days, *gap,
    ]  # fmt: skip


def partnership_csv(partnership: PartnershipScorecard, labels: dict[str, str]) -> str:
    """One row per campaign and one for the partnership (the median of the days from
    listening to reporting back), every cell formula-safe."""
    header = [
        labels["campaign"], labels["residents_heard"], labels["themes_reviewed"],
        labels["themes"], labels["opportunities_decided"], labels["opportunities"],
        labels["not_now"], labels["sprints_completed"], labels["sprints"], labels["rounds_held"],
        labels["round_residents"], labels["days_to_report_back"], labels["gap"],
        labels["gap_size"],
    ]  # fmt: skip
    rows = [
        _row(c.campaign.title, c.card, c.card.days_to_report_back, _largest_gap(c.card))
        for c in partnership.campaigns
    ]
    total = _row(labels["all_campaigns"], partnership, partnership.median_days_to_report_back,
                 ("", ""))  # fmt: skip
    rows.append(total)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([formula_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([formula_safe(cell) for cell in row])
    return out.getvalue()
