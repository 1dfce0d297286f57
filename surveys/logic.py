"""Skip logic: which pages and questions are visible given the answers so far.

A page is visible when its ``show_if`` holds for the answers given before it; a question
when its page is visible and its own ``show_if`` holds for the answers before it.
Conditions only look backwards (checked when a definition is loaded), so one pass in
document order decides everything, and an answer to a question that became hidden is
dropped before later conditions look at it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from surveys.choice_filters import has_choices
from surveys.conditions import evaluate, referenced_questions
from surveys.schema import Question, SurveyDefinition, other_key


def is_asked(q: Question, answers: Mapping[str, Any]) -> bool:
    """Whether ``q`` is asked given the earlier ``answers``: its ``show_if`` holds and,
    for a filtered choice, something is left to choose."""
    if q.show_if is not None and not evaluate(q.show_if, answers):
        return False
    return has_choices(q, answers)


def _answer_keys(q: Question) -> tuple[str, ...]:
    return (q.code, other_key(q.code)) if q.specify_option else (q.code,)


def prune_hidden(definition: SurveyDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """``answers`` without the answers of hidden questions (and without unknown keys)."""
    kept: dict[str, Any] = {}
    for page in definition.pages:
        if page.show_if is not None and not evaluate(page.show_if, kept):
            continue
        for q in page.questions:
            if not is_asked(q, kept):
                continue
            for key in _answer_keys(q):
                if key in answers:
                    kept[key] = answers[key]
    return kept


def visible_pages(definition: SurveyDefinition, answers: Mapping[str, Any]) -> list[int]:
    """Indexes of the pages a respondent with ``answers`` sees, in order."""
    # Conditions only look backwards, so the pruned answers as a whole are a safe context.
    kept = prune_hidden(definition, answers)
    return [
        index
        for index, page in enumerate(definition.pages)
        if page.show_if is None or evaluate(page.show_if, kept)
    ]


def is_page_visible(
    definition: SurveyDefinition, page_index: int, answers: Mapping[str, Any]
) -> bool:
    return page_index in visible_pages(definition, answers)


def visible_questions(definition: SurveyDefinition, answers: Mapping[str, Any]) -> list[str]:
    """Codes of every visible question, in order."""
    kept = prune_hidden(definition, answers)
    return [
        q.code
        for page in definition.pages
        if page.show_if is None or evaluate(page.show_if, kept)
        for q in page.questions
        if is_asked(q, kept)
    ]


def displayed_questions(
    definition: SurveyDefinition, page_index: int, answers: Mapping[str, Any]
) -> list[Question]:
    """The questions to render on a page, before it is submitted.

    A question whose condition looks at a question *on the same page* cannot be decided
    yet: it is rendered (JavaScript may hide it until needed; without JavaScript the
    resident sees it), and validation drops its answer if the condition turns out false.
    """
    page = definition.pages[page_index]
    on_page = {q.code for q in page.questions}
    earlier = prune_hidden(definition, answers)
    context = {k: v for k, v in earlier.items() if k.split("__")[0] not in on_page}
    shown = []
    for q in page.questions:
        if not has_choices(q, context):
            continue  # filters look at earlier pages only
        if (
            q.show_if is None
            or set(referenced_questions(q.show_if)) & on_page
            or evaluate(q.show_if, context)
        ):
            shown.append(q)
    return shown


def next_page_index(
    definition: SurveyDefinition, current: int | None, answers: Mapping[str, Any]
) -> int | None:
    """The next visible page after ``current`` (None: from the start); None at the end."""
    start = -1 if current is None else current
    return next((i for i in visible_pages(definition, answers) if i > start), None)


def previous_page_index(
    definition: SurveyDefinition, current: int, answers: Mapping[str, Any]
) -> int | None:
    """The visible page before ``current``; None on the first page."""
    return next((i for i in reversed(visible_pages(definition, answers)) if i < current), None)


def page_defaults(
    definition: SurveyDefinition, page_index: int, answers: Mapping[str, Any]
) -> dict[str, Any]:
    """The ``default`` answers to fill in on a page the resident has not answered yet
    (none once any question of the page has an answer in ``answers``)."""
    page = definition.pages[page_index]
    codes = {q.code for q in page.questions}
    if any(key.split("__")[0] in codes for key in answers):
        return {}
    return {q.code: q.default for q in page.questions if q.default is not None}
