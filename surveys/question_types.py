"""The registry of question types.

Each type knows three things: which definition fields it needs (``check``), how to read
its raw value out of a submitted web form (``read_form``), and how to validate and
normalise a raw value (from a form or from JSON) into the stored JSON value (``clean``).

Stored values per type:

=================================  =====================================================
``short_text``, ``long_text``      ``str`` (stripped, NFC)
``single_choice``, ``dropdown``    ``str`` option value; specify text in ``q__other``
``multiple_choice``, ``pick_up_to``  ``list[str]`` in option order; text in ``q__other``
``rating``, ``scale``              ``int`` (rating 1–5 and scale 0–10 by default)
``number``                         ``int`` or, with ``decimals``, ``int``/``float``
``date``                           ``"YYYY-MM-DD"``
``yes_no``                         ``"yes"`` or ``"no"``
``matrix``                         ``{row value: column value}``
``consent``                        ``True``
``info``                           nothing: it has no answer
=================================  =====================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from surveys.errors import AnswerError, DefinitionProblem
from surveys.numeric_types import Date, Number, Rating, Scale
from surveys.question_base import (
    QUESTION_TYPES,
    Cleaned,
    FormData,
    QuestionType,
    clean_text,
    first_value,
    form_values,
    get_type,
    register,
)
from surveys.schema import Question, other_key

__all__ = [
    "QUESTION_TYPES",
    "Cleaned",
    "Date",
    "FormData",
    "Number",
    "QuestionType",
    "Rating",
    "Scale",
    "get_type",
    "register",
]

OTHER_TEXT_MAX_LENGTH = 500
_TRUTHY = frozenset({"yes", "true", "on", "1", "agree", "ok"})
_FALSY = frozenset({"no", "false", "off", "0"})


@register
class ShortText(QuestionType):
    name = "short_text"
    default_max_length = 500

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None:
            return Cleaned()
        if not isinstance(raw, str):
            return self.error(q, "invalid_value", expected="string")
        text = clean_text(raw)
        limit = q.max_length or self.default_max_length
        if len(text) > limit:
            return self.error(q, "too_long", max=limit, length=len(text))
        return Cleaned(text or None)


@register
class LongText(ShortText):
    name = "long_text"
    default_max_length = 10_000


class _ChoiceBase(QuestionType):
    has_options = True

    def check(self, q: Question, path: str) -> list[DefinitionProblem]:
        problems = []
        if not q.options:
            problems.append(DefinitionProblem(f"{path}.options", "options_required"))
        if sum(o.specify for o in q.options) > 1:
            problems.append(DefinitionProblem(f"{path}.options", "several_specify_options"))
        return problems

    def _other(self, q: Question, chosen: list[str], other: Any) -> Cleaned | str | None:
        specify = q.specify_option
        if specify is None or specify.value not in chosen:
            return None
        text = clean_text(other) if isinstance(other, str) else ""
        field = other_key(q.code)
        if not text:
            return self.error(q, "other_text_required", field=field)
        if len(text) > OTHER_TEXT_MAX_LENGTH:
            return self.error(q, "too_long", field=field, max=OTHER_TEXT_MAX_LENGTH)
        return text


@register
class SingleChoice(_ChoiceBase):
    name = "single_choice"

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw == "":
            return Cleaned()
        if not isinstance(raw, str):
            return self.error(q, "invalid_value", expected="string")
        if q.option(raw) is None:
            return self.error(q, "invalid_choice", value=raw)
        text = self._other(q, [raw], other)
        if isinstance(text, Cleaned):
            return text
        return Cleaned(raw, text)


@register
class Dropdown(SingleChoice):
    name = "dropdown"


@register
class MultipleChoice(_ChoiceBase):
    name = "multiple_choice"

    def read_form(self, q: Question, form: FormData) -> tuple[Any, Any]:
        return form_values(form, q.code) or None, first_value(form, other_key(q.code))

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw == [] or raw == "":
            return Cleaned()
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            return self.error(q, "invalid_value", expected="list_of_strings")
        invalid = [v for v in raw if q.option(v) is None]
        if invalid:
            return self.error(q, "invalid_choice", values=invalid)
        chosen = [o.value for o in q.options if o.value in raw]
        exclusive = [o.value for o in q.options if o.value in chosen and o.is_exclusive]
        if exclusive and len(chosen) > 1:
            return self.error(q, "exclusive_choice", value=exclusive[0])
        if q.max_choices is not None and len(chosen) > q.max_choices:
            return self.error(q, "too_many_choices", max=q.max_choices, count=len(chosen))
        text = self._other(q, chosen, other)
        if isinstance(text, Cleaned):
            return text
        return Cleaned(chosen, text)


@register
class PickUpTo(MultipleChoice):
    """Multiple choice capped at ``max_choices`` ("choose up to 3")."""

    name = "pick_up_to"

    def check(self, q: Question, path: str) -> list[DefinitionProblem]:
        problems = super().check(q, path)
        if q.max_choices is None:
            problems.append(DefinitionProblem(f"{path}.max_choices", "missing_field"))
        return problems


@register
class YesNo(QuestionType):
    name = "yes_no"

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw == "":
            return Cleaned()
        if isinstance(raw, bool):
            return Cleaned("yes" if raw else "no")
        if isinstance(raw, str) and raw.strip().lower() in ("yes", "no"):
            return Cleaned(raw.strip().lower())
        return self.error(q, "invalid_choice", value=str(raw))


@register
class Matrix(QuestionType):
    """Rows × columns, one column per row; ``options`` are the columns."""

    name = "matrix"
    has_options = True
    has_rows = True

    def check(self, q: Question, path: str) -> list[DefinitionProblem]:
        problems = []
        if not q.options:
            problems.append(DefinitionProblem(f"{path}.options", "options_required"))
        if not q.rows:
            problems.append(DefinitionProblem(f"{path}.rows", "rows_required"))
        if any(o.specify for o in (*q.options, *q.rows)):
            problems.append(DefinitionProblem(f"{path}.options", "specify_not_supported"))
        return problems

    def read_form(self, q: Question, form: FormData) -> tuple[Any, Any]:
        values = {}
        for row in q.rows:
            value = first_value(form, f"{q.code}__{row.value}")
            if value is not None:
                values[row.value] = value
        return values or None, None

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw == {}:
            return Cleaned()
        if not isinstance(raw, Mapping):
            return self.error(q, "invalid_value", expected="object")
        rows = {r.value for r in q.rows}
        for row, column in raw.items():
            if row not in rows:
                return self.error(q, "unknown_row", row=str(row), field=f"{q.code}__{row}")
            if column in (None, ""):
                continue
            if not isinstance(column, str) or q.option(column) is None:
                return self.error(
                    q, "invalid_choice", row=row, value=str(column), field=f"{q.code}__{row}"
                )
        value = {r.value: raw[r.value] for r in q.rows if raw.get(r.value) not in (None, "")}
        return Cleaned(value or None)

    def required_error(self, q: Question, value: Any) -> AnswerError | None:
        if value is None:
            return AnswerError("required", q.code)
        missing = [r.value for r in q.rows if r.value not in value]
        if missing:
            return AnswerError("incomplete_rows", q.code, {"rows": missing})
        return None


@register
class Consent(QuestionType):
    """A single "I agree" box. Unticked is unanswered; required means it must be ticked."""

    name = "consent"

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None or raw is False or raw == "":
            return Cleaned()
        if raw is True:
            return Cleaned(True)
        if isinstance(raw, str) and raw.strip().lower() in _TRUTHY:
            return Cleaned(True)
        if isinstance(raw, str) and raw.strip().lower() in _FALSY:
            return Cleaned()
        return self.error(q, "invalid_value", expected="boolean")

    def required_error(self, q: Question, value: Any) -> AnswerError | None:
        return AnswerError("consent_required", q.code) if value is None else None


@register
class Info(QuestionType):
    """Information text between questions; it has no answer."""

    name = "info"
    answerable = False

    def read_form(self, q: Question, form: FormData) -> tuple[Any, Any]:
        return None, None

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        if raw is None:
            return Cleaned()
        return self.error(q, "not_answerable")

    def required_error(self, q: Question, value: Any) -> AnswerError | None:
        return None
