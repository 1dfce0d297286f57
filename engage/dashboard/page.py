"""Everything the dashboard page shows, worked out from its form (the view renders it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from engage.dashboard.charts import (
    DashboardCharts,
    compare_charts,
    dashboard_charts,
    wave_charts,
    weighting_charts,
)
from engage.dashboard.compare import CrossTabCounter
from engage.dashboard.forms import DashboardForm
from engage.dashboard.services import CrossTab, Dashboard, build_dashboard
from engage.dashboard.sessions import SessionHeads, session_heads
from engage.dashboard.targeting import Target, TargetCounter
from engage.dashboard.waves import WaveChange, chosen_survey_and_wave, wave_change
from engage.dashboard.weighting import WeightCounter, Weighting
from engage.models import Campaign, Survey


@dataclass
class DashboardPage:
    survey: Survey | None
    threshold: int
    board: Dashboard
    charts: DashboardCharts
    table: CrossTab | None = None
    weighting: Weighting | None = None
    targets: list[Target] = field(default_factory=list)
    change: WaveChange | None = None
    heads: SessionHeads = field(default_factory=SessionHeads)

    def context(self) -> dict[str, Any]:
        """What the template reads, by name."""
        return {
            "page": self,
            "survey": self.survey,
            "board": self.board,
            "table": self.table,
            "charts": self.charts,
            "threshold": self.threshold,
            "weighting": self.weighting,
            "targets": self.targets,
            "change": self.change,
            "heads": self.heads,
        }


def build_page(
    session: Session, campaign: Campaign, form: DashboardForm, *, default_threshold: int, lang: str
) -> DashboardPage:
    """The figures of the campaign (or of the survey chosen), with the campaign's own
    suppression threshold, or ``default_threshold`` when it has none."""
    survey, wave = chosen_survey_and_wave(campaign, form)
    threshold = campaign.threshold(default_threshold)
    # Targeting and weighting count in the same pass over the responses as the board.
    targeting = TargetCounter(campaign, threshold)
    weighting = WeightCounter(campaign, survey, form.weight.data or []) if survey else None
    observers = [targeting.add] + ([weighting.add] if weighting and weighting.wanted else [])
    page = _counted(session, campaign, form, survey, wave, threshold, observers)
    page.charts = dashboard_charts(page.board, lang)
    page.targets = targeting.targets(page.board.representativeness)
    page.weighting = weighting.result() if weighting else None
    if page.weighting is not None:
        page.charts.weighting = weighting_charts(page.weighting, lang)
    if page.table is not None:
        page.charts.compare, page.charts.compare_means = compare_charts(page.table, lang)
    page.change = wave_change(session, campaign, survey, wave, threshold)
    if page.change is not None:
        page.charts.waves = wave_charts(page.change, lang)
    return page


def build_breakdowns(
    session: Session, campaign: Campaign, form: DashboardForm, *, default_threshold: int
) -> DashboardPage:
    """Only what the breakdowns file holds: who was heard by group, the sessions' head
    counts and the comparison chosen (no charts, targeting, weighting or waves)."""
    survey, wave = chosen_survey_and_wave(campaign, form)
    threshold = campaign.threshold(default_threshold)
    return _counted(session, campaign, form, survey, wave, threshold, [])


def _counted(
    session: Session,
    campaign: Campaign,
    form: DashboardForm,
    survey: Survey | None,
    wave: Any,
    threshold: int,
    observers: list[Any],
) -> DashboardPage:
    """The board, the comparison chosen and the sessions' head counts, counted in one
    pass over the responses (with ``observers`` riding along)."""
    table = None
    if survey is not None and form.question.data and form.dimension.data:
        table = CrossTabCounter(
            survey, form.question.data, form.dimension.data, threshold, form.dimension2.data
        )
        observers = observers + ([table.add] if table.wanted else [])
    board = build_dashboard(
        session, campaign, survey=survey, threshold=threshold, wave=wave, observers=observers
    )
    page = DashboardPage(survey, threshold, board, DashboardCharts())
    page.table = table.result() if table is not None else None
    asked = {b.dimension: b.question for b in [*board.representativeness, *board.groups]}
    page.heads = session_heads(session, campaign, threshold, asked)
    return page
