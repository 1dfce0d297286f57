"""Cascading choices: which options of a question are offered, given earlier answers.

A question's ``choice_filter`` is a list of clauses that must all hold for an option to
be offered (XLSForm's ``choice_filter = district = ${district}``, with a ``district``
column on the choices sheet, is ``[{"attribute": "district", "op": "equals",
"question": "district"}]``). An option's ``attribute`` is one of its ``attributes``, or
``"value"`` for its own value. Operators:

- ``equals`` / ``not_equals``: the attribute is (not) the answer to ``question``;
- ``selected_by``: the attribute is one of the values chosen in ``question`` (a
  multiple choice), XLSForm's ``selected(${question}, name)``.

A clause looking at an unanswered question offers nothing (as in ODK), and a question
with nothing to offer is not asked (:mod:`surveys.logic`). A filter only looks at
questions on earlier pages, so a page without JavaScript always shows the right options:
the server filters them when it draws the page, and validation refuses any other.

Where the earlier answers are not known (a printed form, the one-page offline interview
without its script, the builder's preview) the options are shown *grouped* under the
earlier answer they belong to (:func:`grouped_options`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveys.schema import FilterClause, Option, Question

VALUE = "value"
"""The attribute name of an option's own value."""


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def attribute_of(option: Option, attribute: str) -> str | None:
    """The option's ``attribute`` (its value for ``"value"``); None when it has none."""
    return option.value if attribute == VALUE else option.attributes.get(attribute)


def _holds(clause: FilterClause, option: Option, answers: Mapping[str, Any]) -> bool:
    answer = answers.get(clause.question)
    mine = attribute_of(option, clause.attribute)
    if clause.op == "selected_by":
        chosen = answer if isinstance(answer, list) else []
        return mine is not None and mine in [_text(v) for v in chosen]
    answered = answer not in (None, "", [], {})
    if clause.op == "not_equals":
        return not answered or mine != _text(answer)
    return answered and mine == _text(answer)


def offered_options(q: Question, answers: Mapping[str, Any]) -> tuple[Option, ...]:
    """The options of ``q`` a resident with ``answers`` (so far) is offered."""
    if not q.choice_filter:
        return q.options
    return tuple(o for o in q.options if all(_holds(c, o, answers) for c in q.choice_filter))


def has_choices(q: Question, answers: Mapping[str, Any]) -> bool:
    """False for a filtered question with nothing left to offer: it is not asked."""
    return not q.choice_filter or bool(offered_options(q, answers))


def refused_values(q: Question, value: Any, answers: Mapping[str, Any]) -> list[str]:
    """The chosen values in ``value`` that the filter does not offer."""
    if not q.choice_filter or value is None:
        return []
    offered = {o.value for o in offered_options(q, answers)}
    chosen = value if isinstance(value, list) else [value]
    return [str(v) for v in chosen if str(v) not in offered]


@dataclass(frozen=True)
class OptionGroup:
    """The options offered when ``question`` (the clause's) was answered ``answer``;
    ``parent`` is that answer's option in ``question``, if it has options."""

    answer: str
    parent: Option | None
    options: tuple[Option, ...]


def grouping_clause(q: Question) -> FilterClause | None:
    """The clause ``q``'s options can be grouped by: the first one offering the options
    whose attribute (not their own value) is the earlier answer (``district = ${district}``
    or ``selected(${districts}, district)``); None when there is none."""
    return next(
        (c for c in q.choice_filter if c.op in ("equals", "selected_by") and c.attribute != VALUE),
        None,
    )


def grouped_options(q: Question, parent: Question) -> list[OptionGroup]:
    """``q``'s options under each answer to ``parent`` (its grouping clause's question)
    that offers some, in ``parent``'s option order (then in the options' own order when
    ``parent`` has no options). Options no answer offers are left out: never offered."""
    clause = grouping_clause(q)
    if clause is None:
        return []
    answers: list[str] = [o.value for o in parent.options]
    for option in q.options:
        mine = attribute_of(option, clause.attribute)
        if not parent.options and mine is not None and mine not in answers:
            answers.append(mine)
    groups = []
    for answer in answers:
        members = tuple(o for o in q.options if attribute_of(o, clause.attribute) == answer)
        if members:
            groups.append(OptionGroup(answer, parent.option(answer), members))
    return groups
