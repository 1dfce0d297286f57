"""What backs an opportunity: the themes it came from, chosen quotes, how many residents
it reaches (with small-cell suppression), and its opportunity score.

Counts of people smaller than the campaign's suppression threshold are hidden, as on the
dashboard (``analysis.stats.suppress``), so a small group cannot be picked out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from analysis.stats import opportunity_from_ratings, suppress
from engage.models import (
    AnalysisRun,
    Answer,
    Campaign,
    FeedbackItem,
    Opportunity,
    Response,
    RunStatus,
    Survey,
    SurveyVersion,
    Theme,
    ThemeAssignment,
)
from engage.responses.services import definition_of
from surveys.i18n import text_for
from surveys.schema import OUTCOME_ROLES

MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Quote:
    item_id: int
    text: str
    language: str


@dataclass(frozen=True)
class Reach:
    """Residents behind the evidence: ``residents`` is None when fewer than ``threshold``;
    a language's or a group's count is None when hidden."""

    residents: int | None
    threshold: int
    languages: list[tuple[str, int | None]] = field(default_factory=list)
    groups: dict[str, list[tuple[str, int | None]]] = field(default_factory=dict)

    @property
    def sort_value(self) -> int:
        return self.residents or 0


@dataclass(frozen=True)
class Score:
    """An outcome's opportunity score and its inputs; ``score`` is None when too few
    residents rated importance or satisfaction (``enough`` is False)."""

    outcome: str
    importance: float | None
    satisfaction: float | None
    score: float | None
    n_importance: int
    n_satisfaction: int
    minimum: int

    @property
    def enough(self) -> bool:
        return self.score is not None


# -- themes and quotes -----------------------------------------------------------------


def get_latest_run(session: Session, campaign: Campaign) -> AnalysisRun | None:
    return session.scalar(
        sa.select(AnalysisRun)
        .where(
            AnalysisRun.campaign_id == campaign.id,
            AnalysisRun.status == RunStatus.DONE,
            ~AnalysisRun.is_filtered,  # an exploration over part of the feedback
        )
        .order_by(AnalysisRun.finished_at.desc().nulls_last(), AnalysisRun.id.desc())
        .limit(1)
    )


def list_theme_choices(session: Session, campaign: Campaign) -> list[Theme]:
    """The themes of the campaign's latest finished run, in every language, largest first."""
    run = get_latest_run(session, campaign)
    if run is None:
        return []
    return list(
        session.scalars(
            sa.select(Theme)
            .where(Theme.run_id == run.id)
            .order_by(Theme.parent_key.is_not(None), Theme.size.desc(), Theme.id)
        )
    )


def themes_of_campaign(
    session: Session, campaign: Campaign, theme_ids: Iterable[int]
) -> list[Theme]:
    """The themes among ``theme_ids`` that belong to one of the campaign's runs."""
    ids = [i for i in theme_ids if isinstance(i, int) and 0 < i <= MAX_ID]
    if not ids:
        return []
    return list(
        session.scalars(
            sa.select(Theme)
            .join(AnalysisRun, Theme.run_id == AnalysisRun.id)
            .where(Theme.id.in_(ids), AnalysisRun.campaign_id == campaign.id)
            .order_by(Theme.id)
        )
    )


def quote_candidates(session: Session, campaign: Campaign, themes: Sequence[Theme]) -> list[Quote]:
    """The representative answers of ``themes``, masked, to choose quotes from."""
    ids: list[int] = []
    for theme in themes:
        for quote in theme.representatives or []:
            item_id = quote.get("item_id") if isinstance(quote, dict) else None
            if isinstance(item_id, int) and item_id not in ids:
                ids.append(item_id)
    return quotes_of_campaign(session, campaign, ids)


def quotes_of_campaign(
    session: Session, campaign: Campaign, item_ids: Iterable[int]
) -> list[Quote]:
    ids = [i for i in item_ids if isinstance(i, int) and 0 < i <= MAX_ID]
    if not ids:
        return []
    rows = session.execute(
        sa.select(FeedbackItem.id, FeedbackItem.redacted_text, FeedbackItem.language).where(
            FeedbackItem.id.in_(ids), FeedbackItem.campaign_id == campaign.id
        )
    )
    found = {row.id: Quote(row.id, row.redacted_text, row.language) for row in rows}
    return [found[i] for i in ids if i in found]


# -- reach -------------------------------------------------------------------------------


def _evidence_items(session: Session, opportunity: Opportunity) -> list[Any]:
    theme_ids = [t.theme_id for t in opportunity.themes if t.theme_id is not None]
    item_ids = [q.feedback_item_id for q in opportunity.quotes]
    conditions = []
    if theme_ids:
        assigned = sa.select(ThemeAssignment.feedback_item_id).where(
            ThemeAssignment.theme_id.in_(theme_ids)
        )
        conditions.append(FeedbackItem.id.in_(assigned))
    if item_ids:
        conditions.append(FeedbackItem.id.in_(item_ids))
    if not conditions:
        return []
    return list(
        session.execute(
            sa.select(
                FeedbackItem.id,
                FeedbackItem.response_id,
                FeedbackItem.language,
                FeedbackItem.demographics,
            ).where(
                FeedbackItem.campaign_id == opportunity.campaign_id,
                sa.or_(*conditions),
                FeedbackItem.counted(),
            )
        )
    )


def _shown(counts: Counter[str], threshold: int) -> list[tuple[str, int | None]]:
    keys = sorted(counts, key=lambda k: (-counts[k], k))
    values = [counts[k] for k in keys]
    hidden = suppress(values, threshold) if values else []
    return [(k, None if hide else v) for k, v, hide in zip(keys, values, hidden, strict=True)]


def reach_of(session: Session, opportunity: Opportunity, threshold: int) -> Reach:
    """How many residents the evidence comes from, by language and demographic group.

    A resident is a response (several of their answers count once); each note from a
    listening session counts as one voice.
    """
    people: dict[str, tuple[str, dict[str, Any]]] = {}
    for item in _evidence_items(session, opportunity):
        key = f"r{item.response_id}" if item.response_id is not None else f"i{item.id}"
        people.setdefault(key, (item.language, item.demographics or {}))
    total = len(people)
    languages: Counter[str] = Counter(language for language, _ in people.values())
    dimensions: dict[str, Counter[str]] = {}
    for _, demographics in people.values():
        for dimension, group in demographics.items():
            if isinstance(group, str) and group:
                dimensions.setdefault(str(dimension), Counter())[group] += 1
    return Reach(
        residents=total if total == 0 or total >= threshold else None,
        threshold=threshold,
        languages=_shown(languages, threshold),
        groups={d: _shown(c, threshold) for d, c in sorted(dimensions.items())},
    )


# -- opportunity score -------------------------------------------------------------------


def _to_ten(value: Any, low: Any, high: Any) -> float | None:
    """A rating on the 0–10 scale (a 1–5 rating is stretched onto it)."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    low_n = float(low) if isinstance(low, int | float) else 0.0
    high_n = float(high) if isinstance(high, int | float) else 10.0
    if high_n <= low_n:
        return None
    if (low_n, high_n) != (0.0, 10.0):
        number = (number - low_n) / (high_n - low_n) * 10
    return min(max(number, 0.0), 10.0)


def _outcome_questions(session: Session, campaign: Campaign) -> dict[int, dict[str, Any]]:
    """Per survey version: question code → (outcome, role, minimum, maximum)."""
    versions = session.scalars(
        sa.select(SurveyVersion).join(Survey).where(Survey.campaign_id == campaign.id)
    )
    found: dict[int, dict[str, Any]] = {}
    for version in versions:
        codes = {}
        for q in definition_of(version).questions():
            if q.analysis_role in OUTCOME_ROLES and q.outcome:
                codes[q.code] = (q.outcome, q.analysis_role, q.minimum, q.maximum)
        if codes:
            found[version.id] = codes
    return found


def list_outcomes(session: Session, campaign: Campaign) -> list[str]:
    """Outcomes the campaign's surveys ask residents to rate."""
    return sorted(
        {o for codes in _outcome_questions(session, campaign).values() for o, *_ in codes.values()}
    )


def outcome_labels(session: Session, campaign: Campaign, lang: str) -> dict[str, str]:
    """Each rated outcome named by its importance question, in ``lang`` where translated."""
    labels: dict[str, str] = {}
    versions = session.scalars(
        sa.select(SurveyVersion)
        .join(Survey)
        .where(Survey.campaign_id == campaign.id)
        .order_by(SurveyVersion.id.desc())
    )
    for version in versions:
        definition = definition_of(version)
        for q in definition.questions():
            if q.analysis_role == "outcome_importance" and q.outcome and q.outcome not in labels:
                labels[q.outcome] = text_for(q.label, lang, definition.source_language)[0]
    return labels


def outcome_scores(session: Session, campaign: Campaign, minimum: int) -> dict[str, Score]:
    """Every rated outcome's opportunity score, from the campaign's counted responses."""
    questions = _outcome_questions(session, campaign)
    if not questions:
        return {}
    all_codes = {code for codes in questions.values() for code in codes}
    rows = session.execute(
        sa.select(Response.survey_version_id, Answer.question_code, Answer.value)
        .join(Answer, Answer.response_id == Response.id)
        .where(
            Response.survey_version_id.in_(list(questions)),
            ~Response.is_excluded,
            Answer.question_code.in_(all_codes),
        )
    )
    ratings: dict[str, dict[str, list[float | None]]] = {}
    for version_id, code, value in rows:
        spec = questions[version_id].get(code)
        if spec is None:
            continue
        outcome, role, low, high = spec
        rating = _to_ten(value, low, high)
        if rating is not None:
            ratings.setdefault(outcome, {}).setdefault(role, []).append(rating)
    scores = {}
    for outcome in sorted({o for codes in questions.values() for o, *_ in codes.values()}):
        got = ratings.get(outcome, {})
        result = opportunity_from_ratings(
            got.get("outcome_importance", []), got.get("outcome_satisfaction", [])
        )
        n_imp, n_sat = int(result["n_importance"] or 0), int(result["n_satisfaction"] or 0)
        enough = min(n_imp, n_sat) >= max(minimum, 1)
        scores[outcome] = Score(
            outcome=outcome,
            importance=result["importance"],  # type: ignore[arg-type]
            satisfaction=result["satisfaction"],  # type: ignore[arg-type]
            score=result["score"] if enough else None,  # type: ignore[arg-type]
            n_importance=n_imp,
            n_satisfaction=n_sat,
            minimum=max(minimum, 1),
        )
    return scores
