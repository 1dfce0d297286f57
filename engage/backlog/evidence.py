"""What backs an opportunity: the board themes it came from, chosen quotes, how many residents
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
    Answer,
    BoardPlacement,
    BoardTheme,
    Campaign,
    FeedbackItem,
    Opportunity,
    Response,
    Survey,
    SurveyVersion,
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


# -- themes and quotes -----------------------------------------------------------------------
#
# Evidence names the campaign's board themes (engage.themes.board), not an analysis run's:
# the workgroup's name shows, a merged theme is read as the theme it joined, and a new
# run ("Analyse again") adds its answers to the same board themes.

QUOTES_PER_THEME = 6


@dataclass(frozen=True)
class ThemeChoice:
    """A board theme offered as evidence, with how many answers it holds."""

    theme: BoardTheme
    size: int


@dataclass(frozen=True)
class EvidenceTheme:
    """One theme of an opportunity's evidence, as the pages show it.

    ``theme`` is the board theme it is now (the one a merged theme joined); None when the
    board theme is gone, and then ``name`` and ``language`` are those last saved.
    ``merged`` names the themes chosen that were since merged into it.
    """

    name: str
    language: str
    theme: BoardTheme | None = None
    merged: tuple[str, ...] = ()

    @property
    def hidden(self) -> bool:
        return self.theme is not None and self.theme.hidden


def final_theme(session: Session, theme: BoardTheme) -> BoardTheme:
    """The board theme ``theme`` is now: itself, or the theme it was merged into."""
    seen = {theme.id}
    while theme.merged_into_id is not None:
        into = session.get(BoardTheme, theme.merged_into_id)
        if into is None or into.id in seen:
            break
        seen.add(into.id)
        theme = into
    return theme


def theme_sizes(session: Session, theme_ids: Iterable[int]) -> dict[int, int]:
    """Counted answers in each board theme."""
    ids = list(theme_ids)
    if not ids:
        return {}
    rows = session.execute(
        sa.select(BoardPlacement.board_theme_id, sa.func.count())
        .join(FeedbackItem, FeedbackItem.id == BoardPlacement.feedback_item_id)
        .where(BoardPlacement.board_theme_id.in_(ids), FeedbackItem.counted())
        .group_by(BoardPlacement.board_theme_id)
    )
    return {theme_id: int(count) for theme_id, count in rows}


def list_theme_choices(
    session: Session, campaign: Campaign, keep: Iterable[int] = ()
) -> list[ThemeChoice]:
    """The campaign's board themes, largest first: those shown on the board, and those
    in ``keep`` (already evidence) even if hidden since."""
    kept = [i for i in keep if isinstance(i, int)]
    themes = list(
        session.scalars(
            sa.select(BoardTheme).where(
                BoardTheme.campaign_id == campaign.id,
                BoardTheme.merged_into_id.is_(None),
                sa.or_(~BoardTheme.hidden, BoardTheme.id.in_(kept)),
            )
        )
    )
    sizes = theme_sizes(session, [t.id for t in themes])
    choices = [ThemeChoice(t, sizes.get(t.id, 0)) for t in themes]
    return sorted(choices, key=lambda c: (-c.size, c.theme.id))


def themes_of_campaign(
    session: Session, campaign: Campaign, theme_ids: Iterable[int]
) -> list[BoardTheme]:
    """The board themes among ``theme_ids`` that belong to the campaign."""
    ids = [i for i in theme_ids if isinstance(i, int) and 0 < i <= MAX_ID]
    if not ids:
        return []
    return list(
        session.scalars(
            sa.select(BoardTheme)
            .where(BoardTheme.id.in_(ids), BoardTheme.campaign_id == campaign.id)
            .order_by(BoardTheme.id)
        )
    )


def evidence_themes(session: Session, opportunity: Opportunity) -> list[EvidenceTheme]:
    """The themes behind ``opportunity`` as they are on the board now (each once)."""
    gone: list[EvidenceTheme] = []
    finals: dict[int, BoardTheme] = {}
    merged: dict[int, list[str]] = {}
    for row in opportunity.themes:
        if row.board_theme is None:
            gone.append(EvidenceTheme(row.label, row.language))
            continue
        theme = final_theme(session, row.board_theme)
        finals.setdefault(theme.id, theme)
        names = merged.setdefault(theme.id, [])
        if theme.id != row.board_theme.id and row.board_theme.display_name not in names:
            names.append(row.board_theme.display_name)
    return [
        EvidenceTheme(t.display_name, t.language, t, tuple(merged[i])) for i, t in finals.items()
    ] + gone


def quote_candidates(
    session: Session, campaign: Campaign, themes: Sequence[BoardTheme]
) -> list[Quote]:
    """Quotes of ``themes`` to choose from, masked: for each, the answers its run theme
    is known by that are still in it, those members placed there, then the first others
    (as the board shows them)."""
    ids: list[int] = []
    finals = [final_theme(session, t) for t in themes]
    for theme in {t.id: t for t in finals}.values():
        placed = sa.select(BoardPlacement.feedback_item_id, BoardPlacement.pinned).where(
            BoardPlacement.board_theme_id == theme.id
        )
        known = [
            q.get("item_id")
            for q in (theme.theme.representatives if theme.theme is not None else [])
            if isinstance(q, dict)
        ]
        rows = session.execute(
            placed.where(
                sa.or_(
                    BoardPlacement.pinned,
                    BoardPlacement.feedback_item_id.in_([i for i in known if isinstance(i, int)]),
                )
            )
        ).all()
        pinned = sorted((r.feedback_item_id for r in rows if r.pinned), reverse=True)
        held = {r.feedback_item_id for r in rows}
        chosen = [i for i in known if i in held and i not in pinned] + pinned
        if len(chosen) < QUOTES_PER_THEME:
            chosen += session.scalars(
                sa.select(BoardPlacement.feedback_item_id)
                .where(
                    BoardPlacement.board_theme_id == theme.id,
                    BoardPlacement.feedback_item_id.not_in(chosen or [0]),
                )
                .order_by(BoardPlacement.feedback_item_id)
                .limit(QUOTES_PER_THEME - len(chosen))
            )
        ids += [i for i in chosen[:QUOTES_PER_THEME] if i not in ids]
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
    theme_ids = {
        final_theme(session, t.board_theme).id
        for t in opportunity.themes
        if t.board_theme is not None
    }
    item_ids = [q.feedback_item_id for q in opportunity.quotes]
    conditions = []
    if theme_ids:
        placed = sa.select(BoardPlacement.feedback_item_id).where(
            BoardPlacement.board_theme_id.in_(sorted(theme_ids))
        )
        conditions.append(FeedbackItem.id.in_(placed))
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
