"""Survey definitions: a survey is pages of questions with options; all text per language.

The JSON form (``SurveyDefinition.to_dict()`` / ``SurveyDefinition.from_dict()``)::

    {
      "format": "engage-survey/1",
      "slug": "demo", "version": "1",
      "source_language": "en", "languages": ["en", "es", "ar"],
      "title": {"en": "...", "es": "..."}, "description": {...},
      "thank_you": {"en": "...", "es": "..."},
      "pages": [
        {"key": "about_you", "title": {...}, "description": {...}, "show_if": {...},
         "image": {"src": "/rounds/images/3", "width": 320, "height": 180, "alt": {...}},
         "questions": [
           {"code": "area", "type": "single_choice", "required": true,
            "label": {...}, "help": {...},
            "options": [{"value": "riverside", "label": {...}},
                        {"value": "other", "label": {...}, "specify": true,
                         "specify_label": {...}},
                        {"value": "prefer_not_to_say", "label": {...}, "exclusive": true}],
            "analysis_role": "demographic", "dimension": "area",
            "show_if": {"question": "lives_here", "op": "equals", "value": "yes"}}
         ]}
      ],
      "calculations": [{"code": "total", "expression": "${adults} + ${children}"}]
    }

Optional question keys (omitted from ``to_dict`` when unset): ``help``, ``options``,
``rows`` (matrix rows; ``options`` are its columns), ``minimum``/``maximum`` (numbers for
number/rating/scale, ISO dates for date), ``decimals``, ``max_length``, ``max_choices``,
``point_labels`` (rating/scale: ``{"0": {...}, "10": {...}}``), ``analysis_role``,
``outcome``, ``dimension``, ``show_if``, ``default`` (the answer a resident finds
filled in, still editable: a value the type's validation accepts) and ``choice_filter``
(which options to offer given earlier answers, see :mod:`surveys.choice_filters`), with
``attributes`` on options (``{"district": "north"}``: the extra choice columns XLSForm
cascading selects filter on) and ``specify_label`` on the option that asks to specify
(the label of its text box, e.g. "If somewhere else, type the place"; otherwise Engage's
own "Please say more").
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType
from typing import Any

from surveys.conditions import Condition, condition_to_dict
from surveys.errors import DefinitionError

LocalizedText = dict[str, str]
"""Human text per language code, e.g. ``{"en": "Yes", "es": "Sí"}``."""

FORMAT = "engage-survey/1"
PREFER_NOT_TO_SAY = "prefer_not_to_say"
"""Reserved option value; always exclusive in multi-selects."""
OTHER_SUFFIX = "__other"
"""Answers key suffix holding the "please specify" text: ``q__other``."""

ANALYSIS_ROLES = frozenset(
    {
        "open_feedback",
        "job_situation",
        "job_motivation",
        "job_outcome",
        "job_obstacle",
        "outcome_importance",
        "outcome_satisfaction",
        "demographic",
    }
)
OUTCOME_ROLES = frozenset({"outcome_importance", "outcome_satisfaction"})
OPEN_TEXT_ROLES = frozenset(
    {"open_feedback", "job_situation", "job_motivation", "job_outcome", "job_obstacle"}
)
DIMENSIONS = frozenset({"race_ethnicity", "area", "language", "age", "gender", "household"})


def other_key(code: str) -> str:
    """The answers key of a question's "other, please specify" text."""
    return f"{code}{OTHER_SUFFIX}"


@dataclass(frozen=True)
class Option:
    """A choice (or a matrix row/column). ``specify`` asks for text in ``q__other``."""

    value: str
    label: LocalizedText
    exclusive: bool = False
    specify: bool = False
    attributes: dict[str, str] = field(default_factory=dict)
    """Extra values a ``choice_filter`` compares (XLSForm's extra choice columns)."""
    specify_label: LocalizedText = field(default_factory=dict)
    """The label of the text box of an option that asks to specify (empty: Engage's own)."""

    @property
    def is_exclusive(self) -> bool:
        return self.exclusive or self.value == PREFER_NOT_TO_SAY

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"value": self.value, "label": dict(self.label)}
        if self.exclusive:
            data["exclusive"] = True
        if self.specify:
            data["specify"] = True
        if self.specify_label:
            data["specify_label"] = dict(self.specify_label)
        if self.attributes:
            data["attributes"] = dict(self.attributes)
        return data


@dataclass(frozen=True)
class FilterClause:
    """One test of a ``choice_filter``: an option is offered when its ``attribute``
    (``"value"`` for the option's own value) ``op`` the answer to ``question``.

    ``op`` is ``equals``, ``not_equals`` or ``selected_by`` (the option's attribute is
    one of the values chosen in a multiple-choice ``question``)."""

    attribute: str
    op: str
    question: str

    def to_dict(self) -> dict[str, str]:
        return {"attribute": self.attribute, "op": self.op, "question": self.question}


@dataclass(frozen=True)
class Question:
    code: str
    type: str
    label: LocalizedText
    help: LocalizedText = field(default_factory=dict)
    required: bool = False
    constraint_message: LocalizedText = field(default_factory=dict)
    """Shown instead of Engage's own message when an answer is outside the question's
    limits (XLSForm ``constraint_message``)."""
    options: tuple[Option, ...] = ()
    rows: tuple[Option, ...] = ()
    minimum: int | float | str | None = None
    maximum: int | float | str | None = None
    decimals: bool = False
    max_length: int | None = None
    max_choices: int | None = None
    pattern: str | None = None
    """Text answers must contain it (XLSForm ``constraint = regex(., '…')``)."""
    point_labels: dict[str, LocalizedText] = field(default_factory=dict)
    analysis_role: str | None = None
    outcome: str | None = None
    dimension: str | None = None
    show_if: Condition | None = None
    default: Any = None
    """The answer filled in when the resident first sees the question (XLSForm
    ``default``), in the form the type stores."""
    choice_filter: tuple[FilterClause, ...] = ()
    """Every clause must hold for an option to be offered (XLSForm ``choice_filter``)."""

    def option(self, value: str) -> Option | None:
        return next((o for o in self.options if o.value == value), None)

    @cached_property
    def specify_option(self) -> Option | None:
        """The "please specify" option, if any (looked for once: a question never changes)."""
        return next((o for o in self.options if o.specify), None)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "type": self.type,
            "required": self.required,
            "label": dict(self.label),
        }
        if self.help:
            data["help"] = dict(self.help)
        if self.constraint_message:
            data["constraint_message"] = dict(self.constraint_message)
        if self.options:
            data["options"] = [o.to_dict() for o in self.options]
        if self.rows:
            data["rows"] = [r.to_dict() for r in self.rows]
        for name in ("minimum", "maximum", "max_length", "max_choices", "pattern"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.decimals:
            data["decimals"] = True
        if self.point_labels:
            data["point_labels"] = {k: dict(v) for k, v in self.point_labels.items()}
        for name in ("analysis_role", "outcome", "dimension"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.show_if is not None:
            data["show_if"] = condition_to_dict(self.show_if)
        if self.default is not None:
            data["default"] = list(self.default) if isinstance(self.default, list) else self.default
        if self.choice_filter:
            data["choice_filter"] = [c.to_dict() for c in self.choice_filter]
        return data


@dataclass(frozen=True)
class PageImage:
    """A picture shown above a page's questions (a co-design prototype's), already sized
    for the resident page: ``src`` is its address, ``alt`` its text per language."""

    src: str
    width: int
    height: int
    alt: LocalizedText = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"src": self.src, "width": self.width, "height": self.height, "alt": dict(self.alt)}


@dataclass(frozen=True)
class Page:
    key: str
    questions: tuple[Question, ...]
    title: LocalizedText = field(default_factory=dict)
    description: LocalizedText = field(default_factory=dict)
    show_if: Condition | None = None
    image: PageImage | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"key": self.key}
        if self.title:
            data["title"] = dict(self.title)
        if self.description:
            data["description"] = dict(self.description)
        if self.show_if is not None:
            data["show_if"] = condition_to_dict(self.show_if)
        if self.image is not None:
            data["image"] = self.image.to_dict()
        data["questions"] = [q.to_dict() for q in self.questions]
        return data


@dataclass(frozen=True)
class Calculation:
    """A value worked out from the answers when a response is sent, and stored with it
    under ``code`` (XLSForm ``calculate``); see :mod:`surveys.calculations`."""

    code: str
    expression: str

    def to_dict(self) -> dict[str, str]:
        return {"code": self.code, "expression": self.expression}


@dataclass(frozen=True)
class SurveyDefinition:
    slug: str
    source_language: str
    languages: tuple[str, ...]
    title: LocalizedText
    pages: tuple[Page, ...]
    description: LocalizedText = field(default_factory=dict)
    version: str = ""
    thank_you: LocalizedText = field(default_factory=dict)
    """Shown to the resident after submitting; optional."""
    calculations: tuple[Calculation, ...] = ()
    """Worked out in order when a response is sent (each may use those before it)."""

    def questions(self) -> Iterator[Question]:
        """Every question, in order."""
        for page in self.pages:
            yield from page.questions

    @cached_property
    def questions_by_answer_key(self) -> Mapping[str, Question]:
        """The question each answer key belongs to: its code, and ``code__other`` for a
        question with a "please specify" option. Worked out once per definition (a
        definition never changes, and a parsed one is reused for every submission)."""
        known: dict[str, Question] = {}
        for q in self.questions():
            known[q.code] = q
            if q.specify_option is not None:
                known[other_key(q.code)] = q
        return MappingProxyType(known)

    def question(self, code: str) -> Question:
        """The question with ``code``; ``KeyError`` if there is none."""
        for q in self.questions():
            if q.code == code:
                return q
        raise KeyError(code)

    def page_index_of(self, code: str) -> int:
        for index, page in enumerate(self.pages):
            if any(q.code == code for q in page.questions):
                return index
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "slug": self.slug,
            "version": self.version,
            "source_language": self.source_language,
            "languages": list(self.languages),
            "title": dict(self.title),
        }
        if self.description:
            data["description"] = dict(self.description)
        if self.thank_you:
            data["thank_you"] = dict(self.thank_you)
        data["pages"] = [p.to_dict() for p in self.pages]
        if self.calculations:
            data["calculations"] = [c.to_dict() for c in self.calculations]
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SurveyDefinition:
        """Parse and check a definition; raises :class:`DefinitionError` with every problem."""
        from surveys.checks import check_definition
        from surveys.parsing import parse_definition

        definition, problems = parse_definition(data)
        if definition is not None and not problems:
            problems = check_definition(definition)
        if problems or definition is None:
            raise DefinitionError(problems)
        return definition
