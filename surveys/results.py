"""What residents answered to closed questions, counted; and who they are, by dimension.

Everything here reads stored answers (as :func:`surveys.validation.validate_answers`
leaves them) one response at a time, so a dashboard can stream a campaign's responses.

* :class:`Tally` counts a survey's closed questions: each option of single and multiple
  choice (a multiple choice counts each option chosen, not each combination), each
  point of ratings and scales (with their mean), numbers (mean, median, range), grids
  (each row's options), rankings (mean rank and how often each option came first).
* :func:`dimension_groups`: a respondent's groups on each demographic dimension.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from surveys.schema import Question, SurveyDefinition
from surveys.types import get_type

CLOSED_STORAGE = frozenset(
    {"choice", "choices", "yes_no", "rating", "scale", "number", "matrix", "ranking", "consent"}
)
PREFER_NOT_TO_SAY = "prefer_not_to_say"


@dataclass
class QuestionTally:
    """The counts for one closed question. ``counts`` by option value (or point, or
    ``yes``/``no``); ``rows`` by grid row; ``numbers`` keeps numeric answers."""

    question: Question
    storage: str
    answered: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    rows: dict[str, Counter[str]] = field(default_factory=dict)
    numbers: list[float] = field(default_factory=list)
    ranks: dict[str, list[int]] = field(default_factory=dict)

    def add(self, value: Any) -> None:
        if value is None:
            return
        self.answered += 1
        if self.storage == "matrix" and isinstance(value, Mapping):
            for row, column in value.items():
                self.rows.setdefault(str(row), Counter())[str(column)] += 1
        elif self.storage == "ranking" and isinstance(value, list):
            for rank, option in enumerate(value, 1):
                self.ranks.setdefault(str(option), []).append(rank)
            if value:
                self.counts[str(value[0])] += 1
        elif isinstance(value, list):
            self.counts.update(str(v) for v in value)
        elif isinstance(value, bool):
            self.counts["yes" if value else "no"] += 1
        elif isinstance(value, int | float):
            self.numbers.append(float(value))
            self.counts[str(int(value)) if float(value).is_integer() else str(value)] += 1
        else:
            self.counts[str(value)] += 1

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.numbers) if self.numbers else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.numbers) if self.numbers else None

    @property
    def keys(self) -> list[str]:
        """The answers in reading order: options as defined, points and numbers ascending."""
        if self.question.options:
            return [o.value for o in self.question.options]

        def order(key: str) -> tuple[int, float, str]:
            try:
                return (0, float(key), key)
            except ValueError:
                return (1, 0.0, key)

        return sorted(self.counts, key=order)

    def mean_rank(self, option: str) -> float | None:
        ranks = self.ranks.get(option)
        return statistics.fmean(ranks) if ranks else None


class Tally:
    """The closed questions of one survey definition, counted response by response."""

    def __init__(self, definition: SurveyDefinition) -> None:
        self.definition = definition
        self.responses = 0
        # Demographic questions are counted as groups of people, with small groups
        # hidden (see ``dimension_groups``), never here.
        self.questions = {
            q.code: QuestionTally(q, get_type(q.type).storage)
            for q in definition.questions()
            if get_type(q.type).storage in CLOSED_STORAGE and not q.dimension
        }

    def add(self, answers: Mapping[str, Any]) -> None:
        self.responses += 1
        for code, tally in self.questions.items():
            tally.add(answers.get(code))


def dimension_groups(
    definition: SurveyDefinition, answers: Mapping[str, Any]
) -> dict[str, list[str]]:
    """Each demographic dimension's groups for one respondent (several for a multiple
    choice such as race/ethnicity; none when unanswered or "prefer not to say")."""
    groups: dict[str, list[str]] = {}
    for q in definition.questions():
        if not q.dimension or q.code not in answers:
            continue
        value = answers[q.code]
        values = value if isinstance(value, list) else [value]
        chosen = [str(v) for v in values if v not in (None, "", PREFER_NOT_TO_SAY)]
        if chosen:
            groups.setdefault(q.dimension, []).extend(chosen)
    return groups


def dimension_questions(definition: SurveyDefinition) -> dict[str, Question]:
    """The question that asks each demographic dimension (the first, if several do)."""
    found: dict[str, Question] = {}
    for q in definition.questions():
        if q.dimension and q.dimension not in found:
            found[q.dimension] = q
    return found
