"""Closed-question results weighted to the community's make-up (raking), with how much
the weighting costs in precision (Kish's effective sample size and design effect).

Who cannot be placed in the make-up on a dimension — they did not say (or preferred
not to), chose several groups (a multiple choice such as race/ethnicity), or named a
group the make-up does not list — is kept in a group of their own held at their own
share of respondents: weighting neither raises nor lowers them on that dimension, and
the groups the make-up lists are matched to its shares among the people who said.
A group of the make-up that nobody has answered from cannot be weighted up (there is
nobody to count more): it is left out of the targets and named on the page.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from analysis.stats import design_effect, effective_sample_size, rake
from engage.dashboard.services import Respondent, baseline_key, respondent_groups
from engage.models import Campaign, Survey
from engage.responses.services import definition_of
from surveys.results import QuestionTally, dimension_questions
from surveys.schema import Question
from surveys.types import get_type

UNPLACED = "\x00unplaced"  # the category of people the make-up cannot place
MAX_WEIGHT = 5.0  # one person counting for more than this many is "extreme"
MAX_DESIGN_EFFECT = 2.0  # weighting that halves the effective sample is "extreme"
WEIGHTED_STORAGE = frozenset(
    {"choice", "choices", "yes_no", "rating", "scale", "number", "consent", "matrix", "ranking"}
)


@dataclass(frozen=True)
class Weights:
    """One weight per person (mean 1), and what the weighting could not do."""

    weights: np.ndarray
    dimensions: list[str]
    # Per dimension: how many people the make-up could not place (kept at their share).
    unplaced: dict[str, int] = field(default_factory=dict)
    # Per dimension: groups of the make-up nobody has answered from.
    unheard: dict[str, list[str]] = field(default_factory=dict)

    @property
    def effective_size(self) -> float:
        return effective_sample_size(self.weights)

    @property
    def design_effect(self) -> float:
        return design_effect(self.weights) if len(self.weights) else 1.0

    @property
    def max_weight(self) -> float:
        return float(self.weights.max()) if len(self.weights) else 0.0

    @property
    def extreme(self) -> bool:
        return self.max_weight > MAX_WEIGHT or self.design_effect > MAX_DESIGN_EFFECT


def weights_for(
    people: Sequence[Mapping[str, str | None]], targets: Mapping[str, Mapping[str, float]]
) -> Weights:
    """Raking weights for ``people`` (each one's group per dimension, ``None`` when the
    make-up cannot place them) to the shares in ``targets`` (normalised per dimension).

    People who cannot be placed keep their own share; groups nobody is in are dropped.
    """
    n = len(people)
    margins: dict[str, dict[str, float]] = {}
    unplaced: dict[str, int] = {}
    unheard: dict[str, list[str]] = {}
    for dimension, shares in targets.items():
        seen = Counter(person.get(dimension) for person in people)
        heard = {g: float(s) for g, s in shares.items() if float(s) > 0 and seen.get(g)}
        unheard[dimension] = [g for g, s in shares.items() if float(s) > 0 and not seen.get(g)]
        if not heard or not n:
            continue
        missing = n - sum(seen[g] for g in heard)
        total = sum(heard.values())
        margins[dimension] = {g: s / total * (n - missing) / n for g, s in heard.items()}
        if missing:
            margins[dimension][UNPLACED] = missing / n
            unplaced[dimension] = missing
    rows = [
        {d: person.get(d) if person.get(d) in margins[d] else UNPLACED for d in margins}
        for person in people
    ]
    weights = rake(rows, margins) if margins and n else np.ones(n)
    unheard = {d: groups for d, groups in unheard.items() if groups}
    return Weights(weights, list(margins), unplaced, unheard)


@dataclass(frozen=True)
class WeightedAnswer:
    """An answer counted raw and weighted; ``row`` is its grid row, if any (its shares
    are then of the people who answered that row)."""

    key: str
    count: int
    share: float
    weighted_share: float
    row: str = ""


@dataclass(frozen=True)
class WeightedRank:
    """A ranking's option: its mean rank raw and weighted (1 = ranked first)."""

    key: str
    count: int
    mean: float
    weighted_mean: float


@dataclass(frozen=True)
class WeightedQuestion:
    """A question's answers raw and weighted; a ranking's ``answers`` are first choices
    (shares of the people who ranked) and its ``ranks`` the mean ranks."""

    question: Question
    answered: int
    answers: list[WeightedAnswer]
    mean: float | None = None
    weighted_mean: float | None = None
    ranks: list[WeightedRank] = field(default_factory=list)


@dataclass(frozen=True)
class Weighting:
    weights: Weights
    respondents: int
    questions: list[WeightedQuestion]


@dataclass
class Cell:
    """The people of one combination of groups (they all get the same weight), and
    their answers to each closed question, counted."""

    people: int = 0
    tallies: dict[str, QuestionTally] = field(default_factory=dict)


def _answers(
    keys: Sequence[str],
    raw: Mapping[str, int],
    weighted: Mapping[str, float],
    answered: int,
    base: float,
    row: str = "",
) -> list[WeightedAnswer]:
    return [
        WeightedAnswer(
            key,
            raw.get(key, 0),
            raw.get(key, 0) / answered if answered else 0.0,
            weighted.get(key, 0.0) / base if base else 0.0,
            row,
        )
        for key in keys
    ]


def _weigh_grid(question: Question, cells: Sequence[tuple[Cell, float]]) -> WeightedQuestion | None:
    """Each grid row on its own: an option's share of those who answered that row."""
    answered = 0
    raw: dict[str, Counter[str]] = {}
    weighted: dict[str, Counter[str]] = {}
    for cell, weight in cells:
        tally = cell.tallies.get(question.code)
        if tally is None or not tally.answered:
            continue
        answered += tally.answered
        for row, counts in tally.rows.items():
            raw.setdefault(row, Counter()).update(counts)
            for key, count in counts.items():
                weighted.setdefault(row, Counter())[key] += weight * count
    if not answered:
        return None
    keys = [o.value for o in question.options]
    answers = []
    for row in question.rows:
        counts, weights = raw.get(row.value, Counter()), weighted.get(row.value, Counter())
        answers += _answers(
            keys, counts, weights, sum(counts.values()), sum(weights.values()), row.value
        )
    return WeightedQuestion(question, answered, answers)


def _weigh_ranking(
    question: Question, cells: Sequence[tuple[Cell, float]]
) -> WeightedQuestion | None:
    """First choices (shares of the people who ranked) and each option's mean rank."""
    answered, base = 0, 0.0
    first: Counter[str] = Counter()
    weighted_first: Counter[str] = Counter()
    ranks: dict[str, list[float]] = {}  # option: raw count, raw sum, weights, weighted sum
    for cell, weight in cells:
        tally = cell.tallies.get(question.code)
        if tally is None or not tally.answered:
            continue
        answered += tally.answered
        base += weight * tally.answered
        first.update(tally.counts)
        for key, count in tally.counts.items():
            weighted_first[key] += weight * count
        for key, given in tally.ranks.items():
            sums = ranks.setdefault(key, [0.0, 0.0, 0.0, 0.0])
            sums[0] += len(given)
            sums[1] += sum(given)
            sums[2] += weight * len(given)
            sums[3] += weight * sum(given)
    if not answered:
        return None
    keys = [o.value for o in question.options]
    means = [
        WeightedRank(key, int(r[0]), r[1] / r[0], r[3] / r[2])
        for key in keys
        if (r := ranks.get(key)) and r[0] and r[2]
    ]
    answers = _answers(keys, first, weighted_first, answered, base)
    return WeightedQuestion(question, answered, answers, ranks=means)


def weigh_cells(
    questions: Sequence[Question], cells: Sequence[tuple[Cell, float]]
) -> list[WeightedQuestion]:
    """Each question's answers counted raw and weighted (each cell's counts times its
    weight): a share is of those who answered it (weighted: of their weights); a
    multiple choice counts each option chosen; a grid's shares are of those who
    answered each row; a ranking's of those who ranked (first choices), with mean ranks."""
    results = []
    for question in questions:
        storage = get_type(question.type).storage
        if storage in ("matrix", "ranking"):
            weigh = _weigh_grid if storage == "matrix" else _weigh_ranking
            found = weigh(question, cells)
            if found is not None:
                results.append(found)
            continue
        raw = QuestionTally(question, storage)
        weighted: Counter[str] = Counter()
        base = total = 0.0
        for cell, weight in cells:
            tally = cell.tallies.get(question.code)
            if tally is None or not tally.answered:
                continue
            raw.answered += tally.answered
            raw.counts.update(tally.counts)
            raw.numbers.extend(tally.numbers)
            base += weight * tally.answered
            total += weight * sum(tally.numbers)
            for key, count in tally.counts.items():
                weighted[key] += weight * count
        if not raw.answered:
            continue
        rows = _answers(raw.keys, raw.counts, weighted, raw.answered, base)
        mean = raw.mean
        weighted_mean = total / base if mean is not None and base else None
        results.append(WeightedQuestion(question, raw.answered, rows, mean, weighted_mean))
    return results


def weighting_dimensions(campaign: Campaign, survey: Survey | None) -> list[str]:
    """The dimensions results can be weighted on: in the make-up and known of respondents."""
    if survey is None or survey.current_version is None:
        return []
    asked = set(dimension_questions(definition_of(survey.current_version)))
    known = asked | {"language", "area"}
    return [d for d in (campaign.baseline or {}) if d in known]


class WeightCounter:
    """Counts, response by response, what weighting the survey's results needs: how many
    people are in each combination of groups on the chosen dimensions, and their closed
    answers (current version only). Memory grows with the combinations, not the people."""

    def __init__(self, campaign: Campaign, survey: Survey, dimensions: Sequence[str]) -> None:
        self.version = survey.current_version
        self.baseline = campaign.baseline or {}
        self.dimensions = [d for d in dimensions if self.baseline.get(d)]
        self.definition = definition_of(self.version) if self.version else None
        self.asked = dimension_questions(self.definition) if self.definition else {}
        self.questions = [
            q
            for q in (self.definition.questions() if self.definition else [])
            if not q.dimension and get_type(q.type).storage in WEIGHTED_STORAGE
        ]
        self.cells: dict[tuple[str | None, ...], Cell] = {}

    @property
    def wanted(self) -> bool:
        return self.version is not None and bool(self.dimensions)

    def _group(self, found: Mapping[str, list[str]], dimension: str) -> str | None:
        """The one group of the make-up a person is in, or None: not said, several
        groups, or one the make-up does not list."""
        groups, base = found.get(dimension, []), self.baseline[dimension]
        if len(groups) != 1:
            return None
        key = baseline_key(self.asked.get(dimension), groups[0], base)
        return key if key in base else None

    def add(self, respondent: Respondent) -> None:
        if self.version is None or self.definition is None or not self.dimensions:
            return
        if respondent.version_id != self.version.id:
            return
        found = respondent_groups(self.definition, self.asked, respondent)
        key = tuple(self._group(found, d) for d in self.dimensions)
        cell = self.cells.get(key)
        if cell is None:
            tallies = {q.code: QuestionTally(q, get_type(q.type).storage) for q in self.questions}
            cell = self.cells[key] = Cell(0, tallies)
        cell.people += 1
        for code, tally in cell.tallies.items():
            value = respondent.answers.get(code)
            if not isinstance(value, Mapping) or tally.storage == "matrix":
                tally.add(value)

    def result(self) -> Weighting | None:
        if not self.cells:
            return None
        keys = list(self.cells)
        # One row per person (the same dict for everybody in a cell), cell after cell.
        rows = [
            person
            for key in keys
            for person in [dict(zip(self.dimensions, key, strict=True))] * self.cells[key].people
        ]
        weights = weights_for(rows, {d: self.baseline[d] for d in self.dimensions})
        starts = np.cumsum([0] + [self.cells[key].people for key in keys[:-1]])
        cells = [
            (self.cells[key], float(weights.weights[i]))
            for key, i in zip(keys, starts, strict=True)
        ]
        return Weighting(weights, len(rows), weigh_cells(self.questions, cells))
