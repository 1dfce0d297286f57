"""How the dashboard names dimensions, groups and answers, in the reader's language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask_babel import lazy_gettext as _l

from engage.responses.forms import CHANNEL_LABELS
from engage.templating import language_name
from surveys.i18n import text_for
from surveys.schema import Question

DIMENSION_LABELS = {
    "language": _l("Language"),
    "area": _l("Area"),
    "channel": _l("Channel"),
    "source": _l("Source"),
}


def dimension_label(dimension: str, question: Question | None, lang: str) -> str:
    if dimension in DIMENSION_LABELS:
        return str(DIMENSION_LABELS[dimension])
    if question is not None:
        return text_for(question.label, lang)[0] or dimension
    return dimension.replace("_", " ").capitalize()


def group_label(dimension: str, question: Question | None, key: str, lang: str) -> str:
    """An answer value or baseline group as a person reads it."""
    if dimension == "channel":
        return str(CHANNEL_LABELS.get(key, key))
    if dimension == "source":
        return key or str(_l("Direct (no tracked link)"))
    if question is not None:
        option = question.option(key)
        if option is not None:
            return text_for(option.label, lang)[0] or key
    if dimension == "language":
        return language_name(key)
    return key


def option_label(question: Question, key: str, lang: str) -> str:
    """An option, point or grid row of a closed question, in words."""
    option = question.option(key)
    if option is None:
        option = next((r for r in question.rows if r.value == key), None)
    if option is not None:
        return text_for(option.label, lang)[0] or key
    if key in ("yes", "no"):
        return str(_l("Yes") if key == "yes" else _l("No"))
    return key


def column_label(
    dimensions: Sequence[str], questions: Sequence[Question | None], key: Any, lang: str
) -> str:
    """A column of a comparison: one group, or a pair of groups (an intersection)."""
    if len(dimensions) == 1:
        return group_label(dimensions[0], questions[0], str(key), lang)
    return " × ".join(
        group_label(d, q, str(k), lang) for d, q, k in zip(dimensions, questions, key, strict=True)
    )


def page_label(stop: Any, lang: str) -> str:
    """A survey page by its title in the reader's language (else the survey's), or
    "Page N" when it has none; a page no longer in the survey by its key."""
    title = text_for(stop.title, lang, stop.source_language)[0] if stop.title else ""
    if title:
        return title
    if stop.number is not None:
        return str(_l("Page %(num)s", num=stop.number))
    return stop.key or str(_l("Unknown page"))


# The helpers dashboard templates name things with.
LABELS = {
    "dimension_label": dimension_label,
    "group_label": group_label,
    "option_label": option_label,
    "column_label": column_label,
    "page_label": page_label,
}
