"""A survey's waves: the same survey asked again, each wave a period of time.

Wave 1 runs from the survey's beginning; each later wave starts when staff start it and
runs until the next one starts. A response belongs to the last wave started at or
before its ``submitted_at`` — worked out here, never stored, so taking answers does not
change and a paper form typed in later with its real date falls in the right wave.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engage.audit.services import record
from engage.models import (
    AuditAction,
    IllegalTransition,
    Response,
    Survey,
    SurveyVersion,
    SurveyWave,
)
from engage.orm import utcnow


@dataclass(frozen=True)
class Wave:
    """One wave of a survey: from ``starts_at`` (None: the beginning) until ``ends_at``
    (None: still running), the end excluded."""

    number: int
    label: str = ""
    starts_at: datetime | None = None
    ends_at: datetime | None = None

    def contains(self, moment: datetime) -> bool:
        """Whether a response sent at ``moment`` belongs to this wave."""
        after_start = self.starts_at is None or moment >= self.starts_at
        return after_start and (self.ends_at is None or moment < self.ends_at)

    def conditions(self, column: Any) -> list[sa.ColumnElement[bool]]:
        """SQL conditions for ``column`` (a timestamp) falling in the wave."""
        found = []
        if self.starts_at is not None:
            found.append(column >= self.starts_at)
        if self.ends_at is not None:
            found.append(column < self.ends_at)
        return found

    def spanning(self, later: Wave) -> Wave:
        """A period from this wave's start to the end of ``later``."""
        return Wave(self.number, "", self.starts_at, later.ends_at)


def wave_name(wave: Wave) -> str:
    """ "Wave 2", or "Wave 2 · Spring 2027" when it has a name."""
    name = _("Wave %(number)d", number=wave.number)
    return f"{name} · {wave.label}" if wave.label else name


def waves_of(survey: Survey) -> list[Wave]:
    """The survey's waves in order; always at least wave 1."""
    rows: Sequence[SurveyWave] = survey.waves
    starts: list[datetime | None] = [None, *(row.starts_at for row in rows)]
    labels = ["", *(row.label for row in rows)]
    ends = [*starts[1:], None]
    return [
        Wave(number, labels[number - 1], starts[number - 1], ends[number - 1])
        for number in range(1, len(starts) + 1)
    ]


def wave_of(waves: Sequence[Wave], moment: datetime) -> Wave:
    """The wave a response sent at ``moment`` belongs to (``waves`` from :func:`waves_of`)."""
    starts = [wave.starts_at for wave in waves[1:]]
    return waves[bisect_right(starts, moment)]  # type: ignore[arg-type]


def wave_numbered(survey: Survey, number: int | str | None) -> Wave | None:
    """The survey's wave ``number``, or None if it has no such wave."""
    try:
        index = int(number or 0) - 1
    except ValueError:
        return None
    waves = waves_of(survey)
    return waves[index] if 0 <= index < len(waves) else None


def first_published_at(survey: Survey) -> datetime | None:
    """When wave 1 began for residents: the survey's first publication."""
    return survey.versions[0].published_at if survey.versions else None


def count_by_wave(session: Session, survey: Survey) -> dict[int, int]:
    """How many counted responses (not set aside) each wave of the survey has."""
    waves = waves_of(survey)
    counts = dict.fromkeys((w.number for w in waves), 0)
    later = [(Response.submitted_at >= w.starts_at, w.number) for w in reversed(waves[1:])]
    number = sa.case(*later, else_=1) if later else sa.literal(1)
    rows = session.execute(
        sa.select(number.label("wave"), sa.func.count(Response.id))
        .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
        .where(SurveyVersion.survey_id == survey.id, ~Response.is_excluded)
        .group_by("wave")
    )
    for number, count in rows:
        counts[int(number)] = int(count)
    return counts


def start_wave(session: Session, survey: Survey, *, label: str = "", actor: Any = None) -> Wave:
    """Start the survey's next wave now, recorded in the audit log.

    Raises:
        IllegalTransition: ``survey_never_published``, ``wave_not_after_previous``, or
            ``wave_already_started`` (another request started the same wave just now).
    """
    try:
        with session.begin_nested():
            row = survey.start_wave(at=utcnow(), label=label)
            session.flush()
    except IntegrityError:
        session.expire(survey, ["waves", "status"])
        raise IllegalTransition("wave_already_started") from None
    record(
        session,
        AuditAction.WAVE_STARTED,
        actor=actor,
        subject=survey,
        detail={"wave": row.number, "label": row.label},
    )
    return waves_of(survey)[-1]
