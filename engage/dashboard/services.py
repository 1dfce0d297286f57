"""The numbers of a campaign dashboard, read in one pass over its counted responses.

Responses set aside (duplicates, spam) count nowhere. Counts of groups of people (by
language, area and every demographic dimension) hide groups smaller than the
suppression threshold, with complementary cells hidden too (``analysis.stats``), so a
hidden count cannot be recovered from a total.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from analysis.stats import Disaggregation, suppress
from engage.campaigns.waves import Wave
from engage.listening.services import summary as listening_summary
from engage.models import Answer, Campaign, Response, ResponseDraft, Survey, SurveyVersion
from engage.responses.services import definition_of
from surveys.results import Tally, dimension_groups, dimension_questions
from surveys.schema import Question, SurveyDefinition

UNDER_HEARD_RATIO = 0.8
BATCH = 1000


@dataclass(frozen=True)
class Row:
    """One line of a breakdown: ``count``/``share`` are None when hidden."""

    key: str
    count: int | None
    share: float | None
    baseline_share: float | None = None
    under_heard: bool = False

    @property
    def gap(self) -> float | None:
        if self.share is None or self.baseline_share is None:
            return None
        return self.share - self.baseline_share


@dataclass(frozen=True)
class Breakdown:
    """Counts of respondents by one dimension; ``total`` respondents with an answer."""

    dimension: str
    rows: list[Row]
    total: int
    hidden: int = 0
    question: Question | None = None

    @property
    def under_heard(self) -> list[Row]:
        return [row for row in self.rows if row.under_heard]


@dataclass
class Dashboard:
    responses: int = 0
    by_channel: Breakdown | None = None
    by_source: Breakdown | None = None
    by_week: list[tuple[date, int]] = field(default_factory=list)
    groups: list[Breakdown] = field(default_factory=list)
    representativeness: list[Breakdown] = field(default_factory=list)
    tally: Tally | None = None
    drop_off: list[Stop] = field(default_factory=list)
    started: int = 0
    # Listening sessions: how many, how many people took part, how many notes.
    sessions: tuple[int, int, int] = (0, 0, 0)


@dataclass(frozen=True)
class Respondent:
    version_id: int
    language: str
    area: str | None
    channel: str
    source: str | None
    submitted_at: datetime
    answers: dict[str, Any]


def stream_respondents(
    session: Session, campaign: Campaign, survey_id: int | None, period: Wave | None = None
) -> Iterator[Respondent]:
    """Counted responses with their answers (sent in ``period``), in batches in id order."""
    where = [Survey.campaign_id == campaign.id, ~Response.is_excluded]
    if survey_id is not None:
        where.append(Survey.id == survey_id)
    if period is not None:
        where.extend(period.conditions(Response.submitted_at))
    joined = (
        sa.select(Response.id)
        .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
        .join(Survey, SurveyVersion.survey_id == Survey.id)
        .where(*where)
    )
    responses = session.execute(
        sa.select(
            Response.id,
            Response.survey_version_id,
            Response.language,
            Response.area,
            Response.channel,
            Response.source_tag,
            Response.submitted_at,
        )
        .where(Response.id.in_(joined.scalar_subquery()))
        .order_by(Response.id)
        .execution_options(yield_per=BATCH)
    )
    answers = session.execute(
        sa.select(Answer.response_id, Answer.question_code, Answer.value)
        .where(Answer.response_id.in_(joined.scalar_subquery()))
        .order_by(Answer.response_id)
        .execution_options(yield_per=BATCH * 20)
    )
    grouped = itertools.groupby(answers, key=lambda row: row[0])
    pending = next(grouped, None)
    for response_id, version_id, language, area, channel, source, submitted_at in responses:
        found: dict[str, Any] = {}
        while pending is not None and pending[0] < response_id:
            pending = next(grouped, None)
        if pending is not None and pending[0] == response_id:
            found = {code: value for _id, code, value in pending[1]}
            pending = next(grouped, None)
        yield Respondent(version_id, language, area, str(channel), source, submitted_at, found)


def _shown(
    counts: Mapping[str, int], order: Sequence[str], total: int, threshold: int, *, suppressed: bool
) -> tuple[list[Row], int]:
    keys = list(order) + [k for k in counts if k not in order]
    values = [counts.get(k, 0) for k in keys]
    hidden = suppress(values, threshold) if suppressed and values else [False] * len(values)
    rows = [
        Row(key, None if hide else value, None if hide or not total else value / total)
        for key, value, hide in zip(keys, values, hidden, strict=True)
    ]
    return rows, int(sum(bool(h) for h in hidden))


def _breakdown(
    dimension: str,
    counts: Counter[str],
    total: int,
    threshold: int,
    *,
    order: Sequence[str] = (),
    suppressed: bool = True,
    question: Question | None = None,
) -> Breakdown:
    rows, hidden = _shown(counts, order, total, threshold, suppressed=suppressed)
    return Breakdown(dimension, rows, total, hidden, question)


def baseline_key(question: Question | None, value: str, baseline: Mapping[str, Any]) -> str:
    """The baseline group an answer belongs to: the option value itself, or a group
    named like one of the option's labels (a census table says "Riverside")."""
    if value in baseline or question is None:
        return value
    option = question.option(value)
    if option is not None:
        names = {label.casefold() for label in option.label.values()}
        for group in baseline:
            if str(group).casefold() in names:
                return str(group)
    return value


def _representativeness(
    dimension: str,
    counts: Counter[str],
    total: int,
    baseline: Mapping[str, float],
    threshold: int,
    question: Question | None,
) -> Breakdown:
    base_total = float(sum(float(v) for v in baseline.values())) or 1.0
    keys = [str(k) for k in baseline] + [k for k in counts if k not in baseline]
    values = [counts.get(k, 0) for k in keys]
    hidden = suppress(values, threshold) if values else []
    rows = []
    for key, value, hide in zip(keys, values, hidden, strict=True):
        base = baseline.get(key)
        base_share = float(base) / base_total if base is not None else None
        share = value / total if total else 0.0
        ratio = share / base_share if base_share else None
        rows.append(
            Row(
                key,
                None if hide else value,
                None if hide else share,
                base_share,
                # An under-heard group is named even when its count is hidden: that it
                # is small is exactly what the campaign needs to know.
                under_heard=ratio is not None and ratio < UNDER_HEARD_RATIO,
            )
        )
    return Breakdown(dimension, rows, total, int(sum(bool(h) for h in hidden)), question)


def respondent_groups(
    definition: SurveyDefinition, asked: Mapping[str, Question], respondent: Respondent
) -> dict[str, list[str]]:
    """The respondent's groups; language and area come from the response itself when
    the survey does not ask them (``asked``: the definition's ``dimension_questions``)."""
    found = dimension_groups(definition, respondent.answers)
    if "language" not in asked:
        found.setdefault("language", [respondent.language])
    if "area" not in asked and respondent.area:
        found.setdefault("area", [respondent.area])
    return found


def _week(moment: datetime) -> date:
    day = moment.date()
    return day - timedelta(days=day.weekday())


def build_dashboard(
    session: Session,
    campaign: Campaign,
    *,
    survey: Survey | None,
    threshold: int,
    wave: Wave | None = None,
    observers: Sequence[Callable[[Respondent], None]] = (),
) -> Dashboard:
    """Every figure of the dashboard, for the whole campaign or one of its surveys (or
    one wave of it); each of ``observers`` is handed every respondent of the same pass."""
    definitions = {v.id: definition_of(v) for s in campaign.surveys for v in s.versions}
    # Which question asks each dimension, worked out once per version, not per response.
    asked = {version_id: dimension_questions(d) for version_id, d in definitions.items()}
    current = survey.current_version if survey is not None else None
    tally = Tally(definitions[current.id]) if current else None
    channels: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    weeks: Counter[date] = Counter()
    groups: dict[str, Counter[str]] = {}
    answered: Counter[str] = Counter()
    questions: dict[str, Question] = {}
    baseline = campaign.baseline or {}
    n = 0
    for respondent in stream_respondents(session, campaign, survey.id if survey else None, wave):
        n += 1
        for observe in observers:
            observe(respondent)
        channels[respondent.channel] += 1
        sources[respondent.source or ""] += 1
        weeks[_week(respondent.submitted_at)] += 1
        version_asks = asked[respondent.version_id]
        found = respondent_groups(definitions[respondent.version_id], version_asks, respondent)
        for dimension, question in version_asks.items():
            questions.setdefault(dimension, question)
        for dimension, values in found.items():
            answered[dimension] += 1
            dim_base = baseline.get(dimension, {})
            keys = {baseline_key(questions.get(dimension), v, dim_base) for v in values}
            groups.setdefault(dimension, Counter()).update(keys)
        if tally is not None and respondent.version_id == current.id:
            tally.add(respondent.answers)
    board = Dashboard(responses=n, tally=tally, sessions=listening_summary(session, campaign))
    board.by_channel = _breakdown("channel", channels, n, threshold, suppressed=False)
    board.by_source = _breakdown("source", sources, n, threshold, suppressed=False)
    board.by_week = sorted(weeks.items())
    for dimension in sorted(groups, key=lambda d: (d not in baseline, d)):
        question = questions.get(dimension)
        counts, total = groups[dimension], answered[dimension]
        if baseline.get(dimension):
            board.representativeness.append(
                _representativeness(
                    dimension, counts, total, baseline[dimension], threshold, question
                )
            )
        else:
            order = [o.value for o in question.options] if question else []
            board.groups.append(
                _breakdown(dimension, counts, total, threshold, order=order, question=question)
            )
    if survey is not None:
        board.drop_off, board.started = _drop_off(session, survey, n, wave)
    return board


@dataclass(frozen=True)
class Stop:
    """A page where residents stopped without sending: its ``number`` in the survey
    (None for a page no longer in it) and its title per language."""

    key: str
    count: int
    number: int | None = None
    title: Mapping[str, str] = field(default_factory=dict)
    source_language: str = ""


def _drop_off(
    session: Session, survey: Survey, completed: int, wave: Wave | None = None
) -> tuple[list[Stop], int]:
    """How many residents stopped on each page (started, not sent), in page order."""
    stopped = dict(
        session.execute(
            sa.select(ResponseDraft.page_key, sa.func.count(ResponseDraft.id))
            .join(SurveyVersion, ResponseDraft.survey_version_id == SurveyVersion.id)
            .where(SurveyVersion.survey_id == survey.id, ResponseDraft.response_id.is_(None))
            .where(*(wave.conditions(ResponseDraft.started_at) if wave else ()))
            .group_by(ResponseDraft.page_key)
        ).all()
    )
    version = survey.current_version
    definition = definition_of(version) if version else None
    pages = definition.pages if definition else ()
    source = definition.source_language if definition else ""
    rows = [
        Stop(p.key, int(stopped.pop(p.key, 0)), number, p.title, source)
        for number, p in enumerate(pages, 1)
    ]
    rows += [Stop(str(key or ""), int(count)) for key, count in stopped.items()]
    return rows, completed + sum(stop.count for stop in rows)


@dataclass(frozen=True)
class MeanCell:
    """A mean and how many answered it; both None when hidden (``hidden``), or the
    mean None with ``n`` 0 when nobody in the group answered."""

    mean: float | None
    n: int | None
    hidden: bool = False


@dataclass(frozen=True)
class MeanTable:
    """Means by group: a row per question (a rating, scale or number) or per ranked
    option (its mean rank); a column per group, and the ``overall`` cell of each row.

    A group of fewer people than the threshold is hidden, with one more group when it
    would be the only one hidden (its mean could be worked out from the overall mean);
    so is a cell answered by fewer people than the threshold (a ranking's option)."""

    rows: list[str]
    columns: list[Any]
    cells: list[list[MeanCell]]
    overall: list[MeanCell]
    people: list[int | None]
    hidden_groups: int = 0
    hidden_cells: int = 0


@dataclass(frozen=True)
class CrossTab:
    """A closed question's answers (rows) by a dimension's groups (columns), or by pairs
    of groups of two dimensions (an intersection: each column a ``(group, group)``).

    ``kind``: ``counts`` (options; a grid's rows are ``(row, option)`` pairs), ``ranking``
    (who ranked each option first, and ``means`` of the ranks) or ``means`` (ratings,
    scales and numbers: ``table`` is None)."""

    question: Question
    dimension_question: Question | None
    table: Disaggregation | None
    dimensions: tuple[str, ...] = ()
    dimension_questions: tuple[Question | None, ...] = ()
    means: MeanTable | None = None
    kind: str = "counts"
