"""Outreach targeting: for each group heard less than its share of the community, which
sources, channels and areas have reached it so far.

For each under-heard group, its respondents are counted by source (tracked link),
channel and area, with two shares: of the group's respondents (where they came from)
and of everybody who came that way (how well that way reaches the group). Counts
smaller than the threshold are hidden with their complements; a group too small to
show is named without its breakdown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from analysis.stats import suppress
from engage.dashboard.services import Breakdown, _baseline_key, _groups, _stream
from engage.models import Campaign, Survey
from engage.responses.services import definition_of
from surveys.results import dimension_questions
from surveys.schema import Question

WAYS = ("source", "channel", "area")


@dataclass(frozen=True)
class Reach:
    """How many of the group came one way; None when hidden."""

    key: str
    count: int | None
    share: float | None  # of the group's respondents
    rate: float | None  # of everybody who came that way


@dataclass
class Target:
    dimension: str
    group: str
    question: Question | None
    total: int
    hidden: bool = False
    area_question: Question | None = None
    ways: dict[str, list[Reach]] = field(default_factory=dict)


def _reaches(
    group: Counter[str], everybody: Counter[str], total: int, threshold: int
) -> list[Reach]:
    """The ways one group came, most people first; small counts hidden."""
    keys = sorted(group, key=lambda k: (-group[k], k))
    hidden = suppress([group[k] for k in keys], threshold) if keys else []
    return [
        Reach(
            key,
            None if hide else group[key],
            None if hide else group[key] / total,
            None if hide or not everybody[key] else group[key] / everybody[key],
        )
        for key, hide in zip(keys, hidden, strict=True)
    ]


def outreach_targets(
    session: Session,
    campaign: Campaign,
    survey: Survey | None,
    representativeness: Sequence[Breakdown],
    threshold: int,
) -> list[Target]:
    """Where each under-heard group of ``representativeness`` has been reached so far."""
    wanted = {(b.dimension, row.key): (b, row) for b in representativeness for row in b.under_heard}
    if not wanted:
        return []
    baseline = campaign.baseline or {}
    definitions = {v.id: definition_of(v) for s in campaign.surveys for v in s.versions}
    asked = {version_id: dimension_questions(d) for version_id, d in definitions.items()}
    counts = {key: {way: Counter[str]() for way in WAYS} for key in wanted}
    totals: Counter[tuple[str, str]] = Counter()
    everybody = {way: Counter[str]() for way in WAYS}
    area_question: Question | None = None
    for respondent in _stream(session, campaign, survey.id if survey else None):
        version_asks = asked[respondent.version_id]
        area_question = area_question or version_asks.get("area")
        found = _groups(definitions[respondent.version_id], version_asks, respondent)
        ways = {
            "source": [respondent.source or ""],
            "channel": [respondent.channel],
            "area": found.get("area", []),
        }
        for way, keys in ways.items():
            everybody[way].update(set(keys))
        for dimension, values in found.items():
            question = version_asks.get(dimension)
            for group in {_baseline_key(question, v, baseline.get(dimension, {})) for v in values}:
                if (dimension, group) not in wanted:
                    continue
                totals[dimension, group] += 1
                for way, keys in ways.items():
                    counts[dimension, group][way].update(set(keys))
    targets = []
    for (dimension, group), (breakdown, row) in wanted.items():
        total = totals[dimension, group]
        # A group the dashboard hides (small, or hidden with one) shows no breakdown:
        # its parts would add up to its number.
        hide = row.count is None or total < threshold
        target = Target(dimension, group, breakdown.question, total, hide)
        target.area_question = area_question
        if not target.hidden:
            target.ways = {
                way: _reaches(counts[dimension, group][way], everybody[way], total, threshold)
                for way in WAYS
                if way != dimension and counts[dimension, group][way]
            }
        targets.append(target)
    return targets
