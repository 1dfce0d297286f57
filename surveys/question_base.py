"""The base of question types: the registry and helpers every type shares."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from surveys.errors import AnswerError, DefinitionProblem
from surveys.schema import Question, other_key

FormData = Mapping[str, Sequence[str] | str]
"""Submitted form fields: each name to its list of values (``to_dict(flat=False)``)."""


@dataclass(frozen=True)
class Cleaned:
    """A cleaned answer: ``value`` None means unanswered (or invalid, see ``errors``)."""

    value: Any = None
    other: str | None = None
    errors: tuple[AnswerError, ...] = ()


def form_values(form: FormData, key: str) -> list[str]:
    raw = form.get(key, [])
    values = [raw] if isinstance(raw, str) else list(raw)
    return [v for v in values if isinstance(v, str) and v.strip()]


def first_value(form: FormData, key: str) -> str | None:
    values = form_values(form, key)
    return values[0] if values else None


def ascii_digits(text: str) -> str:
    """Map any Unicode decimal digit (Arabic-Indic, Devanagari…) to ASCII."""
    out = []
    for ch in text:
        digit = unicodedata.decimal(ch, None)
        out.append(str(digit) if digit is not None else ch)
    # Arabic decimal separator and thousands separator.
    return "".join(out).replace("\u066b", ".").replace("\u066c", "")


def clean_text(value: str) -> str:
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()


class QuestionType:
    name: ClassVar[str]
    answerable: ClassVar[bool] = True
    has_options: ClassVar[bool] = False
    has_rows: ClassVar[bool] = False
    numeric_bounds: ClassVar[bool] = False
    default_min: ClassVar[int | None] = None
    default_max: ClassVar[int | None] = None

    def check(self, q: Question, path: str) -> list[DefinitionProblem]:
        """Type-specific problems with a question's definition."""
        return []

    def read_form(self, q: Question, form: FormData) -> tuple[Any, Any]:
        """The raw (value, other text) of ``q`` in a submitted form."""
        return first_value(form, q.code), first_value(form, other_key(q.code))

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        raise NotImplementedError

    def required_error(self, q: Question, value: Any) -> AnswerError | None:
        """The error for a required question left with ``value`` (None: unanswered)."""
        return AnswerError("required", q.code) if value is None else None

    def error(self, q: Question, code: str, /, **params: Any) -> Cleaned:
        return Cleaned(errors=(AnswerError(code, q.code, params),))


QUESTION_TYPES: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator adding a question type to the registry."""
    QUESTION_TYPES[cls.name] = cls()
    return cls


def get_type(name: str) -> QuestionType:
    """The registered type called ``name``; ``KeyError`` if unknown."""
    return QUESTION_TYPES[name]
