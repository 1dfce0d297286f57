"""People heard in a campaign's listening sessions, by group: the head counts each
session's facilitator wrote down (``ListeningSession.demographics``), beside the
community's make-up.

These are head counts, not survey respondents: they are shown apart and never added to
who answered, since somebody at a session may also have answered a survey, and a
facilitator may count some groups and not others. Attendees not counted on a dimension
are a row of their own, so that the hidden groups cannot be worked out from the
attendance; counts below the threshold are hidden with their complements.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from analysis.stats import suppress
from engage.dashboard.services import Breakdown, Row, baseline_key
from engage.models import Campaign, ListeningSession
from surveys.schema import Question

# The key of the row of attendees a facilitator did not count on a dimension.
NOT_COUNTED = ""


@dataclass(frozen=True)
class SessionHeads:
    sessions: int = 0
    attendance: int = 0
    breakdowns: list[Breakdown] = field(default_factory=list)


def _count(value: object) -> int:
    try:
        return max(int(float(str(value))), 0)
    except ValueError:
        return 0


def session_heads(
    session: Session,
    campaign: Campaign,
    threshold: int,
    questions: Mapping[str, Question | None] | None = None,
) -> SessionHeads:
    """The campaign's listening-session attendees by group, per dimension, hidden like
    every count of people (``questions``: the question asking each dimension, to match
    a facilitator's group to the make-up's)."""
    found = session.execute(
        sa.select(ListeningSession.attendance, ListeningSession.demographics).where(
            ListeningSession.campaign_id == campaign.id
        )
    ).all()
    attendance = sum(max(int(a or 0), 0) for a, _d in found)
    baseline = campaign.baseline or {}
    questions = questions or {}
    counts: dict[str, Counter[str]] = {}
    for _attended, demographics in found:
        for dimension, groups in (demographics or {}).items():
            if not isinstance(groups, Mapping):
                continue
            dim_base = baseline.get(dimension, {})
            question = questions.get(dimension)
            for group, value in groups.items():
                key = baseline_key(question, str(group), dim_base)
                counts.setdefault(str(dimension), Counter())[key] += _count(value)
    breakdowns = [
        _breakdown(d, counts[d], attendance, baseline.get(d, {}), threshold, questions.get(d))
        for d in sorted(counts, key=lambda d: (d not in baseline, d))
    ]
    return SessionHeads(len(found), attendance, breakdowns)


def _breakdown(
    dimension: str,
    counts: Counter[str],
    attendance: int,
    baseline: Mapping[str, float],
    threshold: int,
    question: Question | None,
) -> Breakdown:
    counted = sum(counts.values())
    total = max(attendance, counted)
    keys = [str(k) for k in baseline]
    keys += sorted(k for k in counts if k not in keys and counts[k])
    values = [counts[k] for k in keys]
    if total > counted:
        keys.append(NOT_COUNTED)
        values.append(total - counted)
    hidden = suppress(values, threshold) if values else []
    base_total = float(sum(float(v) for v in baseline.values())) or 1.0
    rows = []
    for key, value, hide in zip(keys, values, hidden, strict=True):
        base = baseline.get(key) if key != NOT_COUNTED else None
        rows.append(
            Row(
                key,
                None if hide else value,
                None if hide or not total else value / total,
                float(base) / base_total if base is not None else None,
            )
        )
    return Breakdown(dimension, rows, total, int(sum(bool(h) for h in hidden)), question)
