"""One board theme in detail: how big it is over time and across waves, who raised it
(by demographic group, small groups hidden), how the residents who raised it rate the
outcomes the campaign asks about next to everyone, and its sentiment.

Counts of people use the campaign's suppression threshold as the dashboard does
(``analysis.stats.suppress``, complementary cells hidden too); a mean rating of fewer
residents than the threshold is not shown ("not enough answers"). A resident is a
response (several answers of theirs count once); a note from a listening session is one
voice.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from analysis.stats import suppress
from engage.backlog.evidence import _outcome_questions, _to_ten, outcome_labels
from engage.campaigns.waves import Wave, wave_name, waves_of
from engage.models import (
    Answer,
    BoardPlacement,
    BoardTheme,
    Campaign,
    FeedbackItem,
    Response,
    SurveyVersion,
    Theme,
)
from engage.themes.services import CLUSTERED_ROLES, get_latest_finished_run
from surveys.results import dimension_questions
from surveys.schema import Question


@dataclass(frozen=True)
class GroupRow:
    """One group: residents in the theme (``count``, ``share`` of the theme's residents)
    and ``everyone_share`` (of all residents who gave feedback); None when hidden."""

    key: str
    count: int | None
    share: float | None
    everyone_share: float | None


@dataclass(frozen=True)
class GroupBreakdown:
    dimension: str
    question: Question | None
    rows: list[GroupRow]
    hidden: int


@dataclass(frozen=True)
class WaveRow:
    survey: str
    wave: Wave
    answers: int
    everyone: int

    @property
    def name(self) -> str:
        return wave_name(self.wave)

    @property
    def share(self) -> float | None:
        return self.answers / self.everyone if self.everyone else None


@dataclass(frozen=True)
class Rating:
    """A mean rating (0–10) of ``n`` residents; ``mean`` None below the threshold."""

    mean: float | None
    n: int


@dataclass(frozen=True)
class OutcomeRow:
    outcome: str
    label: str
    importance: Rating
    importance_everyone: Rating
    satisfaction: Rating
    satisfaction_everyone: Rating


@dataclass
class ThemeDetail:
    theme: BoardTheme
    run_theme: Theme | None
    threshold: int
    answers: int = 0
    residents: int = 0
    by_week: list[tuple[date, int]] = field(default_factory=list)
    waves: list[WaveRow] = field(default_factory=list)
    groups: list[GroupBreakdown] = field(default_factory=list)
    outcomes: list[OutcomeRow] = field(default_factory=list)
    # The run theme id the quote explorer can filter on (the board follows that run).
    quotes_theme_id: int | None = None

    @property
    def sentiment(self) -> dict[str, Any] | None:
        found = self.run_theme.sentiment if self.run_theme is not None else None
        return found if found and found.get("n_scored") else None

    @property
    def residents_shown(self) -> int | None:
        return self.residents if self.residents >= self.threshold else None


@dataclass(frozen=True)
class _Item:
    id: int
    response_id: int | None
    survey_id: int | None
    moment: datetime
    demographics: dict[str, Any]

    @property
    def voice(self) -> str:
        return f"r{self.response_id}" if self.response_id is not None else f"n{self.id}"


def _items(session: Session, campaign: Campaign, theme: BoardTheme | None) -> list[_Item]:
    """The clustered feedback of the campaign (of ``theme`` only, when given)."""
    response = aliased(Response)
    query = (
        sa.select(
            FeedbackItem.id,
            FeedbackItem.response_id,
            SurveyVersion.survey_id,
            sa.func.coalesce(response.submitted_at, FeedbackItem.created_at),
            FeedbackItem.demographics,
        )
        .outerjoin(response, response.id == FeedbackItem.response_id)
        .outerjoin(SurveyVersion, SurveyVersion.id == response.survey_version_id)
        .where(
            FeedbackItem.campaign_id == campaign.id,
            FeedbackItem.counted(),
            sa.or_(
                FeedbackItem.analysis_role.in_([r for r in CLUSTERED_ROLES if r]),
                FeedbackItem.analysis_role.is_(None),
            ),
        )
    )
    if theme is not None:
        placed = sa.select(BoardPlacement.feedback_item_id).where(
            BoardPlacement.board_theme_id == theme.id
        )
        query = query.where(FeedbackItem.id.in_(placed))
    return [
        _Item(row[0], row[1], row[2], row[3], row[4] if isinstance(row[4], dict) else {})
        for row in session.execute(query)
    ]


def _week(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def _groups_of(items: Iterable[_Item]) -> dict[str, Counter[str]]:
    """Residents per group of each dimension (each resident once per group)."""
    seen: dict[str, dict[str, set[str]]] = {}
    for item in items:
        for dimension, value in item.demographics.items():
            values = value if isinstance(value, list) else [value]
            for group in values:
                if isinstance(group, str) and group:
                    seen.setdefault(str(dimension), {}).setdefault(group, set()).add(item.voice)
    return {d: Counter({g: len(v) for g, v in groups.items()}) for d, groups in seen.items()}


def _breakdowns(
    campaign: Campaign, mine: list[_Item], everyone: list[_Item], threshold: int
) -> list[GroupBreakdown]:
    asked: dict[str, Question] = {}
    for survey in campaign.surveys:
        if survey.current_version is not None:
            from engage.responses.services import definition_of

            for dimension, q in dimension_questions(definition_of(survey.current_version)).items():
                asked.setdefault(dimension, q)
    theme_groups, all_groups = _groups_of(mine), _groups_of(everyone)
    residents = len({i.voice for i in mine}) or 1
    all_residents = len({i.voice for i in everyone}) or 1
    found = []
    for dimension in sorted(all_groups):
        question = asked.get(dimension)
        offered = [o.value for o in question.options] if question else []
        keys = [k for k in offered if k in all_groups[dimension]]
        keys += sorted(k for k in all_groups[dimension] if k not in keys)
        counts = [theme_groups.get(dimension, Counter()).get(k, 0) for k in keys]
        hidden = suppress(counts, threshold) if counts else []
        every = [all_groups[dimension][k] for k in keys]
        every_hidden = suppress(every, threshold) if every else []
        rows = [
            GroupRow(
                key,
                None if hide else count,
                None if hide else count / residents,
                None if every_hide else total / all_residents,
            )
            for key, count, hide, total, every_hide in zip(
                keys, counts, hidden, every, every_hidden, strict=True
            )
        ]
        found.append(GroupBreakdown(dimension, question, rows, int(sum(bool(h) for h in hidden))))
    return found


def _waves(campaign: Campaign, mine: list[_Item], everyone: list[_Item]) -> list[WaveRow]:
    rows = []
    for survey in campaign.surveys:
        waves = waves_of(survey)
        if len(waves) < 2:
            continue
        for wave in waves:

            def count(items: list[_Item], wave: Wave = wave, survey_id: int = survey.id) -> int:
                return sum(1 for i in items if i.survey_id == survey_id and wave.contains(i.moment))

            rows.append(WaveRow(survey.slug, wave, count(mine), count(everyone)))
    return rows


def _ratings(
    session: Session, campaign: Campaign, residents: set[int] | None
) -> dict[tuple[str, str], list[float]]:
    """(outcome, role) → ratings on 0–10, of ``residents`` (None: everyone)."""
    questions = _outcome_questions(session, campaign)
    if not questions:
        return {}
    codes = {code for found in questions.values() for code in found}
    query = (
        sa.select(Response.id, Response.survey_version_id, Answer.question_code, Answer.value)
        .join(Answer, Answer.response_id == Response.id)
        .where(
            Response.survey_version_id.in_(list(questions)),
            ~Response.is_excluded,
            Answer.question_code.in_(codes),
        )
    )
    found: dict[tuple[str, str], list[float]] = {}
    for response_id, version_id, code, value in session.execute(query):
        if residents is not None and response_id not in residents:
            continue
        spec = questions[version_id].get(code)
        if spec is None:
            continue
        outcome, role, low, high = spec
        rating = _to_ten(value, low, high)
        if rating is not None:
            found.setdefault((outcome, role), []).append(rating)
    return found


def _rating(values: list[float], threshold: int) -> Rating:
    n = len(values)
    return Rating(sum(values) / n if n >= max(threshold, 1) else None, n)


def _outcomes(
    session: Session, campaign: Campaign, mine: list[_Item], threshold: int, lang: str
) -> list[OutcomeRow]:
    residents = {i.response_id for i in mine if i.response_id is not None}
    theirs = _ratings(session, campaign, residents)
    everyone = _ratings(session, campaign, None)
    labels = outcome_labels(session, campaign, lang)
    outcomes = sorted({outcome for outcome, _role in everyone} | set(labels))
    rows = []
    for outcome in outcomes:

        def pick(found: Mapping[tuple[str, str], list[float]], role: str, o: str = outcome):
            return _rating(found.get((o, role), []), threshold)

        rows.append(
            OutcomeRow(
                outcome,
                labels.get(outcome, outcome),
                pick(theirs, "outcome_importance"),
                pick(everyone, "outcome_importance"),
                pick(theirs, "outcome_satisfaction"),
                pick(everyone, "outcome_satisfaction"),
            )
        )
    return rows


def theme_detail(
    session: Session, campaign: Campaign, theme: BoardTheme, threshold: int, lang: str
) -> ThemeDetail:
    """Everything the theme's detail page shows."""
    detail = ThemeDetail(theme, theme.theme, threshold)
    mine = _items(session, campaign, theme)
    everyone = _items(session, campaign, None)
    detail.answers = len(mine)
    detail.residents = len({i.voice for i in mine})
    detail.by_week = sorted(Counter(_week(i.moment) for i in mine).items())
    detail.waves = _waves(campaign, mine, everyone)
    detail.groups = _breakdowns(campaign, mine, everyone, threshold)
    detail.outcomes = _outcomes(session, campaign, mine, threshold, lang)
    latest = get_latest_finished_run(session, campaign.id)
    if latest is not None and theme.theme is not None and theme.theme.run_id == latest.id:
        detail.quotes_theme_id = theme.theme_id
    return detail
