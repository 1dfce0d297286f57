"""Compare groups: a closed question's answers by a demographic dimension, or by the
intersections of two, counted one respondent at a time along the dashboard's own pass.

* Single and multiple choice, yes/no: how many people in each group chose each answer.
* Grids: a row per grid row and option; each grid row is its own table for the hiding
  of small cells (its columns add up to the people in the group who answered that row).
* Rankings: how many people in each group ranked each option first, and each option's
  mean rank by group.
* Ratings, scales and numbers: the mean by group, with how many answered.

A person in several groups of a dimension (a multiple choice such as race/ethnicity)
counts in each of them, and so in each of their pairs; a person who did not say their
group on either dimension is left out. Small cells are hidden with their complements
(``analysis.stats.suppress``); for means, groups of fewer people than the threshold.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from analysis.stats import Disaggregation, disaggregate, suppress
from engage.campaigns.waves import Wave
from engage.dashboard.services import (
    CrossTab,
    MeanCell,
    MeanTable,
    Respondent,
    respondent_groups,
    stream_respondents,
)
from engage.dashboard.waves import (
    COMPARED_STORAGE,
    GRID_STORAGE,
    MEAN_STORAGE,
    RANKING_STORAGE,
)
from engage.models import Campaign, Survey
from engage.responses.services import definition_of
from surveys.results import dimension_questions
from surveys.schema import Question
from surveys.types import get_type

COMPARABLE = COMPARED_STORAGE  # the storages waves compare, compared by group too


def storage_of(question: Question) -> str:
    return get_type(question.type).storage


def comparable(question: Question) -> bool:
    """Whether "Compare groups" offers the question (demographics are the groups)."""
    return storage_of(question) in COMPARABLE and not question.dimension


def _group_order(question: Question | None, present: set[str]) -> list[str]:
    """Groups in the order the question offers them, then any others, sorted."""
    offered = [o.value for o in question.options if o.value in present] if question else []
    return offered + sorted(present - set(offered))


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return float(value)
    except ValueError:
        return None


def mean_table(
    sums: Mapping[tuple[str, Any], float],
    counts: Mapping[tuple[str, Any], int],
    people: Mapping[Any, int],
    overall: Mapping[str, tuple[float, int]],
    rows: list[str],
    columns: list[Any],
    threshold: int,
) -> MeanTable:
    """Means by group with small groups hidden (see :class:`MeanTable`)."""
    group_sizes = [people.get(c, 0) for c in columns]
    hidden_columns = suppress(group_sizes, threshold) if columns else np.zeros(0, bool)
    cells: list[list[MeanCell]] = []
    hidden_cells = 0
    for row in rows:
        ns = [counts.get((row, c), 0) for c in columns]
        hide = (suppress(ns, threshold) if columns else np.zeros(0, bool)) | hidden_columns
        hidden_cells += int((hide & ~hidden_columns).sum())
        line = []
        for column, n, hidden in zip(columns, ns, hide, strict=True):
            if hidden:
                line.append(MeanCell(None, None, True))
            else:
                line.append(MeanCell(sums.get((row, column), 0.0) / n if n else None, n))
        cells.append(line)
    totals = []
    for row in rows:
        total, n = overall.get(row, (0.0, 0))
        shown = n >= threshold
        totals.append(MeanCell(total / n if shown else None, n if shown else None, not shown))
    return MeanTable(
        rows,
        columns,
        cells,
        totals,
        [None if h else n for n, h in zip(group_sizes, hidden_columns, strict=True)],
        int(hidden_columns.sum()),
        hidden_cells,
    )


def _stack(blocks: list[Disaggregation], rows: list[Any], threshold: int) -> Disaggregation:
    """Grid rows' tables, one under the other (each suppressed on its own)."""
    return Disaggregation(
        rows=rows,
        columns=blocks[0].columns,
        counts=[line for block in blocks for line in block.counts],
        row_totals=[t for block in blocks for t in block.row_totals],
        column_totals=[
            int(sum(column)) for column in zip(*(b.column_totals for b in blocks), strict=True)
        ],
        total=sum(block.total for block in blocks),
        threshold=threshold,
        hidden=np.vstack([block.hidden for block in blocks]),
    )


class CrossTabCounter:
    """Counts a closed question's answers by a demographic dimension, or by the
    intersections of two (``dimension2``), one respondent at a time (see the module)."""

    def __init__(
        self,
        survey: Survey,
        code: str,
        dimension: str,
        threshold: int,
        dimension2: str | None = None,
    ) -> None:
        self.version = survey.current_version
        self.threshold = threshold
        self.code = code
        self.question: Question | None = None
        self.storage = ""
        if self.version is not None:
            self.definition = definition_of(self.version)
            self.asked = dimension_questions(self.definition)
            found = next((q for q in self.definition.questions() if q.code == code), None)
            if found is not None and comparable(found):
                self.question, self.storage = found, storage_of(found)
        same = not dimension2 or dimension2 == dimension
        self.dims = (dimension,) if same else (dimension, dimension2)
        # Counts: one (row, column) per person and answer.
        self.rows: list[Any] = []
        self.columns: list[Any] = []
        # Means: sums and counts by (row, column); people by column; overall by row.
        self.sums: Counter[tuple[str, Any]] = Counter()
        self.counts: Counter[tuple[str, Any]] = Counter()
        self.people: Counter[Any] = Counter()
        self.overall: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
        self.seen: set[Any] = set()

    @property
    def wanted(self) -> bool:
        return self.question is not None

    @property
    def kind(self) -> str:
        if self.storage in MEAN_STORAGE:
            return "means"
        return "ranking" if self.storage == RANKING_STORAGE else "counts"

    def add(self, respondent: Respondent) -> None:
        if not self.wanted or respondent.version_id != self.version.id:
            return
        value = respondent.answers.get(self.code)
        if value is None or value == [] or value == {}:
            return
        found = respondent_groups(self.definition, self.asked, respondent)
        cells = itertools.product(*(found.get(d, []) for d in self.dims))
        keys = [key[0] if len(self.dims) == 1 else key for key in cells]
        if not keys:
            return
        self.seen.update(keys)
        if self.storage == GRID_STORAGE:
            pairs = value.items() if isinstance(value, Mapping) else []
            self._count(keys, [(str(r), str(o)) for r, o in pairs])
        elif self.storage == RANKING_STORAGE:
            ranked = [str(v) for v in value] if isinstance(value, list) else []
            self._count(keys, ranked[:1])
            self._average(keys, {option: rank for rank, option in enumerate(ranked, 1)})
        elif self.storage in MEAN_STORAGE:
            number = _number(value)
            if number is not None:
                self._average(keys, {self.code: number})
        elif isinstance(value, bool):
            self._count(keys, ["yes" if value else "no"])
        else:
            values = value if isinstance(value, list) else [value]
            self._count(keys, [str(v) for v in values if v is not None])

    def _count(self, keys: list[Any], values: list[Any]) -> None:
        for key in keys:
            self.rows.extend(values)
            self.columns.extend([key] * len(values))

    def _average(self, keys: list[Any], values: Mapping[str, float]) -> None:
        if not values:
            return
        for key in keys:
            self.people[key] += 1
            for row, number in values.items():
                self.sums[(row, key)] += number
                self.counts[(row, key)] += 1
        for row, number in values.items():
            self.overall[row][0] += number
            self.overall[row][1] += 1

    def _column_order(self) -> list[Any]:
        dims, present = self.dims, self.seen
        orders = [
            _group_order(self.asked.get(d), {c if len(dims) == 1 else c[i] for c in present})
            for i, d in enumerate(dims)
        ]
        if len(dims) == 1:
            return orders[0]
        return [pair for pair in itertools.product(*orders) if pair in present]

    def _table(self, columns: list[Any]) -> Disaggregation | None:
        assert self.question is not None
        question = self.question
        if self.storage == GRID_STORAGE:
            options = [o.value for o in question.options]
            blocks, rows = [], []
            for grid_row in question.rows:
                picked = [
                    (o, c)
                    for (r, o), c in zip(self.rows, self.columns, strict=True)
                    if r == grid_row.value
                ]
                blocks.append(
                    disaggregate(
                        [o for o, _c in picked],
                        [c for _o, c in picked],
                        threshold=self.threshold,
                        row_order=options,
                        column_order=columns,
                    )
                )
                rows += [(grid_row.value, o) for o in options]
            return _stack(blocks, rows, self.threshold) if blocks else None
        order = ["yes", "no"] if self.storage == "yes_no" else [o.value for o in question.options]
        return disaggregate(
            self.rows,
            self.columns,
            threshold=self.threshold,
            row_order=order,
            column_order=columns,
        )

    def result(self) -> CrossTab | None:
        if self.question is None or not self.seen:
            return None
        columns = self._column_order()
        table = None if self.kind == "means" else self._table(columns)
        means = None
        if self.kind != "counts":
            rows = [self.code] if self.kind == "means" else [o.value for o in self.question.options]
            overall = {row: (float(s), int(n)) for row, (s, n) in self.overall.items()}
            means = mean_table(
                self.sums, self.counts, self.people, overall, rows, columns, self.threshold
            )
        questions = tuple(self.asked.get(d) for d in self.dims)
        return CrossTab(self.question, questions[0], table, self.dims, questions, means, self.kind)


def crosstab(
    session: Session,
    campaign: Campaign,
    survey: Survey,
    code: str,
    dimension: str,
    threshold: int,
    dimension2: str | None = None,
    *,
    wave: Wave | None = None,
) -> CrossTab | None:
    """A closed question's answers by a dimension (or two), in a pass of its own."""
    counter = CrossTabCounter(survey, code, dimension, threshold, dimension2)
    if not counter.wanted:
        return None
    for respondent in stream_respondents(session, campaign, survey.id, wave):
        counter.add(respondent)
    return counter.result()
