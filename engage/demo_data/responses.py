"""Demo responses: several hundred residents answering the demo survey, deterministically.

Open answers are composed from a hand-written bank of phrases (``phrases.json``) around
eight neighbourhood themes, in English, Spanish, Arabic and French, so that theme
finding has something real to find. Ratings and demographics are correlated with each
resident's main theme and language, so dashboards and opportunity scores show a story.
A few answers are non-informative ("n/a") and a few carry an e-mail address or phone
number, to exercise PII masking.

Pure Python: no Flask, no database. Every response validates against the definition.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from surveys import SurveyDefinition, load_definition, prune_hidden, validate_answers
from surveys.schema import PREFER_NOT_TO_SAY, Question, other_key

HERE = Path(__file__).parent
THEMES = {
    "transit": 0.20,
    "housing": 0.18,
    "childcare": 0.14,
    "safety": 0.13,
    "jobs": 0.11,
    "health": 0.10,
    "food": 0.08,
    "youth": 0.06,
}
THEME_OUTCOME = {
    "transit": "reliable_bus",
    "childcare": "childcare",
    "housing": "repairs",
    "safety": "safe_streets",
}
LANGUAGES = {"en": 0.50, "es": 0.28, "ar": 0.15, "fr": 0.07}
CHANNELS = {"web": 0.68, "interviewer": 0.22, "paper": 0.10}
ROLE_PART = {
    "job_situation": ("situation", 0.92),
    "job_motivation": ("motivation", 0.65),
    "job_obstacle": ("obstacle", 0.85),
    "job_outcome": ("help", 0.80),
}
CAMPAIGN_START = datetime(2025, 3, 3, 8, 0, tzinfo=UTC)
# Typical satisfaction with each outcome today (0–10), before individual noise.
SATISFACTION = {"reliable_bus": 4.0, "childcare": 3.5, "repairs": 3.0, "safe_streets": 5.0}


@dataclass(frozen=True)
class Story:
    """What differs between two waves of the demo: who was reached, by which channel,
    and how satisfied residents are (and how often transit-minded ones find the bus
    late)."""

    languages: Mapping[str, float] = field(default_factory=lambda: dict(LANGUAGES))
    channels: Mapping[str, float] = field(default_factory=lambda: dict(CHANNELS))
    satisfaction: Mapping[str, float] = field(default_factory=lambda: dict(SATISFACTION))
    late_bus: float = 0.8
    start: datetime = CAMPAIGN_START
    # Which tracked link (outreach source) brought web answers, by the resident's
    # language ("*" for any other): {language: {source tag: share}}; the rest came direct.
    sources: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


@cache
def _survey_text() -> str:
    return (HERE / "demo_survey.json").read_text(encoding="utf-8")


def load_demo_survey() -> SurveyDefinition:
    """The demo survey definition (slug ``demo``)."""
    return load_definition(_survey_text())


@cache
def load_phrases() -> dict[str, Any]:
    """The phrase bank the open answers are composed from."""
    data: dict[str, Any] = json.loads((HERE / "phrases.json").read_text(encoding="utf-8"))
    return data


def _pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _lower_first(text: str, lang: str) -> str:
    if lang == "ar" or text.startswith(("I ", "I'", "I’")):
        return text
    return text[:1].lower() + text[1:]


class _Resident:
    """One imagined resident: language, main theme, a second theme, and their answers."""

    def __init__(
        self, rng: random.Random, definition: SurveyDefinition, story: Story | None = None
    ) -> None:
        self.rng = rng
        self.definition = definition
        self.story = story or Story()
        self.bank = load_phrases()
        languages = self.story.languages
        offered = [lang for lang in languages if lang in definition.languages]
        self.lang = _pick(rng, {lang: languages[lang] for lang in offered})
        self.theme = _pick(rng, THEMES)
        self.second = _pick(rng, {t: w for t, w in THEMES.items() if t != self.theme})
        self.answers: dict[str, Any] = {}

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def phrase(self, group: str) -> str:
        return self.phrase_in(self.bank.get(group) or self.bank["other_priorities"])

    def phrase_in(self, bank: Mapping[str, list[str]]) -> str:
        """A phrase in the resident's language (English when the bank has none)."""
        return str(self.rng.choice(bank.get(self.lang) or bank["en"]))

    def open_text(self, theme: str, part: str) -> str:
        if self.chance(0.04):
            return self.phrase("non_informative")
        phrases = self.bank["themes"][theme][part][self.lang]
        text = self.rng.choice(phrases)
        if self.chance(0.25):
            text = f"{text} {self.rng.choice([p for p in phrases if p != text])}"
        if self.chance(0.2):
            text = self.phrase("openers") + _lower_first(text, self.lang)
        if self.chance(0.12):
            text = f"{text} {self.phrase('closers')}"
        return str(text)

    def scale(self, mean: float, spread: float, q: Question) -> int:
        lo = int(q.minimum) if isinstance(q.minimum, int) else (0 if q.type == "scale" else 1)
        hi = int(q.maximum) if isinstance(q.maximum, int) else (10 if q.type == "scale" else 5)
        return max(lo, min(hi, round(self.rng.gauss(mean, spread))))

    # -- per question ------------------------------------------------------------------

    def answer(self, q: Question) -> None:
        role, dimension = q.analysis_role, q.dimension
        if q.type == "consent":
            self.answers[q.code] = True
        elif role in ROLE_PART:
            part, p = ROLE_PART[role]
            theme = self.second if part == "obstacle" and self.chance(0.2) else self.theme
            if self.chance(p):
                self.answers[q.code] = self.open_text(theme, part)
        elif role == "open_feedback":
            self.open_feedback(q)
        elif role in ("outcome_importance", "outcome_satisfaction") and self.chance(0.92):
            mine = THEME_OUTCOME.get(self.theme) == q.outcome
            if role == "outcome_importance":
                value = self.scale(9.2 if mine else 6.5, 1.0 if mine else 2.2, q)
            else:
                base = self.story.satisfaction.get(q.outcome or "", 5.0)
                value = self.scale(base - 2 if mine else base + 1, 1.8, q)
            self.answers[q.code] = value
        elif role == "demographic" and dimension is not None:
            self.demographic(q, dimension)
        elif q.code == "priorities":
            self.priorities(q)
        elif q.code == "uses_bus":
            self.answers[q.code] = "yes" if self.theme == "transit" or self.chance(0.55) else "no"
        elif q.code == "bus_problems":
            self.bus_problems(q)
        elif q.type != "info" and self.chance(0.85):
            self.generic(q)

    def open_feedback(self, q: Question) -> None:
        if q.show_if is not None:  # e.g. "what would make it better for your children"
            if self.chance(0.55):
                theme = "youth" if self.chance(0.5) else "childcare"
                self.answers[q.code] = self.open_text(theme, "help")
        elif self.chance(0.3):
            self.answers[q.code] = self.phrase("anything_else")
        elif self.chance(0.1):
            self.answers[q.code] = self.open_text(self.second, "help")

    def choose(self, q: Question, value: str, other_group: str | None = None) -> None:
        option = q.option(value)
        if option is None:
            return
        if q.type in ("multiple_choice", "pick_up_to"):
            self.answers.setdefault(q.code, []).append(value)
        else:
            self.answers[q.code] = value
        if option.specify:
            self.answers[other_key(q.code)] = self.phrase(other_group or "other_priorities")

    def priorities(self, q: Question) -> None:
        if not self.chance(0.93):
            return
        wanted = [self.theme]
        if self.chance(0.7):
            wanted.append(self.second)
        if self.chance(0.4):
            wanted.append(_pick(self.rng, {t: w for t, w in THEMES.items() if t not in wanted}))
        if self.chance(0.04):
            wanted[-1] = "other"
        limit = q.max_choices or len(wanted)
        for value in [o.value for o in q.options if o.value in wanted][:limit]:
            self.choose(q, value)

    def bus_problems(self, q: Question) -> None:
        values = [o.value for o in q.options if not o.specify]
        picked = set(self.rng.sample(values, k=self.rng.randint(1, 3)))
        if self.theme == "transit" and self.chance(self.story.late_bus):
            picked.add("late")
        if self.theme == "safety" and self.chance(0.6):
            picked.add("unsafe")
        if self.chance(0.05):
            picked.add("other")
        for o in q.options:
            if o.value in picked:
                self.choose(q, o.value, "other_bus_problems")

    def demographic(self, q: Question, dimension: str) -> None:
        if self.chance(0.04):
            return
        if q.option(PREFER_NOT_TO_SAY) is not None and self.chance(0.05):
            self.choose(q, PREFER_NOT_TO_SAY)
            return
        group = f"other_{dimension}"
        weights = {o.value: 1.0 for o in q.options if o.value != PREFER_NOT_TO_SAY}
        for o in q.options:
            if o.specify:
                weights[o.value] = 0.05
        boosts = {
            "area": {
                "es": {"market_street": 3}, "ar": {"northgate": 3}, "fr": {"station_quarter": 3},
                "transit": {"northgate": 1.5}, "safety": {"hillcrest": 2}, "*": {"outside": 0.1},
            },
            "age": {"*": {"under_18": 0.2, "25_34": 1.6, "35_44": 1.8, "65_plus": 0.7}},
            "race_ethnicity": {
                "*": {"indigenous": 0.3, "pacific_islander": 0.2},
                "es": {"hispanic_latino": 25}, "ar": {"mena": 25}, "fr": {"black": 8},
                "en": {"white": 5, "black": 4, "asian": 2},
            },
            "gender": {"*": {"woman": 12, "man": 10, "non_binary": 0.4}},
            "household": {
                "childcare": {"with_children": 8}, "youth": {"with_children": 6},
                "*": {"multigenerational": 1.5, "adults_only": 2, "alone": 1.5},
            },
        }.get(dimension, {})  # fmt: skip
        for key in ("*", self.lang, self.theme):
            for value, factor in boosts.get(key, {}).items():
                if value in weights:
                    weights[value] *= factor
        if dimension == "language":
            self.choose(q, self.lang)
            if self.lang != "en" and self.chance(0.35):
                self.choose(q, "en")
            return
        if q.type == "multiple_choice":
            self.choose(q, _pick(self.rng, weights), group)
            if self.chance(0.08):
                extra = _pick(self.rng, weights)
                if extra not in self.answers.get(q.code, []):
                    self.choose(q, extra, group)
            return
        self.choose(q, _pick(self.rng, weights), group)

    def generic(self, q: Question) -> None:
        """A plausible value for any other question type."""
        choices = [o.value for o in q.options if not o.specify and not o.is_exclusive]
        if q.type == "matrix":
            columns = {o.value: w for o, w in zip(q.options, (4, 4, 2, 1, 1), strict=False)}
            value = {r.value: _pick(self.rng, columns) for r in q.rows if self.chance(0.9)}
            if value:
                self.answers[q.code] = value
        elif q.type in ("single_choice", "dropdown") and choices:
            self.answers[q.code] = self.rng.choice(choices)
        elif q.type in ("multiple_choice", "pick_up_to") and choices:
            k = min(len(choices), q.max_choices or 2, self.rng.randint(1, 2))
            picked = set(self.rng.sample(choices, k=k))
            self.answers[q.code] = [v for v in choices if v in picked]
        elif q.type in ("rating", "scale"):
            self.answers[q.code] = self.scale(6.0, 2.5, q)
        elif q.type == "yes_no":
            self.answers[q.code] = self.rng.choice(["yes", "no"])
        elif q.type == "number":
            lo = q.minimum if isinstance(q.minimum, int) else 0
            hi = q.maximum if isinstance(q.maximum, int) else lo + 10
            self.answers[q.code] = self.rng.randint(int(lo), int(hi))


def _source(rng: random.Random, story: Story, lang: str) -> str | None:
    """The tracked link a web answer came through, or None when it came direct."""
    shares = story.sources.get(lang) or story.sources.get("*") or {}
    draw = rng.random()
    for tag, share in shares.items():
        if draw < share:
            return tag
        draw -= share
    return None


def generate_demo_responses(
    definition: SurveyDefinition | Mapping[str, Any] | None = None,
    n: int = 400,
    seed: int = 20250303,
    story: Story | None = None,
) -> list[dict[str, Any]]:
    """``n`` demo responses to ``definition`` (the demo survey by default), by seed;
    ``story`` (by default the first wave's) sets who answers, how and when.

    Each is ``{"language", "channel", "source", "area", "answers", "submitted_at"}``
    with ``source`` a tracked link's tag or None (web answers only) and ``submitted_at``
    an ISO 8601 UTC timestamp; responses come in submission order.
    """
    if definition is None:
        definition = load_demo_survey()
    elif not isinstance(definition, SurveyDefinition):
        definition = SurveyDefinition.from_dict(definition)
    rng = random.Random(seed)
    # Sources are drawn apart, so that adding them changes no resident's answers.
    source_rng = random.Random(f"sources-{seed}")
    story = story or Story()
    # Alternately an e-mail address and a phone number, for PII masking to find.
    contact_kinds = ("email", "phone")
    with_contact = {
        index: contact_kinds[i % 2]
        for i, index in enumerate(sorted(rng.sample(range(n), k=min(n, max(2, n // 80)))))
    }
    area_question = next((q for q in definition.questions() if q.dimension == "area"), None)
    # Where a few residents leave an e-mail address or phone number (for PII masking).
    unconditional = [
        q.code
        for q in definition.questions()
        if q.analysis_role == "open_feedback" and q.show_if is None
    ]
    contact_target = unconditional[-1] if unconditional else None
    responses = []
    for index in range(n):
        resident = _Resident(rng, definition, story)
        for q in definition.questions():
            resident.answer(q)
        answers = prune_hidden(definition, resident.answers)
        if index in with_contact and contact_target is not None:
            answers[contact_target] = resident.phrase_in(
                load_phrases()["with_contact"][with_contact[index]]
            )
        # Canonical form (option order etc.), exactly as the web form or API would store it.
        answers = validate_answers(definition, answers).answers
        area = answers.get(area_question.code) if area_question else None
        if area in ("outside", PREFER_NOT_TO_SAY):
            area = None
        day = int(rng.triangular(0, 42, 4))
        submitted = story.start + timedelta(days=day, minutes=rng.randint(0, 14 * 60))
        channel = _pick(rng, story.channels)
        responses.append(
            {
                "language": resident.lang,
                "channel": channel,
                "source": _source(source_rng, story, resident.lang) if channel == "web" else None,
                "area": area,
                "answers": answers,
                "submitted_at": submitted.isoformat(timespec="seconds"),
            }
        )
    responses.sort(key=lambda r: r["submitted_at"])
    return responses
