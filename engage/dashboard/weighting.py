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
    {"choice", "choices", "yes_no", "rating", "scale", "number", "consent"}
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
    key: str
    count: int
    share: float
    weighted_share: float


@dataclass(frozen=True)
class WeightedQuestion:
    question: Question
    answered: int
    answers: list[WeightedAnswer]
    mean: float | None = None
    weighted_mean: float | None = None


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


def weigh_cells(
    questions: Sequence[Question], cells: Sequence[tuple[Cell, float]]
) -> list[WeightedQuestion]:
    """Each question's answers counted raw and weighted (each cell's counts times its
    weight): a share is of those who answered it (weighted: of their weights); a
    multiple choice counts each option chosen."""
    results = []
    for question in questions:
        raw = QuestionTally(question, get_type(question.type).storage)
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
        rows = [
            WeightedAnswer(
                key,
                raw.counts.get(key, 0),
                raw.counts.get(key, 0) / raw.answered,
                weighted.get(key, 0.0) / base if base else 0.0,
            )
            for key in raw.keys
        ]
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
            if not isinstance(value, Mapping):
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
