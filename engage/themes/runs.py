"""Runs over part of a campaign's feedback, and the history of every run.

A workgroup may analyse only some of the feedback: one survey, one question, one wave of
a survey, one language, one channel, a period. The filters are kept in the run's
``parameters`` (``{"filtered": true, "filters": {...}}``) and applied when the run
selects its feedback (:func:`filter_conditions`).

How a filtered run relates to the board
---------------------------------------
A filtered run is an *exploration*: its themes are read from the history of runs (each
run has a read-only page), never put on the board. The board
(:mod:`engage.themes.board`), the placing of new feedback, the quote explorer and the
backlog follow only the latest finished run over *all* the feedback
(``AnalysisRun.is_filtered`` is false), so exploring a corner of the feedback never
reshuffles what the workgroup has shaped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from engage.campaigns.waves import Wave, wave_numbered
from engage.models import AnalysisRun, Campaign, FeedbackItem, Response, SurveyVersion, User
from engage.responses.forms import CHANNEL_LABELS
from surveys.i18n import text_for

# The roles a run clusters (see ``services.CLUSTERED_ROLES``), offered as questions.
QUESTION_ROLES = ("open_feedback", "job_obstacle")
FILTER_ERRORS = (
    "unknown_survey",
    "unknown_question",
    "unknown_wave",
    "wave_needs_survey",
    "unknown_language",
    "unknown_channel",
    "dates_reversed",
)
MAX_ID = 2**31 - 1


class FilterError(Exception):
    """Filters a run cannot use; ``code`` is one of ``FILTER_ERRORS``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class RunFilters:
    """Which feedback a run analyses; ``None``: any."""

    survey_id: int | None = None
    question: str | None = None
    wave: int | None = None
    language: str | None = None
    channel: str | None = None
    since: date | None = None
    until: date | None = None

    @property
    def any(self) -> bool:
        return any(v is not None for v in self.__dict__.values())

    def to_parameters(self) -> dict[str, Any]:
        found = {k: v for k, v in self.__dict__.items() if v is not None}
        for key in ("since", "until"):
            if key in found:
                found[key] = found[key].isoformat()
        return found

    @classmethod
    def from_parameters(cls, parameters: dict[str, Any] | None) -> RunFilters:
        raw = (parameters or {}).get("filters") or {}
        if not isinstance(raw, dict):
            return cls()

        def day(value: Any) -> date | None:
            try:
                return date.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                return None

        def number(value: Any) -> int | None:
            return value if isinstance(value, int) and 0 < value <= MAX_ID else None

        def text(value: Any) -> str | None:
            return value if isinstance(value, str) and value else None

        return cls(
            survey_id=number(raw.get("survey_id")),
            question=text(raw.get("question")),
            wave=number(raw.get("wave")),
            language=text(raw.get("language")),
            channel=text(raw.get("channel")),
            since=day(raw.get("since")),
            until=day(raw.get("until")),
        )


@dataclass
class FilterChoices:
    """What a campaign offers to narrow a run to (values and labels)."""

    surveys: list[tuple[str, str]] = field(default_factory=list)
    questions: list[tuple[str, str]] = field(default_factory=list)
    waves: list[tuple[str, str]] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    channels: list[str] = field(default_factory=list)


def filter_choices(session: Session, campaign: Campaign, lang: str) -> FilterChoices:
    """The campaign's surveys, open questions (by code, with their text), waves (numbers
    up to the most any survey has), languages and channels."""
    from engage.campaigns.waves import waves_of
    from engage.responses.services import definition_of  # it imports the themes' services

    choices = FilterChoices()
    seen: set[str] = set()
    most_waves = 1
    for survey in campaign.surveys:
        choices.surveys.append((str(survey.id), survey.slug))
        most_waves = max(most_waves, len(waves_of(survey)))
        for version in reversed(survey.versions):
            definition = definition_of(version)
            for q in definition.questions():
                if q.analysis_role in QUESTION_ROLES and q.code not in seen:
                    seen.add(q.code)
                    label = text_for(q.label, lang, definition.source_language)[0]
                    choices.questions.append((q.code, f"{label} ({q.code})"))
    choices.waves = [(str(n), str(n)) for n in range(1, most_waves + 1)]
    used = session.scalars(
        sa.select(FeedbackItem.language)
        .where(FeedbackItem.campaign_id == campaign.id)
        .distinct()
        .order_by(FeedbackItem.language)
    )
    choices.languages = list(dict.fromkeys([*campaign.languages, *used]))
    choices.channels = list(CHANNEL_LABELS)
    return choices


def check_filters(session: Session, campaign: Campaign, filters: RunFilters) -> Wave | None:
    """Refuse filters naming what the campaign does not have; returns the wave period.

    Raises:
        FilterError: one of ``FILTER_ERRORS``.
    """
    survey = None
    if filters.survey_id is not None:
        survey = next((s for s in campaign.surveys if s.id == filters.survey_id), None)
        if survey is None:
            raise FilterError("unknown_survey")
    needed = filters.question is not None or filters.language is not None
    offered = filter_choices(session, campaign, "en") if needed else FilterChoices()
    if filters.question is not None and filters.question not in dict(offered.questions):
        raise FilterError("unknown_question")
    wave = None
    if filters.wave is not None:
        if survey is None:
            raise FilterError("wave_needs_survey")
        wave = wave_numbered(survey, filters.wave)
        if wave is None:
            raise FilterError("unknown_wave")
    if filters.channel is not None and filters.channel not in CHANNEL_LABELS:
        raise FilterError("unknown_channel")
    if filters.language is not None and filters.language not in offered.languages:
        raise FilterError("unknown_language")
    if filters.since and filters.until and filters.since > filters.until:
        raise FilterError("dates_reversed")
    return wave


def _moment(day: date) -> datetime:
    return datetime.combine(day, time.min).replace(tzinfo=UTC)


def filter_conditions(
    session: Session, campaign: Campaign, filters: RunFilters
) -> list[sa.ColumnElement[bool]]:
    """SQL conditions on ``FeedbackItem`` for ``filters`` (none for an unfiltered run).

    A feedback item's moment is its response's ``submitted_at`` (a paper form typed in
    later keeps its real date), or when it was stored (a listening-session note).
    """
    if not filters.any:
        return []
    wave = check_filters(session, campaign, filters)
    response = aliased(Response)
    found: list[sa.ColumnElement[bool]] = []
    if filters.survey_id is not None:
        versions = sa.select(SurveyVersion.id).where(SurveyVersion.survey_id == filters.survey_id)
        responses = sa.select(response.id).where(response.survey_version_id.in_(versions))
        if wave is not None:
            responses = responses.where(*wave.conditions(response.submitted_at))
        found.append(FeedbackItem.response_id.in_(responses))
    if filters.question is not None:
        found.append(FeedbackItem.question_code == filters.question)
    if filters.language is not None:
        found.append(FeedbackItem.language == filters.language)
    if filters.channel is not None:
        found.append(FeedbackItem.channel == filters.channel)
    if filters.since or filters.until:
        sent = (
            sa.select(response.submitted_at)
            .where(response.id == FeedbackItem.response_id)
            .scalar_subquery()
        )
        moment = sa.func.coalesce(sent, FeedbackItem.created_at)
        if filters.since:
            found.append(moment >= _moment(filters.since))
        if filters.until:
            found.append(moment < _moment(filters.until + timedelta(days=1)))
    return found


# -- the history ----------------------------------------------------------------------


@dataclass(frozen=True)
class RunSummary:
    """One run as the history shows it."""

    run: AnalysisRun
    filters: RunFilters
    started_by: str | None
    backend: str | None
    themes: int


def run_history(session: Session, campaign: Campaign) -> list[RunSummary]:
    """Every run of the campaign, newest first, with who started it and what it used."""
    from engage.models import Theme

    runs = list(
        session.scalars(
            sa.select(AnalysisRun)
            .where(AnalysisRun.campaign_id == campaign.id)
            .order_by(AnalysisRun.created_at.desc(), AnalysisRun.id.desc())
        )
    )
    ids = [r.id for r in runs]
    names = dict(
        session.execute(
            sa.select(User.id, User.name).where(
                User.id.in_({r.created_by_id for r in runs if r.created_by_id})
            )
        )
        .tuples()
        .all()
    )
    counts = (
        dict(
            session.execute(
                sa.select(Theme.run_id, sa.func.count())
                .where(Theme.run_id.in_(ids), Theme.parent_key.is_(None))
                .group_by(Theme.run_id)
            )
            .tuples()
            .all()
        )
        if ids
        else {}
    )
    return [
        RunSummary(
            run,
            RunFilters.from_parameters(run.parameters),
            names.get(run.created_by_id) if run.created_by_id else None,
            ((run.meta or {}).get("engine") or {}).get("backend_used")
            or (run.parameters or {}).get("backend"),
            counts.get(run.id, 0),
        )
        for run in runs
    ]


def get_run(session: Session, campaign: Campaign, run_id: Any) -> AnalysisRun | None:
    """The run ``run_id`` of the campaign (None for any other id)."""
    if not isinstance(run_id, int) or not 0 < run_id <= MAX_ID:
        return None
    run = session.get(AnalysisRun, run_id)
    return run if run is not None and run.campaign_id == campaign.id else None


def survey_names(campaign: Campaign) -> dict[int, str]:
    return {s.id: s.slug for s in campaign.surveys}


def question_names(session: Session, campaign: Campaign, lang: str) -> dict[str, str]:
    return dict(filter_choices(session, campaign, lang).questions)
