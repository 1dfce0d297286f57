"""Human names for the survey engine's question types, analysis roles and skip-logic tests."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from engage.models import SurveyStatus
from surveys import QUESTION_TYPES


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


def describe_condition(condition: object) -> str:
    """ "Shown only when rides is yes" for the builder's overview."""
    from flask_babel import gettext as _

    if not isinstance(condition, dict):
        return ""
    if set(condition) <= {"question", "op", "value"} and "question" in condition:
        value = condition.get("value", "")
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        return _(
            "Shown only when %(question)s %(test)s %(value)s",
            question=condition["question"],
            test=label_of(OP_LABELS, condition.get("op")),
            value=shown,
        ).strip()
    return _("Shown only when a combined condition holds.")
