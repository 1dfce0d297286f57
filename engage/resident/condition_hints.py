"""Why a question may not apply to the resident: its skip logic as a sentence.

A question whose condition looks at another question *on the same page* is shown before
that answer is known. Without the optional script it stays visible, so it says when to
answer it ("Answer this only if your answer to “Do you ride the bus?” is Yes."), in the
resident's language, with the question and answer texts the resident sees.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from babel.lists import format_list
from flask_babel import format_decimal, get_locale, ngettext, pgettext
from flask_babel import gettext as _

from surveys import Question, SurveyDefinition, text_for
from surveys.choice_filters import VALUE, grouping_clause
from surveys.conditions import (
    COUNT_OPS,
    Comparison,
    Condition,
    count_bounds,
    iter_comparisons,
    referenced_questions,
)

_BUILT_IN_ANSWERS = {
    "yes_no": {"yes": ("answer", "Yes"), "no": ("answer", "No")},
}


def same_page_dependency(definition: SurveyDefinition, q: Question) -> set[str]:
    """Codes of the questions on ``q``'s page that its condition looks at."""
    if q.show_if is None:
        return set()
    page = definition.pages[definition.page_index_of(q.code)]
    on_page = {other.code for other in page.questions}
    return set(referenced_questions(q.show_if)) & on_page


def script_condition(definition: SurveyDefinition, q: Question) -> Condition | None:
    """The condition the page's script can decide by itself: it looks only at this page."""
    if q.show_if is None:
        return None
    page = definition.pages[definition.page_index_of(q.code)]
    on_page = {other.code for other in page.questions}
    if any(c.op == "matches" for c in iter_comparisons(q.show_if)):
        return None  # a pattern is matched on the server only (the script's differ)
    return q.show_if if set(referenced_questions(q.show_if)) <= on_page else None


def _question_text(definition: SurveyDefinition, code: str, lang: str) -> str:
    q = definition.question(code)
    text, _actual = text_for(q.label, lang, definition.source_language)
    return text.strip().rstrip(".:;")


def answer_text(definition: SurveyDefinition, code: str, value: Any, lang: str) -> str:
    """An answer to question ``code`` as the resident reads it (its option's label)."""
    q = definition.question(code)
    built_in = _BUILT_IN_ANSWERS.get(q.type, {}).get(str(value))
    if built_in is not None:
        return pgettext(*built_in)
    for option in q.options:
        if option.value == value:
            return text_for(option.label, lang, definition.source_language)[0]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_decimal(value)
    return str(value)


def _answers(definition: SurveyDefinition, c: Comparison, lang: str) -> str:
    values = list(c.value) if c.op == "in" else [c.value]
    texts = [answer_text(definition, c.question, v, lang) for v in values]
    return format_list(texts, style="or", locale=get_locale() or "en")


def _count_sentence(question: str, op: str, value: int) -> str:
    """ "Answer this only if you chose at least 2 answers in “Problems”." """
    bounds = count_bounds(op, value)
    if bounds is None:  # fewer than none: never asked
        return _("Answer this only if it applies to you, given your answers above.")
    words, n = bounds
    if words == "at_least":
        return ngettext(
            "Answer this only if you chose at least %(num)d answer in “%(question)s”.",
            "Answer this only if you chose at least %(num)d answers in “%(question)s”.",
            n,
            question=question,
        )
    if words == "at_most":
        return ngettext(
            "Answer this only if you chose at most %(num)d answer in “%(question)s”.",
            "Answer this only if you chose at most %(num)d answers in “%(question)s”.",
            n,
            question=question,
        )
    if words == "exactly":
        return ngettext(
            "Answer this only if you chose exactly %(num)d answer in “%(question)s”.",
            "Answer this only if you chose exactly %(num)d answers in “%(question)s”.",
            n,
            question=question,
        )
    return ngettext(
        "Answer this only if you did not choose exactly %(num)d answer in “%(question)s”.",
        "Answer this only if you did not choose exactly %(num)d answers in “%(question)s”.",
        n,
        question=question,
    )


def _sentence(definition: SurveyDefinition, c: Comparison, lang: str) -> str:
    question = _question_text(definition, c.question, lang)
    if c.op in COUNT_OPS:
        return _count_sentence(question, c.op, c.value)
    if c.op == "answered":
        return _("Answer this only if you answered “%(question)s”.", question=question)
    if c.op == "not_answered":
        return _("Answer this only if you did not answer “%(question)s”.", question=question)
    if c.op == "matches":  # a pattern means nothing to a resident
        return _("Answer this only if it applies to you, given your answers above.")
    sentences: Mapping[str, str] = {
        "equals": _("Answer this only if your answer to “%(question)s” is %(answers)s."),
        "in": _("Answer this only if your answer to “%(question)s” is %(answers)s."),
        "not_equals": _("Answer this only if your answer to “%(question)s” is not %(answers)s."),
        "contains": _("Answer this only if your answer to “%(question)s” includes %(answers)s."),
        "gt": _("Answer this only if your answer to “%(question)s” is more than %(answers)s."),
        "gte": _("Answer this only if your answer to “%(question)s” is at least %(answers)s."),
        "lt": _("Answer this only if your answer to “%(question)s” is less than %(answers)s."),
        "lte": _("Answer this only if your answer to “%(question)s” is at most %(answers)s."),
    }
    return sentences[c.op] % {"question": question, "answers": _answers(definition, c, lang)}


def condition_hint(definition: SurveyDefinition, q: Question, lang: str) -> str | None:
    """When to answer ``q``, if that depends on an answer on its own page; else None."""
    if not same_page_dependency(definition, q):
        return None
    if isinstance(q.show_if, Comparison):
        return _sentence(definition, q.show_if, lang)
    return _("Answer this only if it applies to you, given your answers above.")


def _in_words(definition: SurveyDefinition, condition: Any, lang: str) -> str:
    if isinstance(condition, Comparison):
        return _sentence(definition, condition, lang)
    return _("Answer only if it applies to you.")


def printed_conditions(definition: SurveyDefinition, lang: str) -> dict[str, str]:
    """When to answer each conditional question on paper, where every page is in front
    of the resident: the question's own condition in words (or its page's), by code."""
    found: dict[str, str] = {}
    for page in definition.pages:
        for q in page.questions:
            condition = q.show_if if q.show_if is not None else page.show_if
            if condition is not None:
                found[q.code] = _in_words(definition, condition, lang)
    return found


def filter_hint(definition: SurveyDefinition, q: Question, lang: str) -> str | None:
    """How to choose among ``q``'s options where they cannot be filtered (on paper, in
    the offline form without its script, in the preview): which earlier answer they
    follow. None for a question without a choice filter."""
    if not q.choice_filter:
        return None
    grouping = grouping_clause(q)
    if grouping is not None:
        question = _question_text(definition, grouping.question, lang)
        return _("Choose from the list under your answer to “%(question)s”.", question=question)
    chosen = [c for c in q.choice_filter if c.op == "selected_by" and c.attribute == VALUE]
    if chosen:
        question = _question_text(definition, chosen[0].question, lang)
        return _("Choose only among your answers to “%(question)s”.", question=question)
    question = _question_text(definition, q.choice_filter[0].question, lang)
    return _(
        "The answers you can choose depend on your answer to “%(question)s”.", question=question
    )
