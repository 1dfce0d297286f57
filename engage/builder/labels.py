"""Human names for the survey engine's question types, analysis roles and skip-logic tests."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l

from engage.models import SurveyStatus
from surveys import QUESTION_TYPES
from surveys.conditions import COUNT_OPS, count_bounds


def question_type_labels() -> dict[str, str]:
    """Every registered question type's name, in the reader's language (builder order)."""
    return {name: gettext(qtype.label) for name, qtype in QUESTION_TYPES.items()}


def question_type_choices() -> list[tuple[str, str, str]]:
    """``(type, name, what it asks)`` of every registered type, for the type picker."""
    return [
        (name, gettext(qtype.label), gettext(qtype.description) if qtype.description else "")
        for name, qtype in QUESTION_TYPES.items()
    ]


ROLE_LABELS = {
    "open_feedback": _l("Open feedback"),
    "job_situation": _l("Job: situation (when…)"),
    "job_motivation": _l("Job: motivation (I want to…)"),
    "job_outcome": _l("Job: outcome (so I can…)"),
    "job_obstacle": _l("Job: obstacle (what gets in the way)"),
    "outcome_importance": _l("Importance of an outcome"),
    "outcome_satisfaction": _l("Satisfaction with an outcome"),
    "demographic": _l("Demographic dimension"),
}

DIMENSION_LABELS = {
    "race_ethnicity": _l("Race or ethnicity"),
    "area": _l("Area or neighbourhood"),
    "language": _l("Language spoken at home"),
    "age": _l("Age"),
    "gender": _l("Gender"),
    "household": _l("Household"),
}

OP_LABELS = {
    "equals": _l("is"),
    "not_equals": _l("is not"),
    "in": _l("is one of (separate with commas)"),
    "contains": _l("includes"),
    "answered": _l("is answered"),
    "not_answered": _l("is not answered"),
    "gt": _l("is more than"),
    "gte": _l("is at least"),
    "lt": _l("is less than"),
    "lte": _l("is at most"),
    "count_gt": _l("number of answers chosen is more than"),
    "count_gte": _l("number of answers chosen is at least"),
    "count_lt": _l("number of answers chosen is less than"),
    "count_lte": _l("number of answers chosen is at most"),
    "count_equals": _l("number of answers chosen is exactly"),
    "count_not_equals": _l("number of answers chosen is not"),
}

PRESET_LABELS = {
    "age": _l("Age band"),
    "gender": _l("Gender, with self-description"),
    "race_ethnicity": _l("Race and ethnicity, with self-description"),
    "language": _l("Language spoken at home"),
    "household": _l("Household"),
    "area": _l("Area or neighbourhood (from the campaign's areas)"),
}

SURVEY_STATUS_LABELS = {
    SurveyStatus.DRAFT: _l("Draft"),
    SurveyStatus.PUBLISHED: _l("Published"),
    SurveyStatus.CLOSED: _l("Closed"),
}

SURVEY_KIND_LABELS = {
    "listening": _l("Listening survey"),
    "codesign": _l("Co-design feedback round"),
}


def label_of(labels: dict[str, object], key: str | None) -> str:
    return str(labels.get(key or "", key or ""))


CONDITION_SUMMARIES = {
    "equals": _l("Shown when ‘%(question)s’ is %(value)s"),
    "not_equals": _l("Shown when ‘%(question)s’ is not %(value)s"),
    "in": _l("Shown when ‘%(question)s’ is one of: %(value)s"),
    "contains": _l("Shown when ‘%(question)s’ includes %(value)s"),
    "answered": _l("Shown when ‘%(question)s’ is answered"),
    "not_answered": _l("Shown when ‘%(question)s’ is not answered"),
    "gt": _l("Shown when ‘%(question)s’ is more than %(value)s"),
    "gte": _l("Shown when ‘%(question)s’ is at least %(value)s"),
    "lt": _l("Shown when ‘%(question)s’ is less than %(value)s"),
    "lte": _l("Shown when ‘%(question)s’ is at most %(value)s"),
    "matches": _l("Shown when ‘%(question)s’ matches the pattern %(value)s"),
}
"""The builder overview's one-line summary of a one-comparison condition."""


def _option_labels(data: Mapping[str, Any] | None, code: str) -> dict[str, str]:
    """The option labels (in the source language) of question ``code`` by value."""
    if not data:
        return {}
    source = data.get("source_language", "")
    for page in data.get("pages", []):
        for q in page.get("questions", []):
            if q.get("code") == code:
                return {
                    str(o.get("value")): o.get("label", {}).get(source) or str(o.get("value"))
                    for o in q.get("options", [])
                }
    return {}


def _count_summary(op: str, question: str, value: Any) -> str | None:
    """ "Shown when at least 2 answers are chosen in ‘problems’" (None if it never holds)."""
    bounds = count_bounds(op, value) if isinstance(value, int) else None
    if bounds is None:
        return None
    words, n = bounds
    if words == "at_least":
        return ngettext(
            "Shown when at least %(num)d answer is chosen in ‘%(question)s’",
            "Shown when at least %(num)d answers are chosen in ‘%(question)s’",
            n,
            question=question,
        )
    if words == "at_most":
        return ngettext(
            "Shown when at most %(num)d answer is chosen in ‘%(question)s’",
            "Shown when at most %(num)d answers are chosen in ‘%(question)s’",
            n,
            question=question,
        )
    if words == "exactly":
        return ngettext(
            "Shown when exactly %(num)d answer is chosen in ‘%(question)s’",
            "Shown when exactly %(num)d answers are chosen in ‘%(question)s’",
            n,
            question=question,
        )
    return ngettext(
        "Shown unless exactly %(num)d answer is chosen in ‘%(question)s’",
        "Shown unless exactly %(num)d answers are chosen in ‘%(question)s’",
        n,
        question=question,
    )


def describe_condition(condition: object, data: Mapping[str, Any] | None = None) -> str:
    """ "Shown when ‘bus’ is one of: Late, Crowded" for the builder's overview; answers
    are named by their option labels when the draft ``data`` has them."""
    if not isinstance(condition, dict):
        return ""
    op = str(condition.get("op"))
    if op in COUNT_OPS and set(condition) == {"question", "op", "value"}:
        counted = _count_summary(op, str(condition["question"]), condition["value"])
        if counted is not None:
            return counted
    summary = CONDITION_SUMMARIES.get(op)
    if set(condition) <= {"question", "op", "value"} and "question" in condition and summary:
        labels = _option_labels(data, condition["question"])
        value = condition.get("value", "")
        values = value if isinstance(value, list) else [value]
        shown = ", ".join(labels.get(str(v), str(v)) for v in values)
        return str(summary) % {"question": condition["question"], "value": shown}
    return gettext("Shown only when a combined condition holds.")
