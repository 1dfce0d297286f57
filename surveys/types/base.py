"""The base of question types: the registry, the ``QuestionType`` interface and its helpers.

A question type is one class in one module of :mod:`surveys.types`, registered with
:func:`register`. It owns everything that differs by type: validation, traits, the
builder's label and fields, its answer-error messages, its XLSForm rows and what edits
keep stored answers meaningful. Nothing outside :mod:`surveys.types` names a type.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, NamedTuple, TypeVar

from surveys.conditions import Comparison
from surveys.errors import AnswerError, DefinitionProblem, UnknownQuestionType
from surveys.schema import Question, other_key
from surveys.types.xlsform_io import (
    Cells,
    XLSFormGroupReading,
    XLSFormReading,
    XLSFormRow,
    XLSFormWriting,
)

FormData = Mapping[str, Sequence[str] | str]
"""Submitted form fields: each name to its list of values (``to_dict(flat=False)``)."""

EDITOR_FIELDS = (
    "options",
    "options.specify",
    "options.exclusive",
    "rows",
    "minimum",
    "maximum",
    "decimals",
    "max_length",
    "max_choices",
    "point_labels",
)
"""Every type-specific definition field a type may list in ``editor_fields``, in the
builder's order. ``options.specify``/``options.exclusive`` are the option flags."""


def N_(message: str) -> str:
    """Mark ``message`` for translation; the web app translates it when shown."""
    return message


class PluralMessage(NamedTuple):
    """A message with a plural form; ``count`` names the error param that picks the form."""

    singular: str
    plural: str
    count: str


def NP_(singular: str, plural: str, count: str) -> PluralMessage:
    """Mark a plural message for translation (extract with ``-k NP_:1,2``)."""
    return PluralMessage(singular, plural, count)


Message = str | PluralMessage


@dataclass(frozen=True)
class Cleaned:
    """A cleaned answer: ``value`` None means unanswered (or invalid, see ``errors``)."""

    value: Any = None
    other: str | None = None
    errors: tuple[AnswerError, ...] = ()


@dataclass(frozen=True)
class OrphaningChanges:
    """What an edit of one question does to the answers already stored for it."""

    removed_options: tuple[str, ...] = ()
    removed_rows: tuple[str, ...] = ()
    removed_specify: bool = False
    points_changed: bool = False


def form_values(form: FormData, key: str) -> list[str]:
    raw = form.get(key, [])
    values = [raw] if isinstance(raw, str) else list(raw)
    return [v for v in values if isinstance(v, str) and v.strip()]


def first_value(form: FormData, key: str) -> str | None:
    values = form_values(form, key)
    return values[0] if values else None


def clean_text(value: str) -> str:
    return unicodedata.normalize("NFC", value.replace("\r\n", "\n")).strip()


def export_value(value: Any) -> Any:
    """A stored scalar or list as one export cell: lists space-separated, True "yes"."""
    if value is True:
        return "yes"
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value


def is_storable(text: str) -> bool:
    """False for text no database keeps as it is: NUL characters and lone surrogates."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate ("\ud800")
        return False
    return True


class QuestionType:
    """One kind of question. Subclasses set the class attributes and override methods."""

    name: ClassVar[str]
    """The ``type`` of a question in a definition, e.g. ``"single_choice"``."""
    label: ClassVar[str]
    """The builder's name of the type, ``N_``-marked English."""
    description: ClassVar[str] = ""
    """One ``N_``-marked sentence for the builder's type picker."""
    position: ClassVar[int] = 1000
    """Where the type comes in the builder's list (and in ``QUESTION_TYPES``)."""
    template: ClassVar[str]
    """The resident markup partial; ``questions/<name>.html`` unless a class sets it."""

    # -- traits ------------------------------------------------------------------------
    answerable: ClassVar[bool] = True
    is_numeric: ClassVar[bool] = False
    """The answer is a number: numeric skip-logic tests and outcome roles apply."""
    has_options: ClassVar[bool] = False
    has_rows: ClassVar[bool] = False
    multiple: ClassVar[bool] = False
    """The answer is a list of option values."""
    counts_choices: ClassVar[bool] = False
    """Skip logic may test how many options are chosen (the ``count_*`` tests)."""
    analysable_as_text: ClassVar[bool] = False
    """Answers are open text that goes to text analysis."""
    numeric_bounds: ClassVar[bool] = False
    """``minimum``/``maximum`` are numbers (otherwise, when offered, ISO dates)."""
    default_min: ClassVar[int | None] = None
    default_max: ClassVar[int | None] = None
    storage: ClassVar[str]
    """The kind of stored value; a type change to another kind orphans answers."""
    takes_default: ClassVar[bool] = True
    """A question may have a ``default`` answer, filled in and editable."""
    filterable: ClassVar[bool] = False
    """A question may have a ``choice_filter`` (cascading choices)."""
    text_pattern: ClassVar[bool] = False
    """A question may have a ``pattern`` its text answers must contain."""

    # -- builder -----------------------------------------------------------------------
    editor_fields: ClassVar[tuple[str, ...]] = ()
    """The type-specific definition fields the builder offers (from ``EDITOR_FIELDS``).
    Definitions are rejected when they set ``max_length``, ``max_choices``,
    ``point_labels`` or bounds that the type does not list."""
    required_fields: ClassVar[tuple[str, ...]] = ()
    """Those of ``editor_fields`` a definition must fill in (``check`` reports them)."""
    messages: ClassVar[Mapping[str, Message]] = {}
    """English messages for the answer-error codes only this type (family) raises."""

    # -- XLSForm -----------------------------------------------------------------------
    xlsform_types: ClassVar[tuple[str, ...]] = ()
    """The XLSForm types (first word of the ``type`` cell) this type may read."""
    xlsform_default_for: ClassVar[tuple[str, ...]] = ()
    """Those of ``xlsform_types`` that mean this type when nothing more specific does."""
    xlsform_appearances: ClassVar[frozenset[str]] = frozenset()
    """Appearances that pick this type among those reading the same XLSForm type."""
    xlsform_engage_type: ClassVar[bool] = False
    """An ``engage_type`` cell equal to ``name`` picks this type."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__ and "template" not in cls.__dict__:
            cls.template = f"questions/{cls.name}.html"

    # -- definitions -------------------------------------------------------------------

    def accepts(self, field: str) -> bool:
        """Whether a definition of this type may set ``field`` (see ``editor_fields``)."""
        return field in self.editor_fields

    def check(self, q: Question, path: str) -> list[DefinitionProblem]:
        """Type-specific problems with a question's definition."""
        return []

    def unknown_condition_values(self, q: Question, comparison: Comparison) -> list[Any]:
        """Values a skip-logic test compares ``q``'s answer with that it can never have."""
        return []

    def orphaning_changes(self, old: Question, new: Question) -> OrphaningChanges:
        """What editing ``old`` into ``new`` (same ``storage``) removes from stored answers."""
        new_rows = {r.value for r in new.rows}
        specify = old.specify_option
        return OrphaningChanges(
            removed_options=tuple(o.value for o in old.options if new.option(o.value) is None),
            removed_rows=tuple(r.value for r in old.rows if r.value not in new_rows),
            removed_specify=specify is not None
            and (new.specify_option is None or new.specify_option.value != specify.value),
        )

    # -- the resident's page ---------------------------------------------------------------

    def points(self, q: Question) -> list[int]:
        """The points a resident chooses among (rating, scale); none for other types."""
        return []

    def answer_values(self, q: Question) -> list[str]:
        """The values an answer is chosen from (for skip logic and exports); none if free."""
        return [o.value for o in q.options] if self.has_options and not self.has_rows else []

    def first_field_id(self, q: Question) -> str:
        """The id of the first field in the type's markup: the error summary links to it."""
        return q.code

    def form_values(self, q: Question, answer: Any) -> dict[str, list[str]]:
        """The form fields that would submit the stored ``answer`` (``read_form`` reversed)."""
        if answer is None:
            return {}
        if isinstance(answer, list):
            return {q.code: [str(v) for v in answer]}
        return {q.code: ["yes" if answer is True else str(answer)]}

    # -- exports -----------------------------------------------------------------------

    def export_columns(self, q: Question) -> list[str]:
        """The columns ``q`` fills in a response export, in order (none: stores nothing)."""
        if self.storage == "none":
            return []
        columns = [q.code]
        if q.specify_option is not None:
            columns.append(other_key(q.code))
        return columns

    def export_cells(self, q: Question, answers: Mapping[str, Any]) -> dict[str, Any]:
        """``q``'s stored answer (in a response's ``answers``) as cells by column name;
        a column left out is blank. Lists are space-separated values, as in XLSForm."""
        value = answers.get(q.code)
        if value is None:
            return {}
        cells = {q.code: export_value(value)}
        if q.specify_option is not None and answers.get(other_key(q.code)) is not None:
            cells[other_key(q.code)] = answers[other_key(q.code)]
        return cells

    def import_value(self, q: Question, cells: Mapping[str, str]) -> Any:
        """The raw answer to ``q`` in an imported row (cells by column, as text), for
        ``clean`` to check: what ``export_cells`` wrote, read back. None: blank."""
        return (cells.get(q.code) or "").strip() or None

    # -- answers -----------------------------------------------------------------------

    def read_form(self, q: Question, form: FormData) -> tuple[Any, Any]:
        """The raw (value, other text) of ``q`` in a submitted form."""
        return first_value(form, q.code), first_value(form, other_key(q.code))

    def clean(self, q: Question, raw: Any, other: Any = None) -> Cleaned:
        """Validate and normalise a raw value (from a form or JSON) into the stored value."""
        raise NotImplementedError

    def required_error(self, q: Question, value: Any) -> AnswerError | None:
        """The error for a required question left with ``value`` (None: unanswered)."""
        return AnswerError("required", q.code) if value is None else None

    def error(self, q: Question, code: str, /, **params: Any) -> Cleaned:
        return Cleaned(errors=(AnswerError(code, q.code, params),))

    # -- XLSForm -----------------------------------------------------------------------

    def xlsform_match(self, row: XLSFormRow) -> int | None:
        """How strongly this type claims ``row`` (whose base is in ``xlsform_types``):
        3 by ``engage_type``, 2 by appearance, 1 as the default; None: not at all."""
        if self.xlsform_engage_type and row.engage_type == self.name:
            return 3
        if self.xlsform_appearances & row.appearances:
            return 2
        return 1 if row.base in self.xlsform_default_for else None

    def read_xlsform(self, row: XLSFormRow, sheet: XLSFormReading) -> dict[str, Any] | None:
        """The type-specific fields of the question in ``row`` (``type``, ``options``…),
        or None after reporting a problem. Label, hint, required, relevant, constraint and
        the ``engage_*`` columns are read by the importer for every type."""
        if row.args:
            sheet.problem(row.number, "unsupported_type", type=row.type)
            return None
        return {"type": self.name}

    def read_xlsform_group(self, row: XLSFormRow, sheet: XLSFormReading) -> XLSFormGroupReading:
        """A reader for the rows of a group this type claims (``"begin group"`` types)."""
        raise NotImplementedError(f"{self.name} is not written as a group")

    def read_xlsform_constraint(
        self, part: str, question: Mapping[str, Any]
    ) -> dict[str, Any] | None:
        """The definition fields one ``and``-part of a ``constraint`` sets, or None.

        ``question`` holds the fields read from the row so far (``decimals``…)."""
        return None

    def xlsform_cells(self, q: Question, sheet: XLSFormWriting) -> Cells:
        """The cells (``type``, ``appearance``, ``engage_type``…) of ``q``'s row; may add
        choice lists to ``sheet``."""
        raise NotImplementedError

    def xlsform_constraints(self, q: Question) -> list[str]:
        """The ``constraint`` parts (joined with ``and``) that carry ``q``'s limits."""
        return []

    def write_xlsform(self, q: Question, row: Cells, sheet: XLSFormWriting) -> None:
        """Write ``q`` to the survey sheet; ``row`` holds the cells every question has."""
        row.update(self.xlsform_cells(q, sheet))
        row["constraint"] = " and ".join(self.xlsform_constraints(q))
        sheet.append(row)


QUESTION_TYPES: dict[str, QuestionType] = {}
"""Every registered type by name, in the builder's order (``position``)."""

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_T = TypeVar("_T", bound=type[QuestionType])


def register(cls: _T) -> _T:
    """Class decorator adding a question type to the registry."""
    name = cls.__dict__.get("name")
    if not isinstance(name, str) or not _NAME.match(name):
        raise ValueError(f"{cls.__qualname__} needs its own lower-case name")
    if name in QUESTION_TYPES:
        raise ValueError(f"question type {name!r} is registered twice")
    for attribute in ("label", "storage"):
        if not getattr(cls, attribute, ""):
            raise ValueError(f"question type {name!r} has no {attribute}")
    unknown = set(cls.editor_fields) - set(EDITOR_FIELDS)
    if unknown or not set(cls.required_fields) <= set(cls.editor_fields):
        raise ValueError(f"question type {name!r} lists unknown fields")
    QUESTION_TYPES[name] = cls()
    ordered = sorted(QUESTION_TYPES.items(), key=lambda item: (item[1].position, item[0]))
    QUESTION_TYPES.clear()
    QUESTION_TYPES.update(ordered)
    return cls


def get_type(name: str) -> QuestionType:
    """The registered type called ``name``; :class:`UnknownQuestionType` if there is none."""
    try:
        return QUESTION_TYPES[name]
    except KeyError:
        raise UnknownQuestionType(name) from None


def types_where(trait: str, value: object = True) -> tuple[QuestionType, ...]:
    """The registered types whose ``trait`` equals ``value``: ``types_where("multiple")``."""
    return tuple(t for t in QUESTION_TYPES.values() if getattr(t, trait) == value)
