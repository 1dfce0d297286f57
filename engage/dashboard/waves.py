"""Wave over wave: what changed between a survey's wave and the wave before it.

For the chosen wave (the latest when all waves are shown) and the previous one: how
many responses each counted, and for each closed question with options (single and
multiple choice, yes/no) the share of each option among the people who answered it in
each wave, and the change in percentage points. A grid does the same for each of its
rows (the share of those who answered that row); a ranking for the option ranked first
(the share of those who ranked), and compares each option's mean rank. Ratings, scales
and numbers compare their means. Counts below the suppression threshold are hidden per wave (with a
complementary cell, ``analysis.stats.suppress``), and so is every share and change
worked out from a hidden count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session
from wtforms.fields.choices import SelectChoice

from analysis.stats import suppress
from engage.campaigns.waves import Wave, wave_name, waves_of
from engage.dashboard.services import stream_respondents
from engage.models import Campaign, Survey
from engage.responses.services import definition_of
from surveys.results import QuestionTally, Tally
from surveys.schema import Question

# Storages whose answers are options (shares per option); and those compared by mean.
OPTION_STORAGE = frozenset({"choice", "choices", "yes_no"})
MEAN_STORAGE = frozenset({"rating", "scale", "number"})
# Grids (a share per row and option) and rankings (first choices and mean ranks).
GRID_STORAGE, RANKING_STORAGE = "matrix", "ranking"
COMPARED_STORAGE = OPTION_STORAGE | MEAN_STORAGE | {GRID_STORAGE, RANKING_STORAGE}


@dataclass(frozen=True)
class Cell:
    """One option in one wave: ``count`` and ``share`` are None when hidden."""

    count: int | None
    share: float | None


@dataclass(frozen=True)
class OptionChange:
    """An option's share in both waves; ``row`` is the grid row it belongs to, if any."""

    key: str
    before: Cell
    after: Cell
    row: str = ""

    @property
    def points(self) -> float | None:
        """The change in percentage points, or None if either share is hidden."""
        if self.before.share is None or self.after.share is None:
            return None
        return (self.after.share - self.before.share) * 100


@dataclass(frozen=True)
class RankChange:
    """An option's mean rank in both waves (None when fewer than the threshold ranked it)."""

    key: str
    before: float | None
    after: float | None

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class QuestionChange:
    """One closed question in both waves: ``answered`` per wave, options or means;
    for a ranking, ``options`` are first choices and ``ranks`` the mean ranks."""

    question: Question
    answered: tuple[int, int]
    options: list[OptionChange]
    means: tuple[float | None, float | None] = (None, None)
    hidden: int = 0
    ranks: list[RankChange] = field(default_factory=list)

    @property
    def mean_change(self) -> float | None:
        before, after = self.means
        return None if before is None or after is None else after - before


@dataclass(frozen=True)
class WaveChange:
    previous: Wave
    current: Wave
    respondents: tuple[int, int]
    questions: list[QuestionChange]

    @property
    def names(self) -> tuple[str, str]:
        return wave_name(self.previous), wave_name(self.current)

    @property
    def respondents_change(self) -> int:
        return self.respondents[1] - self.respondents[0]


def set_wave_choices(form: Any, survey: Survey | None) -> None:
    """Offer the survey's waves when it has several; a wave it does not have (left in
    the address after choosing another survey) falls back to all waves."""
    waves = waves_of(survey) if survey is not None else []
    form.wave.choices = [SelectChoice("", _("All waves"))]
    if len(waves) > 1:
        form.wave.choices += [SelectChoice(str(w.number), wave_name(w)) for w in waves]
    if form.wave.data not in {choice.value for choice in form.wave.choices}:
        form.wave.data = ""


def chosen_wave(survey: Survey | None, number: str | None) -> Wave | None:
    """The wave the dashboard is narrowed to, or None for all of them."""
    if survey is None or not number:
        return None
    waves = waves_of(survey)
    return next((w for w in waves if str(w.number) == number), None) if len(waves) > 1 else None


def chosen_survey_and_wave(campaign: Campaign, form: Any) -> tuple[Survey | None, Wave | None]:
    """The survey the dashboard shows, and the wave of it (None: all waves)."""
    from engage.dashboard.choices import chosen_survey  # choices offers the waves from here

    survey = chosen_survey(campaign, form)
    return survey, chosen_wave(survey, form.wave.data)


def _cells(
    counted: Mapping[str, int], answered: int, keys: list[str], threshold: int
) -> tuple[list[Cell], int]:
    """Each key's count and share of ``answered``, small counts hidden with complements."""
    counts = [counted.get(key, 0) for key in keys]
    hidden = suppress(counts, threshold) if counts else []
    cells = [
        Cell(
            None if hide else count,
            None if hide or not answered else count / answered,
        )
        for count, hide in zip(counts, hidden, strict=True)
    ]
    return cells, int(sum(bool(h) for h in hidden))


def _options(
    before: Mapping[str, int],
    after: Mapping[str, int],
    answered: tuple[int, int],
    keys: list[str],
    threshold: int,
    row: str = "",
) -> tuple[list[OptionChange], int]:
    cells_before, hidden_before = _cells(before, answered[0], keys, threshold)
    cells_after, hidden_after = _cells(after, answered[1], keys, threshold)
    options = [
        OptionChange(key, b, a, row)
        for key, b, a in zip(keys, cells_before, cells_after, strict=True)
    ]
    return options, hidden_before + hidden_after


def _grid(before: QuestionTally, after: QuestionTally, threshold: int) -> QuestionChange:
    """Each grid row on its own: an option's share of the people who answered that row."""
    keys = [o.value for o in before.question.options]
    options, hidden = [], 0
    for grid_row in before.question.rows:
        counts = (before.rows.get(grid_row.value, {}), after.rows.get(grid_row.value, {}))
        answered = (sum(counts[0].values()), sum(counts[1].values()))
        found, n = _options(*counts, answered, keys, threshold, grid_row.value)
        options += found
        hidden += n
    return QuestionChange(
        before.question, (before.answered, after.answered), options, hidden=hidden
    )


def _mean_rank(tally: QuestionTally, key: str, threshold: int) -> float | None:
    """The option's mean rank, unless fewer people than the threshold ranked it."""
    return tally.mean_rank(key) if len(tally.ranks.get(key, [])) >= threshold else None


def _compare(before: QuestionTally, after: QuestionTally, threshold: int) -> QuestionChange:
    answered = (before.answered, after.answered)
    if before.storage in MEAN_STORAGE:
        # A mean of fewer people than the threshold could single somebody out.
        means = tuple(t.mean if t.answered >= threshold else None for t in (before, after))
        return QuestionChange(before.question, answered, [], means)  # type: ignore[arg-type]
    if before.storage == GRID_STORAGE:
        return _grid(before, after, threshold)
    keys = list(after.keys)
    keys += [k for k in before.keys if k not in keys]
    # A ranking's counts are its first choices, shares of the people who ranked.
    options, hidden = _options(before.counts, after.counts, answered, keys, threshold)
    ranks = []
    if before.storage == RANKING_STORAGE:
        ranks = [
            RankChange(key, _mean_rank(before, key, threshold), _mean_rank(after, key, threshold))
            for key in keys
        ]
    return QuestionChange(before.question, answered, options, hidden=hidden, ranks=ranks)


def wave_change(
    session: Session, campaign: Campaign, survey: Survey | None, wave: Wave | None, threshold: int
) -> WaveChange | None:
    """The chosen wave (or the latest) against the one before; None with one wave."""
    waves = waves_of(survey) if survey is not None and survey.current_version else []
    if survey is None or len(waves) < 2:
        return None
    current = wave or waves[-1]
    if current.number < 2:
        return None
    previous = waves[current.number - 2]
    definition = definition_of(survey.current_version)
    # Every version's answers, matched by question code: a wave may have answered an
    # earlier version of the same questions.
    tallies = {previous.number: Tally(definition), current.number: Tally(definition)}
    for respondent in stream_respondents(session, campaign, survey.id, previous.spanning(current)):
        number = current.number if current.contains(respondent.submitted_at) else previous.number
        tallies[number].add(respondent.answers)
    before, after = tallies[previous.number], tallies[current.number]
    questions = [
        _compare(tally, after.questions[code], threshold)
        for code, tally in before.questions.items()
        if tally.storage in COMPARED_STORAGE and (tally.answered or after.questions[code].answered)
    ]
    return WaveChange(previous, current, (before.responses, after.responses), questions)
