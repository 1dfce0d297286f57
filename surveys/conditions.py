"""A tiny, safe condition language for skip logic (no ``eval``).

As JSON::

    {"question": "uses_bus", "op": "equals", "value": "yes"}
    {"question": "age", "op": "gte", "value": 18}
    {"question": "topics", "op": "contains", "value": "transit"}
    {"question": "area", "op": "in", "value": ["riverside", "hillcrest"]}
    {"question": "phone", "op": "answered"}
    {"question": "problems", "op": "count_gte", "value": 2}
    {"all": [...]}, {"any": [...]}, {"not": {...}}

Semantics, given the normalised answers so far (an unanswered question is absent):

- ``equals`` / ``not_equals``: the answer is (not) the value; numbers compare as numbers;
  a multi-select equals ``v`` only when exactly ``[v]`` is chosen. An unanswered question
  equals nothing, so ``not_equals`` is true for it (as in XLSForm).
- ``in``: a single answer is one of the values; a multi-select has any of them chosen.
- ``contains``: a multi-select has the value chosen; a text contains it (case-insensitive).
- ``answered`` / ``not_answered``.
- ``gt``, ``gte``, ``lt``, ``lte``: numeric comparisons, false when unanswered.
- ``count_equals``, ``count_not_equals``, ``count_gt``, ``count_gte``, ``count_lt``,
  ``count_lte``: the number of choices selected in a multiple-choice question compared
  with ``value``, a whole number 0 or more (XLSForm ``count-selected(${q}) >= 2``); an
  unanswered question has 0 chosen, so ``count_lt 2`` holds for it.
- ``matches``: the answer, as text (an unanswered question is empty text, several
  choices are their values separated by spaces), contains the pattern ``value``
  (XLSForm ``regex()``, see :mod:`surveys.patterns`).
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from surveys.errors import DefinitionProblem
from surveys.patterns import is_valid_pattern, matches

OPS = frozenset(
    {
        "equals", "not_equals", "in", "contains", "answered", "not_answered",
        "gt", "gte", "lt", "lte", "matches",
        "count_equals", "count_not_equals", "count_gt", "count_gte", "count_lt", "count_lte",
    }
)  # fmt: skip
NUMERIC_OPS = frozenset({"gt", "gte", "lt", "lte"})
COUNT_OPS = frozenset(op for op in OPS if op.startswith("count_"))
"""Tests on how many choices are selected; ``value`` is a whole number, 0 or more."""
EMPTINESS_COUNTS = {
    ("count_gt", 0): "answered",
    ("count_gte", 1): "answered",
    ("count_not_equals", 0): "answered",
    ("count_equals", 0): "not_answered",
    ("count_lt", 1): "not_answered",
    ("count_lte", 0): "not_answered",
}
"""Count tests that only say whether anything is chosen, and the test that says so
(the builder and the XLSForm import write these as ``answered`` / ``not_answered``)."""
VALUELESS_OPS = frozenset({"answered", "not_answered"})


@dataclass(frozen=True)
class Comparison:
    question: str
    op: str
    value: Any = None


@dataclass(frozen=True)
class AllOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class AnyOf:
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    condition: Condition


Condition = Comparison | AllOf | AnyOf | Not


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def evaluate(condition: Condition, answers: Mapping[str, Any]) -> bool:
    """Whether ``condition`` holds for ``answers`` (normalised answers so far)."""
    if isinstance(condition, AllOf):
        return all(evaluate(c, answers) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return any(evaluate(c, answers) for c in condition.conditions)
    if isinstance(condition, Not):
        return not evaluate(condition.condition, answers)
    return _compare(condition, answers.get(condition.question))


def _equal(answer: Any, value: Any) -> bool:
    if isinstance(answer, list):
        return answer == [value]
    # 3 == 3.0 is True in Python, so numbers need no special case.
    return bool(answer == value)


def _as_text(answer: Any) -> str:
    if isinstance(answer, list):
        return " ".join(str(a) for a in answer)
    if isinstance(answer, float) and answer.is_integer():
        return str(int(answer))
    return str(answer)


def chosen_count(answer: Any) -> int:
    """How many choices ``answer`` has selected (an unanswered question: 0)."""
    if isinstance(answer, list):
        return len(answer)
    return 0 if answer in (None, "", {}) else 1


def count_bounds(op: str, value: int) -> tuple[str, int] | None:
    """A count test in words: ``("at_least" | "at_most" | "exactly" | "not_exactly", n)``
    (``count_gt`` 1 is at least 2); None for ``count_lt`` 0, which never holds."""
    if op == "count_gt":
        return "at_least", value + 1
    if op == "count_lt":
        return ("at_most", value - 1) if value > 0 else None
    return {
        "count_gte": ("at_least", value),
        "count_lte": ("at_most", value),
        "count_equals": ("exactly", value),
        "count_not_equals": ("not_exactly", value),
    }[op]


def _ordered(op: str, number: float, target: float) -> bool:
    return {
        "equals": number == target,
        "not_equals": number != target,
        "gt": number > target,
        "gte": number >= target,
        "lt": number < target,
        "lte": number <= target,
    }[op]


def _compare(cond: Comparison, answer: Any) -> bool:
    answered = answer not in (None, "", [], {})
    op = cond.op
    if op in COUNT_OPS:
        return _ordered(op.removeprefix("count_"), chosen_count(answer), cond.value)
    if op == "answered":
        return answered
    if op == "not_answered":
        return not answered
    if op == "not_equals":
        return not (answered and _equal(answer, cond.value))
    if op == "matches":
        return matches(cond.value, _as_text(answer) if answered else "")
    if not answered:
        return False
    if op == "equals":
        return _equal(answer, cond.value)
    if op == "in":
        values = list(cond.value)
        if isinstance(answer, list):
            return any(a in values for a in answer)
        return any(_equal(answer, v) for v in values)
    if op == "contains":
        if isinstance(answer, list):
            return cond.value in answer
        if isinstance(answer, str) and isinstance(cond.value, str):
            return cond.value.casefold() in answer.casefold()
        return False
    if not _is_number(answer):
        return False
    return _ordered(op, float(answer), float(cond.value))


def referenced_questions(condition: Condition) -> Iterator[str]:
    """Every question code the condition looks at."""
    if isinstance(condition, AllOf | AnyOf):
        for c in condition.conditions:
            yield from referenced_questions(c)
    elif isinstance(condition, Not):
        yield from referenced_questions(condition.condition)
    else:
        yield condition.question


def iter_comparisons(condition: Condition) -> Iterator[Comparison]:
    if isinstance(condition, AllOf | AnyOf):
        for c in condition.conditions:
            yield from iter_comparisons(c)
    elif isinstance(condition, Not):
        yield from iter_comparisons(condition.condition)
    else:
        yield condition


def condition_to_dict(condition: Condition) -> dict[str, Any]:
    if isinstance(condition, AllOf):
        return {"all": [condition_to_dict(c) for c in condition.conditions]}
    if isinstance(condition, AnyOf):
        return {"any": [condition_to_dict(c) for c in condition.conditions]}
    if isinstance(condition, Not):
        return {"not": condition_to_dict(condition.condition)}
    data: dict[str, Any] = {"question": condition.question, "op": condition.op}
    if condition.op not in VALUELESS_OPS:
        data["value"] = list(condition.value) if condition.op == "in" else condition.value
    return data


def condition_from_dict(
    data: Any, path: str, problems: list[DefinitionProblem]
) -> Condition | None:
    """Parse the JSON form; appends to ``problems`` and returns None when it is invalid."""
    if not isinstance(data, Mapping):
        problems.append(DefinitionProblem(path, "invalid_condition"))
        return None
    for combinator, cls in (("all", AllOf), ("any", AnyOf)):
        if combinator in data:
            items = data[combinator]
            if len(data) != 1 or not isinstance(items, list) or not items:
                problems.append(DefinitionProblem(path, "invalid_condition"))
                return None
            before = len(problems)
            parsed = [
                condition_from_dict(item, f"{path}.{combinator}[{i}]", problems)
                for i, item in enumerate(items)
            ]
            if len(problems) > before:
                return None
            return cls(tuple(c for c in parsed if c is not None))
    if "not" in data:
        if len(data) != 1:
            problems.append(DefinitionProblem(path, "invalid_condition"))
            return None
        inner = condition_from_dict(data["not"], f"{path}.not", problems)
        return Not(inner) if inner is not None else None
    return _comparison_from_dict(data, path, problems)


def _comparison_from_dict(
    data: Mapping[str, Any], path: str, problems: list[DefinitionProblem]
) -> Comparison | None:
    unknown = set(data) - {"question", "op", "value"}
    question, op = data.get("question"), data.get("op")
    if unknown:
        problems.append(DefinitionProblem(path, "unknown_field", {"fields": sorted(unknown)}))
        return None
    if not isinstance(question, str) or not question:
        problems.append(DefinitionProblem(path, "invalid_condition", {"field": "question"}))
        return None
    if op not in OPS:
        problems.append(DefinitionProblem(path, "unknown_operator", {"op": op}))
        return None
    value = data.get("value")
    if op in VALUELESS_OPS:
        if value is not None:
            problems.append(DefinitionProblem(path, "invalid_condition_value", {"op": op}))
            return None
        return Comparison(question, op)
    if op in COUNT_OPS:
        if not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
            problems.append(DefinitionProblem(path, "invalid_count", {"op": op}))
            return None
        return Comparison(question, op, value)
    if op in NUMERIC_OPS:
        ok = _is_number(value) and math.isfinite(float(value))
    elif op == "matches":
        ok = is_valid_pattern(value)
    elif op == "in":
        ok = (
            isinstance(value, list | tuple)
            and bool(value)
            and all(isinstance(v, str) or _is_number(v) for v in value)
        )
        value = tuple(value) if ok else value
    else:
        ok = isinstance(value, str) or _is_number(value)
    if not ok:
        problems.append(DefinitionProblem(path, "invalid_condition_value", {"op": op}))
        return None
    return Comparison(question, op, value)
