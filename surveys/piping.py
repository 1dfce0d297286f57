"""``${code}`` in a label or help text: an earlier answer shown in a later question.

XLSForm writes it so (``Thank you, ${name}. How old is ${child}?``). The server fills it
in when it draws the page, in the resident's language (a choice by its label), so it
needs no JavaScript. A reference to something that is not a question of the survey is
left as it is written; an unanswered question shows an ellipsis. A calculation
(:mod:`surveys.calculations`) shows its value, worked out from the answers so far.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from surveys.i18n import text_for
from surveys.schema import Question, SurveyDefinition

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
UNANSWERED = "…"


def references(text: str) -> list[str]:
    """The codes ``text`` refers to, in order."""
    return REFERENCE.findall(text)


def _question(definition: SurveyDefinition, code: str) -> Question | None:
    try:
        return definition.question(code)
    except KeyError:
        return None


def _is_calculation(definition: SurveyDefinition, code: str) -> bool:
    return any(c.code == code for c in definition.calculations)


def answer_text(
    definition: SurveyDefinition, code: str, answers: Mapping[str, Any], lang: str
) -> str:
    """The stored answer to ``code`` as a resident would read it, in ``lang``."""
    question = _question(definition, code)
    value = answers.get(code)
    if value is None or isinstance(value, Mapping):
        return UNANSWERED
    if question is None:  # a calculation
        return str(value) if _is_calculation(definition, code) else UNANSWERED
    values = value if isinstance(value, list) else [value]
    shown = []
    for item in values:
        option = question.option(str(item)) if question.options else None
        if option is not None:
            shown.append(text_for(option.label, lang, definition.source_language)[0])
        elif item is True:
            shown.append("✓")
        else:
            shown.append(str(item))
    return ", ".join(shown) or UNANSWERED


def pipe(text: str, definition: SurveyDefinition, answers: Mapping[str, Any], lang: str) -> str:
    """``text`` with each ``${code}`` of a question replaced by its answer."""
    if "${" not in text:
        return text

    def fill(match: re.Match[str]) -> str:
        code = match[1]
        if _question(definition, code) is None and not _is_calculation(definition, code):
            return match[0]
        return answer_text(definition, code, answers, lang)

    return REFERENCE.sub(fill, text)
