"""One board theme in detail: how big it is over time and across waves, who raised it
(by demographic group, small groups hidden), how the residents who raised it rate the
outcomes the campaign asks about next to everyone, and its sentiment.

Every figure is an aggregate computed by the database (GROUP BY, the same SQL on SQLite
and PostgreSQL but for the day of a moment), so the page costs a few queries, not a pass
over all the campaign's feedback in Python (``bench/theme_detail.py``).

Counts of people use the campaign's suppression threshold as the dashboard does
(``analysis.stats.suppress``, complementary cells hidden too); a mean rating of fewer
residents than the threshold is not shown ("not enough answers"). A resident is a
response (several answers of theirs count once); a note from a listening session is one
voice.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
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


def _feedback(session: Session, campaign: Campaign, theme: BoardTheme) -> sa.Subquery:
    """The campaign's clustered feedback, one row per item: its voice (a response, or a
    note on its own), survey, moment, demographics and ``mine`` (1 when in ``theme``).

    Everything the page compares is an aggregate (GROUP BY) over this, so no page loads
    the feedback itself, whatever its size.
    """
    response = aliased(Response)
    placed = aliased(BoardPlacement)
    voice = sa.case(
        (FeedbackItem.response_id.is_not(None), FeedbackItem.response_id),
        else_=-FeedbackItem.id,
    )
    return (
        sa.select(
            FeedbackItem.id.label("id"),
            FeedbackItem.response_id.label("response_id"),
            voice.label("voice"),
            SurveyVersion.survey_id.label("survey_id"),
            sa.func.coalesce(response.submitted_at, FeedbackItem.created_at).label("moment"),
            sa.cast(FeedbackItem.demographics, sa.Text).label("demographics"),
            sa.case((placed.feedback_item_id.is_not(None), 1), else_=0).label("mine"),
        )
        .outerjoin(response, response.id == FeedbackItem.response_id)
        .outerjoin(SurveyVersion, SurveyVersion.id == response.survey_version_id)
        .outerjoin(
            placed,
            sa.and_(placed.feedback_item_id == FeedbackItem.id, placed.board_theme_id == theme.id),
        )
        .where(
            FeedbackItem.campaign_id == campaign.id,
            FeedbackItem.counted(),
            sa.or_(
                FeedbackItem.analysis_role.in_([r for r in CLUSTERED_ROLES if r]),
                FeedbackItem.analysis_role.is_(None),
            ),
        )
        .subquery("feedback")
    )


def _day(session: Session, moment: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """The UTC day of ``moment``, in SQL (``date()`` of the stored UTC time on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        return sa.func.date(sa.func.timezone(sa.literal_column("'UTC'"), moment))
    return sa.func.date(moment)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _by_week(session: Session, feedback: sa.Subquery) -> list[tuple[date, int]]:
    days = sa.select(_day(session, feedback.c.moment).label("day")).where(feedback.c.mine == 1)
    days_q = days.subquery("days")
    weeks: Counter[date] = Counter()
    for day, count in session.execute(
        sa.select(days_q.c.day, sa.func.count()).group_by(days_q.c.day)
    ):
        if day is not None:
            day = _as_date(day)
            weeks[day - timedelta(days=day.weekday())] += count
    return sorted(weeks.items())


def _waves(session: Session, campaign: Campaign, feedback: sa.Subquery) -> list[WaveRow]:
    """Answers per wave of each survey that has more than one, in one query."""
    asked: list[tuple[str, Wave, Any, Any]] = []
    for survey in campaign.surveys:
        waves = waves_of(survey)
        if len(waves) < 2:
            continue
        for wave in waves:
            inside = sa.and_(feedback.c.survey_id == survey.id, *wave.conditions(feedback.c.moment))
            mine = sa.and_(inside, feedback.c.mine == 1)
            asked.append(
                (
                    survey.slug,
                    wave,
                    sa.func.sum(sa.case((mine, 1), else_=0)),
                    sa.func.sum(sa.case((inside, 1), else_=0)),
                )
            )
    if not asked:
        return []
    columns = [c for _s, _w, mine, every in asked for c in (mine, every)]
    row = session.execute(sa.select(*columns)).one()
    return [
        WaveRow(slug, wave, int(row[2 * n] or 0), int(row[2 * n + 1] or 0))
        for n, (slug, wave, _m, _e) in enumerate(asked)
    ]


def _group_counts(
    session: Session, feedback: sa.Subquery
) -> tuple[dict[str, Counter[str]], dict[str, Counter[str]], int, int]:
    """Residents per group of each dimension, of the theme and of everyone, and how many
    residents each has: a resident counts once, whatever how many answers they gave.

    One row per resident (their demographics), then one per distinct demographics
    document with how many residents gave it: a handful of rows to read, however much
    feedback there is.
    """
    voices = (
        sa.select(
            feedback.c.voice,
            sa.func.max(feedback.c.demographics).label("document"),
            sa.func.max(feedback.c.mine).label("mine"),
        )
        .group_by(feedback.c.voice)
        .subquery("voices")
    )
    mine: dict[str, Counter[str]] = {}
    everyone: dict[str, Counter[str]] = {}
    residents = all_residents = 0
    for document, count, theirs in session.execute(
        sa.select(voices.c.document, sa.func.count(), sa.func.sum(voices.c.mine)).group_by(
            voices.c.document
        )
    ):
        theirs = int(theirs or 0)
        residents, all_residents = residents + theirs, all_residents + count
        try:
            found = json.loads(document) if document else {}
        except ValueError:
            found = {}
        if not isinstance(found, dict):
            continue
        for dimension, value in found.items():
            values = value if isinstance(value, list) else [value]
            for group in {v for v in values if isinstance(v, str) and v}:
                everyone.setdefault(str(dimension), Counter())[group] += count
                if theirs:
                    mine.setdefault(str(dimension), Counter())[group] += theirs
    return mine, everyone, residents, all_residents


def _breakdowns(
    campaign: Campaign,
    counts: tuple[dict[str, Counter[str]], dict[str, Counter[str]], int, int],
    threshold: int,
) -> list[GroupBreakdown]:
    asked: dict[str, Question] = {}
    for survey in campaign.surveys:
        if survey.current_version is not None:
            from engage.responses.services import definition_of

            for dimension, q in dimension_questions(definition_of(survey.current_version)).items():
                asked.setdefault(dimension, q)
    theme_groups, all_groups, residents, all_residents = counts
    residents, all_residents = residents or 1, all_residents or 1
    found = []
    for dimension in sorted(all_groups):
        question = asked.get(dimension)
        offered = [o.value for o in question.options] if question else []
        keys = [k for k in offered if k in all_groups[dimension]]
        keys += sorted(k for k in all_groups[dimension] if k not in keys)
        counted = [theme_groups.get(dimension, Counter()).get(k, 0) for k in keys]
        hidden = suppress(counted, threshold) if counted else []
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
                keys, counted, hidden, every, every_hidden, strict=True
            )
        ]
        found.append(GroupBreakdown(dimension, question, rows, int(sum(bool(h) for h in hidden))))
    return found


@dataclass
class _Sum:
    total: float = 0.0
    n: int = 0


def _ratings(
    session: Session, campaign: Campaign, feedback: sa.Subquery
) -> tuple[dict[tuple[str, str], _Sum], dict[tuple[str, str], _Sum]]:
    """(outcome, role) → sum and number of 0–10 ratings, of the theme's residents and of
    everyone: answers counted per (survey version, question, value), so Python reads one
    row per distinct rating, not one per answer."""
    questions = _outcome_questions(session, campaign)
    if not questions:
        return {}, {}
    codes = {code for found in questions.values() for code in found}
    theirs = sa.select(feedback.c.response_id).where(
        feedback.c.mine == 1, feedback.c.response_id.is_not(None)
    )
    answers = (
        sa.select(
            Response.survey_version_id.label("version_id"),
            Answer.question_code.label("code"),
            sa.cast(Answer.value, sa.Text).label("value"),
            sa.case((Response.id.in_(theirs), 1), else_=0).label("mine"),
        )
        .join(Answer, Answer.response_id == Response.id)
        .where(
            Response.survey_version_id.in_(list(questions)),
            ~Response.is_excluded,
            Answer.question_code.in_(codes),
        )
        .subquery("answers")
    )
    mine: dict[tuple[str, str], _Sum] = {}
    everyone: dict[tuple[str, str], _Sum] = {}
    grouped = sa.select(
        answers.c.version_id, answers.c.code, answers.c.value, answers.c.mine, sa.func.count()
    ).group_by(answers.c.version_id, answers.c.code, answers.c.value, answers.c.mine)
    for version_id, code, text, is_mine, count in session.execute(grouped):
        spec = questions[version_id].get(code)
        if spec is None or text is None:
            continue
        try:
            value = json.loads(text)
        except ValueError:
            continue
        outcome, role, low, high = spec
        rating = _to_ten(value, low, high)
        if rating is None:
            continue
        for found, counts in ((everyone, True), (mine, bool(is_mine))):
            if counts:
                total = found.setdefault((outcome, role), _Sum())
                total.total += rating * count
                total.n += count
    return mine, everyone


def _rating(found: _Sum | None, threshold: int) -> Rating:
    if found is None:
        return Rating(None, 0)
    n = found.n
    return Rating(found.total / n if n >= max(threshold, 1) else None, n)


def _outcomes(
    session: Session, campaign: Campaign, feedback: sa.Subquery, threshold: int, lang: str
) -> list[OutcomeRow]:
    theirs, everyone = _ratings(session, campaign, feedback)
    labels = outcome_labels(session, campaign, lang)
    outcomes = sorted({outcome for outcome, _role in everyone} | set(labels))
    rows = []
    for outcome in outcomes:

        def pick(found: Mapping[tuple[str, str], _Sum], role: str, o: str = outcome) -> Rating:
            return _rating(found.get((o, role)), threshold)

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
    feedback = _feedback(session, campaign, theme)
    detail.answers = (
        session.scalar(sa.select(sa.func.count()).select_from(feedback).where(feedback.c.mine == 1))
        or 0
    )
    counts = _group_counts(session, feedback)
    detail.residents = counts[2]
    detail.by_week = _by_week(session, feedback)
    detail.waves = _waves(session, campaign, feedback)
    detail.groups = _breakdowns(campaign, counts, threshold)
    detail.outcomes = _outcomes(session, campaign, feedback, threshold, lang)
    latest = get_latest_finished_run(session, campaign.id)
    if latest is not None and theme.theme is not None and theme.theme.run_id == latest.id:
        detail.quotes_theme_id = theme.theme_id
    return detail
