"""A round's results: reactions per prototype, by group, with comments and change.

Everything is counted the way the dashboard counts (``engage.dashboard.services``): one
pass over the round's counted responses (set-aside ones count nowhere), who answered
against the campaign's baseline, and each prototype's reactions by every demographic
dimension with small cells hidden along with their complements. A prototype that
improves on one from an earlier round is compared with it: the share of residents for
whom it would (mostly) work, then and now, shown only when both rounds heard at least
the suppression threshold of residents on it.

:func:`public_results` is the part of the results the public report-back page shows once
staff approve it: reactions per prototype (overall only, no groups, no comments), small
counts hidden by the same rule (``analysis.stats.suppress``), and the change.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from analysis.stats import disaggregate, suppress
from engage.dashboard.services import (
    CrossTab,
    Dashboard,
    Respondent,
    build_dashboard,
    respondent_groups,
    stream_respondents,
)
from engage.models import CodesignRound, FeedbackItem, Prototype, Response, SurveyVersion
from engage.responses.services import definition_of
from surveys.codesign import (
    POSITIVE_REACTIONS,
    RANKING_CODE,
    REACTION_VALUES,
    better_code,
    reaction_code,
)
from surveys.results import dimension_questions
from surveys.schema import Question

COMMENTS_SHOWN = 50


@dataclass(frozen=True)
class Change:
    """Round-over-round: the share who said it would (mostly) work, before and now."""

    previous: Prototype
    before_share: float | None
    before_n: int
    now_share: float | None
    now_n: int

    @property
    def points(self) -> float | None:
        if self.before_share is None or self.now_share is None:
            return None
        return (self.now_share - self.before_share) * 100


@dataclass
class PrototypeResult:
    prototype: Prototype
    counts: Counter[str] = field(default_factory=Counter)
    tables: list[CrossTab] = field(default_factory=list)
    comments: list[FeedbackItem] = field(default_factory=list)
    comment_count: int = 0
    change: Change | None = None
    mean_rank: float | None = None

    @property
    def answered(self) -> int:
        return sum(self.counts.values())

    @property
    def rows(self) -> list[tuple[str, int, float]]:
        total = self.answered
        return [
            (v, self.counts[v], self.counts[v] / total if total else 0.0) for v in REACTION_VALUES
        ]

    @property
    def positive_share(self) -> float | None:
        total = self.answered
        return sum(self.counts[v] for v in POSITIVE_REACTIONS) / total if total else None


@dataclass
class RoundResults:
    round: CodesignRound
    threshold: int
    board: Dashboard
    prototypes: list[PrototypeResult]
    ranked: int = 0


class _ReactionCounter:
    """Reactions per question code, over every version of the round (codes are stable)."""

    def __init__(self, codes: list[str]) -> None:
        self.counts: dict[str, Counter[str]] = {code: Counter() for code in codes}
        self.ranks: dict[str, list[int]] = {}
        self.ranked = 0

    def add(self, respondent: Respondent) -> None:
        for code, counter in self.counts.items():
            value = respondent.answers.get(code)
            if isinstance(value, str) and value in REACTION_VALUES:
                counter[value] += 1
        ranking = respondent.answers.get(RANKING_CODE)
        if isinstance(ranking, list) and ranking:
            self.ranked += 1
            for rank, key in enumerate(ranking, 1):
                self.ranks.setdefault(str(key), []).append(rank)


class _GroupReactions:
    """Each reaction question's answers by each dimension's groups, over every version of
    the round (the dashboard's cross-tables count one version; a round's codes are stable
    across versions, so its answers add up). A person in several groups counts in each."""

    def __init__(self, found: CodesignRound, codes: list[str], threshold: int) -> None:
        self.threshold = threshold
        self.definitions = {v.id: definition_of(v) for v in found.survey.versions}
        self.asked = {vid: dimension_questions(d) for vid, d in self.definitions.items()}
        dims: list[str] = []
        for asked in reversed(list(self.asked.values())):  # the newest version's first
            dims += [d for d in asked if d not in dims]
        self.dims = dims + [d for d in ("language", "area") if d not in dims]
        self.cells: dict[tuple[str, str], tuple[list[str], list[str]]] = {
            (code, dim): ([], []) for code in codes for dim in self.dims
        }

    def add(self, respondent: Respondent) -> None:
        definition = self.definitions.get(respondent.version_id)
        if definition is None:
            return
        groups = respondent_groups(definition, self.asked[respondent.version_id], respondent)
        for (code, dim), (rows, columns) in self.cells.items():
            value = respondent.answers.get(code)
            if value in REACTION_VALUES:
                for group in groups.get(dim, []):
                    rows.append(value)
                    columns.append(group)

    def _dimension_question(self, dim: str) -> Question | None:
        for asked in reversed(list(self.asked.values())):
            if dim in asked:
                return asked[dim]
        return None

    def tables(self, code: str, question: Question | None) -> list[CrossTab]:
        found = []
        for dim in self.dims:
            rows, columns = self.cells[(code, dim)]
            if not rows or question is None:
                continue
            asked = self._dimension_question(dim)
            offered = [o.value for o in asked.options if o.value in columns] if asked else []
            order = offered + sorted(set(columns) - set(offered))
            table = disaggregate(
                rows,
                columns,
                threshold=self.threshold,
                row_order=list(REACTION_VALUES),
                column_order=order,
            )
            found.append(CrossTab(question, asked, table, (dim,), (asked,)))
        return found


def _count_reactions(session: Session, found: CodesignRound) -> tuple[_ReactionCounter, int]:
    """The round's reactions, and how many residents answered it (counted responses)."""
    counter = _ReactionCounter([reaction_code(p.key) for p in found.prototypes])
    respondents = 0
    for respondent in stream_respondents(session, found.campaign, found.survey_id):
        counter.add(respondent)
        respondents += 1
    return counter, respondents


def reaction_counts(session: Session, found: CodesignRound) -> dict[str, Counter[str]]:
    """Each prototype's reactions (by its key) in ``found``, in a pass of their own."""
    counter, _respondents = _count_reactions(session, found)
    return {p.key: counter.counts[reaction_code(p.key)] for p in found.prototypes}


def _comments(session: Session, found: CodesignRound, prototype: Prototype) -> tuple[list, int]:
    where = (
        FeedbackItem.campaign_id == found.campaign_id,
        FeedbackItem.question_code == better_code(prototype.key),
        FeedbackItem.counted(),
        FeedbackItem.response_id.in_(
            sa.select(Response.id)
            .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
            .where(SurveyVersion.survey_id == found.survey_id)
        ),
    )
    total = session.scalar(sa.select(sa.func.count(FeedbackItem.id)).where(*where)) or 0
    items = session.scalars(
        sa.select(FeedbackItem)
        .where(*where)
        .order_by(FeedbackItem.created_at.desc(), FeedbackItem.id.desc())
        .limit(COMMENTS_SHOWN)
    )
    return list(items), int(total)


def _change(
    session: Session, result: PrototypeResult, threshold: int, cache: dict[int, dict]
) -> Change | None:
    previous = result.prototype.previous
    if previous is None:
        return None
    if previous.round_id not in cache:
        cache[previous.round_id] = reaction_counts(session, previous.round)
    before = cache[previous.round_id].get(previous.key, Counter())
    before_n = sum(before.values())
    now_n = result.answered
    shown = before_n >= threshold and now_n >= threshold
    before_share = sum(before[v] for v in POSITIVE_REACTIONS) / before_n if shown else None
    return Change(previous, before_share, before_n, result.positive_share if shown else None, now_n)


def build_results(session: Session, found: CodesignRound, *, threshold: int) -> RoundResults:
    """Every figure of the round's results page, with ``threshold`` as the smallest
    group of people shown."""
    survey = found.survey
    codes = [reaction_code(p.key) for p in found.prototypes]
    reactions = _ReactionCounter(codes)
    by_group = _GroupReactions(found, codes, threshold)
    board = build_dashboard(
        session,
        found.campaign,
        survey=survey,
        threshold=threshold,
        observers=[reactions.add, by_group.add],
    )
    current = definition_of(survey.current_version) if survey.current_version else None
    cache: dict[int, dict] = {}
    results = []
    for prototype in found.prototypes:
        result = PrototypeResult(prototype, reactions.counts[reaction_code(prototype.key)])
        code = reaction_code(prototype.key)
        question = (
            next((q for q in current.questions() if q.code == code), None) if current else None
        )
        result.tables = by_group.tables(code, question)
        result.comments, result.comment_count = _comments(session, found, prototype)
        result.change = _change(session, result, threshold, cache)
        ranks = reactions.ranks.get(prototype.key)
        result.mean_rank = sum(ranks) / len(ranks) if ranks else None
        results.append(result)
    return RoundResults(found, threshold, board, results, reactions.ranked)


@dataclass(frozen=True)
class ShownReaction:
    """One point of the scale: ``count``/``share`` are None when hidden."""

    value: str
    count: int | None
    share: float | None


@dataclass(frozen=True)
class PublicPrototypeResult:
    prototype: Prototype
    answered: int | None  # None: fewer than the threshold (no figure of it is shown)
    reactions: list[ShownReaction]
    hidden: int
    change: Change | None

    @property
    def positive_share(self) -> float | None:
        """The share for whom it would (mostly) work, when showing it reveals no hidden
        cell (``None`` otherwise)."""
        if self.answered is None or not _positive_share_is_public(self.reactions):
            return None
        positive = [r.share for r in self.reactions if r.value in POSITIVE_REACTIONS]
        if all(share is not None for share in positive):
            return sum(positive)  # type: ignore[arg-type]
        others = [r.share or 0.0 for r in self.reactions if r.value not in POSITIVE_REACTIONS]
        return max(0.0, 1.0 - sum(others))  # every hidden cell is a positive one


@dataclass(frozen=True)
class PublicRoundResults:
    round: CodesignRound
    threshold: int
    respondents: int | None  # None: fewer than the threshold
    prototypes: list[PublicPrototypeResult]


def _shown_reactions(counts: Counter[str], threshold: int) -> tuple[list[ShownReaction], int]:
    values = [counts[v] for v in REACTION_VALUES]
    total = sum(values)
    # A prototype fewer residents reacted to than the threshold shows nothing at all (its
    # total would single them out); otherwise small cells go, with their complements.
    hidden = suppress(values, threshold) if total >= threshold else [True] * len(values)
    rows = [
        ShownReaction(v, None if hide else n, None if hide or not total else n / total)
        for v, n, hide in zip(REACTION_VALUES, values, hidden, strict=True)
    ]
    return rows, int(sum(bool(h) for h in hidden))


def _positive_share_is_public(rows: list[ShownReaction]) -> bool:
    """Whether the share for whom it would (mostly) work can be shown without revealing a
    hidden cell: none of the hidden cells is positive, or every hidden cell is (their sum
    is then the total less the cells shown)."""
    hidden = {r.value for r in rows if r.count is None}
    return not hidden & POSITIVE_REACTIONS or hidden <= POSITIVE_REACTIONS


def _public_change(
    change: Change | None, rows: list[ShownReaction], threshold: int, cache: dict[int, dict]
) -> Change | None:
    """The change, with its shares taken out when one of them would reveal a hidden cell
    (of this version or of the one before)."""
    if change is None or change.points is None:
        return change
    before = cache[change.previous.round_id].get(change.previous.key, Counter())
    before_rows, _hidden = _shown_reactions(before, threshold)
    if _positive_share_is_public(rows) and _positive_share_is_public(before_rows):
        return change
    return Change(change.previous, None, change.before_n, None, change.now_n)


def public_results(session: Session, found: CodesignRound, *, threshold: int) -> PublicRoundResults:
    """The round's reactions as the public page shows them: per prototype, each point of
    the scale with its count and share (small cells hidden as on the dashboard), and the
    change since the version it improves on. Counted responses only."""
    counter, respondents = _count_reactions(session, found)
    cache: dict[int, dict] = {}
    prototypes = []
    for prototype in found.prototypes:
        counts = counter.counts[reaction_code(prototype.key)]
        result = PrototypeResult(prototype, counts)
        rows, hidden = _shown_reactions(counts, threshold)
        change = _public_change(_change(session, result, threshold, cache), rows, threshold, cache)
        answered = result.answered if result.answered >= threshold else None
        prototypes.append(PublicPrototypeResult(prototype, answered, rows, hidden, change))
    shown = respondents if respondents >= threshold else None
    return PublicRoundResults(found, threshold, shown, prototypes)
