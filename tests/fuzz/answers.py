"""Valid answers drawn from a survey definition, question type by question type."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from surveys import Question, SurveyDefinition, visible_questions
from tests.fuzz.strategies import storable_text


def _values(q: Question) -> list[str]:
    return [option.value for option in q.options]


def _number(q: Question, low: int, high: int) -> st.SearchStrategy[int]:
    low = int(q.minimum) if q.minimum is not None else low
    high = int(q.maximum) if q.maximum is not None else high
    return st.integers(low, high)


def answer_strategy(q: Question) -> st.SearchStrategy[Any] | None:
    """A valid answer to ``q`` (``None``: the type takes no answer)."""
    kind = q.type
    if kind == "info":
        return None
    if kind == "consent":
        return st.just(True)
    if kind == "yes_no":
        return st.sampled_from(["yes", "no"])
    if kind in ("short_text", "long_text"):
        limit = q.max_length or 2000
        return storable_text.map(lambda text: text[:limit].strip()).filter(bool)
    if kind == "number":
        return _number(q, -1000, 1000)
    if kind == "scale":
        return _number(q, 0, 10)
    if kind == "rating":
        return _number(q, 1, 5)
    if kind == "date":
        return st.dates(date(1900, 1, 1), date(2025, 12, 31)).map(date.isoformat)
    if kind in ("single_choice", "dropdown"):
        return st.sampled_from(_values(q))
    if kind in ("multiple_choice", "pick_up_to"):
        most = q.max_choices or len(q.options)
        return st.lists(st.sampled_from(_values(q)), min_size=1, max_size=most, unique=True)
    if kind == "ranking":
        return st.permutations(_values(q))
    if kind == "matrix":
        return st.fixed_dictionaries({row.value: st.sampled_from(_values(q)) for row in q.rows})
    raise AssertionError(f"no answer strategy for the question type {kind!r}")


@st.composite
def valid_answers(draw: st.DrawFn, definition: SurveyDefinition) -> dict[str, Any]:
    """Answers to some questions (all the required ones), each valid for its question."""
    answers: dict[str, Any] = {}
    for page in definition.pages:
        for q in page.questions:
            strategy = answer_strategy(q)
            if strategy is None or not (q.required or draw(st.booleans())):
                continue
            answers[q.code] = draw(strategy)
            specify = q.specify_option
            chosen = answers[q.code] if isinstance(answers[q.code], list) else [answers[q.code]]
            if specify is not None and specify.value in chosen:
                answers[f"{q.code}__other"] = draw(storable_text)
    return answers


def hidden_codes(definition: SurveyDefinition, answers: dict[str, Any]) -> set[str]:
    """Answers skip logic hides (and so drops), ``__other`` fields included."""
    shown = set(visible_questions(definition, answers))
    return {code for code in answers if code.split("__")[0] not in shown}


def same_answer(definition: SurveyDefinition, code: str, sent: Any, stored: Any) -> bool:
    """Equal, except that choices picked together are a set (kept in the options' order)."""
    if "__" not in code and definition.question(code).type in ("multiple_choice", "pick_up_to"):
        return sorted(sent) == sorted(stored)
    return sent == stored
