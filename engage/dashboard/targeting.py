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

from analysis.stats import suppress
from engage.dashboard.services import Breakdown, Respondent, baseline_key, respondent_groups
from engage.models import Campaign
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


class TargetCounter:
    """Counts, response by response, where each group of the make-up was reached; the
    groups heard less are known only once everybody is counted (:meth:`targets`)."""

    def __init__(self, campaign: Campaign, threshold: int) -> None:
        self.threshold = threshold
        self.baseline = campaign.baseline or {}
        self.definitions = {v.id: definition_of(v) for s in campaign.surveys for v in s.versions}
        self.asked = {vid: dimension_questions(d) for vid, d in self.definitions.items()}
        self.counts: dict[tuple[str, str], dict[str, Counter[str]]] = {}
        self.totals: Counter[tuple[str, str]] = Counter()
        self.everybody = {way: Counter[str]() for way in WAYS}
        self.area_question: Question | None = None

    def add(self, respondent: Respondent) -> None:
        version_asks = self.asked[respondent.version_id]
        self.area_question = self.area_question or version_asks.get("area")
        found = respondent_groups(self.definitions[respondent.version_id], version_asks, respondent)
        ways = {
            "source": {respondent.source or ""},
            "channel": {respondent.channel},
            "area": set(found.get("area", [])),
        }
        for way, keys in ways.items():
            self.everybody[way].update(keys)
        for dimension, values in found.items():
            base = self.baseline.get(dimension)
            if not base:
                continue
            question = version_asks.get(dimension)
            for group in {baseline_key(question, v, base) for v in values}:
                self.totals[dimension, group] += 1
                counts = self.counts.setdefault((dimension, group), {})
                for way, keys in ways.items():
                    counts.setdefault(way, Counter()).update(keys)

    def targets(self, representativeness: Sequence[Breakdown]) -> list[Target]:
        """Where each under-heard group of ``representativeness`` was reached."""
        targets = []
        for b in representativeness:
            for row in b.under_heard:
                total = self.totals[b.dimension, row.key]
                # A group the dashboard hides (small, or hidden with one) shows no
                # breakdown: its parts would add up to its number.
                hide = row.count is None or total < self.threshold
                target = Target(b.dimension, row.key, b.question, total, hide, self.area_question)
                counts = self.counts.get((b.dimension, row.key), {})
                if not hide:
                    target.ways = {
                        way: _reaches(counts[way], self.everybody[way], total, self.threshold)
                        for way in WAYS
                        if way != b.dimension and counts.get(way)
                    }
                targets.append(target)
        return targets
