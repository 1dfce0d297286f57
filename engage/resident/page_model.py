"""What the resident survey templates render: questions with texts, values and errors.

Survey content is data: each text is picked in the resident's language, and a text that
falls back to another language says so, so the template can mark it with its own
``lang`` and ``dir``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from engage.resident.condition_hints import (
    answer_text,
    condition_hint,
    filter_hint,
    script_condition,
)
from engage.web.messages import answer_error_message
from surveys import AnswerError, Question, SurveyDefinition, get_type, other_key, text_for
from surveys.calculations import with_calculations
from surveys.choice_filters import VALUE, grouped_options, grouping_clause, offered_options
from surveys.conditions import condition_to_dict
from surveys.i18n import text_direction
from surveys.piping import pipe

FormValues = Mapping[str, Sequence[str]]
LIMIT_ERRORS = frozenset(
    {"below_min", "above_max", "too_long", "too_many_choices", "pattern_mismatch"}
)
"""Answer errors a question's own ``constraint_message`` replaces."""


@dataclass(frozen=True)
class Text:
    text: str
    lang: str
    dir: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text


def localized(texts: Mapping[str, str], lang: str, definition: SurveyDefinition) -> Text:
    text, actual = text_for(texts, lang, definition.source_language)
    return Text(text, actual, text_direction(actual), actual != lang)


def localized_optional(
    texts: Mapping[str, str], lang: str, definition: SurveyDefinition
) -> Text | None:
    """:func:`localized` for a text a survey may leave out (help, intro, page title…)."""
    return localized(texts, lang, definition) if texts else None


@dataclass(frozen=True)
class ChoiceView:
    value: str
    label: Text
    selected: bool
    specify: bool = False
    exclusive: bool = False
    specify_label: Text | None = None
    """The label of the option's "please specify" box, when the survey gives one."""
    attributes: dict[str, str] = field(default_factory=dict)
    """What a choice filter compares (its attributes and ``value``), for the script of
    a form that filters the options itself (the offline interview)."""


@dataclass(frozen=True)
class ChoiceGroupView:
    """The options of a filtered question offered after one earlier answer (``label``)."""

    label: Text
    choices: list[ChoiceView]


@dataclass(frozen=True)
class RowView:
    value: str
    label: Text
    field_name: str
    choices: list[ChoiceView]


@dataclass
class QuestionView:
    code: str
    type: str
    template: str
    """The type's markup partial (``questions/<type>.html``)."""
    first_field_id: str
    """Where the error summary's link lands."""
    label: Text
    help: Text | None
    required: bool
    value: str = ""
    other: str = ""
    choices: list[ChoiceView] = field(default_factory=list)
    rows: list[RowView] = field(default_factory=list)
    minimum: Any = None
    maximum: Any = None
    max_length: int | None = None
    max_choices: int | None = None
    decimals: bool = False
    errors: list[str] = field(default_factory=list)
    point_labels: list[tuple[str, Text]] = field(default_factory=list)
    values: dict[str, list[str]] = field(default_factory=dict)
    """The submitted (or stored) form values of every field of this question."""
    condition: str | None = None
    """When to answer it, if that depends on an answer on the same page."""
    show_if: dict[str, Any] | None = None
    """That condition as JSON, for the page's script to hide the question live."""
    groups: list[ChoiceGroupView] = field(default_factory=list)
    """A filtered question's options under the earlier answer they follow, where the
    answers are not known (paper, offline form, preview); empty otherwise."""
    filter_hint: str | None = None
    """How to choose among those options (which earlier answer they follow)."""
    choice_filter: list[dict[str, str]] | None = None
    """The choice filter as JSON, for a script that filters the options itself."""

    @property
    def error_id(self) -> str:
        return f"{self.code}-error"

    @property
    def hint_id(self) -> str:
        return f"{self.code}-hint"

    @property
    def condition_id(self) -> str:
        return f"{self.code}-condition"


def values_from_answers(
    definition: SurveyDefinition, answers: Mapping[str, Any]
) -> dict[str, list[str]]:
    """Stored, normalised answers as the form fields that would have produced them."""
    values: dict[str, list[str]] = {}
    for q in definition.questions():
        if q.code in answers:
            values.update(get_type(q.type).form_values(q, answers[q.code]))
        if other_key(q.code) in answers:
            values[other_key(q.code)] = [str(answers[other_key(q.code)])]
    return values


def default_values(questions: Sequence[Question]) -> dict[str, list[str]]:
    """The form fields of the questions' ``default`` answers (a form not filled in yet)."""
    values: dict[str, list[str]] = {}
    for q in questions:
        if q.default is not None:
            values.update(get_type(q.type).form_values(q, q.default))
    return values


def _choices(
    q: Question, lang: str, d: SurveyDefinition, chosen: Sequence[str]
) -> list[ChoiceView]:
    return [
        ChoiceView(
            value=o.value,
            label=localized(o.label, lang, d),
            selected=o.value in chosen,
            specify=o.specify,
            exclusive=o.is_exclusive,
            specify_label=localized_optional(o.specify_label, lang, d) if o.specify else None,
            attributes={**o.attributes, VALUE: o.value} if q.choice_filter else {},
        )
        for o in q.options
    ]


def _point_choices(points: list[int], chosen: Sequence[str]) -> list[ChoiceView]:
    """The points of a rating or 0–10 scale, as compact numbered choices."""
    return [
        ChoiceView(value=str(p), label=Text(str(p), "", "", False), selected=str(p) in chosen)
        for p in points
    ]


def _point_labels(q: Question, lang: str, d: SurveyDefinition) -> list[tuple[str, Text]]:
    """Labelled points ("0 – not at all", "10 – very"), shown as a key above the scale."""
    return [
        (point, localized(label, lang, d))
        for point, label in sorted(q.point_labels.items(), key=lambda item: int(item[0]))
    ]


def _rows(q: Question, lang: str, d: SurveyDefinition, values: FormValues) -> list[RowView]:
    return [
        RowView(
            value=row.value,
            label=localized(row.label, lang, d),
            field_name=f"{q.code}__{row.value}",
            choices=_choices(q, lang, d, list(values.get(f"{q.code}__{row.value}", ()))),
        )
        for row in q.rows
    ]


def build_question_views(
    definition: SurveyDefinition,
    questions: Sequence[Question],
    lang: str,
    values: FormValues,
    errors: Sequence[AnswerError] = (),
    answers: Mapping[str, Any] | None = None,
) -> list[QuestionView]:
    """The questions' views; with the resident's earlier ``answers``, a ``${code}`` in a
    label or help text shows that answer (:mod:`surveys.piping`) and a filtered choice
    offers the options those answers allow (:mod:`surveys.choice_filters`). Without
    them, a filtered choice shows every option, grouped under the earlier answer each
    follows where it can be, with a sentence saying how to choose."""
    if answers is not None:
        questions = [
            dataclasses.replace(q, options=offered_options(q, answers)) if q.choice_filter else q
            for q in questions
        ]
    by_question: dict[str, list[str]] = {}
    own = {q.code: q.constraint_message for q in questions if q.constraint_message}
    for error in errors:
        if error.question in own and error.code in LIMIT_ERRORS and "field" not in error.params:
            message = localized(own[error.question], lang, definition).text
        else:
            message = answer_error_message(error)
        by_question.setdefault(error.question, []).append(message)
    views = [
        _question_view(q, definition, lang, values, by_question.get(q.code, [])) for q in questions
    ]
    if answers is None:  # the earlier answers are not known: group what they would filter
        for q, view in zip(questions, views, strict=True):
            if q.choice_filter and view.choices:
                _group_choices(view, q, definition, lang)
    else:
        answers = with_calculations(definition, answers)
        for view in views:
            view.label = _piped(view.label, definition, answers, lang)
            view.help = _piped(view.help, definition, answers, lang) if view.help else None
    return views


def _group_choices(
    view: QuestionView, q: Question, definition: SurveyDefinition, lang: str
) -> None:
    """Fill in ``view``'s groups, hint and filter for a question with a choice filter."""
    view.filter_hint = filter_hint(definition, q, lang)
    view.choice_filter = [c.to_dict() for c in q.choice_filter]
    by_value = {c.value: c for c in view.choices}
    clause = grouping_clause(q)
    if clause is None:
        return
    parent = definition.question(clause.question)
    for group in grouped_options(q, parent):
        if group.parent is not None:
            label = localized(group.parent.label, lang, definition)
        else:
            text = answer_text(definition, parent.code, group.answer, lang)
            label = Text(text, lang, text_direction(lang), False)
        view.groups.append(ChoiceGroupView(label, [by_value[o.value] for o in group.options]))


def _piped(text: Text, definition: SurveyDefinition, answers: Mapping[str, Any], lang: str) -> Text:
    filled = pipe(text.text, definition, answers, lang)
    return text if filled == text.text else Text(filled, text.lang, text.dir, text.is_fallback)


def _question_view(
    q: Question, d: SurveyDefinition, lang: str, values: FormValues, errors: list[str]
) -> QuestionView:
    """What the type's partial needs; an unknown type raises ``UnknownQuestionType``."""
    qtype = get_type(q.type)
    chosen = list(values.get(q.code, ()))
    view = QuestionView(
        code=q.code,
        type=q.type,
        template=qtype.template,
        first_field_id=qtype.first_field_id(q),
        label=localized(q.label, lang, d),
        help=localized_optional(q.help, lang, d),
        required=q.required,
        value=chosen[0] if chosen else "",
        other=(list(values.get(other_key(q.code), ())) or [""])[0],
        minimum=q.minimum,
        maximum=q.maximum,
        max_length=q.max_length,
        max_choices=q.max_choices,
        decimals=q.decimals,
        errors=errors,
        values={
            k: list(v) for k, v in values.items() if k == q.code or k.startswith(f"{q.code}__")
        },
    )
    view.condition = condition_hint(d, q, lang)
    if view.condition is not None:
        decidable = script_condition(d, q)
        view.show_if = condition_to_dict(decidable) if decidable is not None else None
    points = qtype.points(q)
    if points:
        view.choices = _point_choices(points, chosen)
        view.point_labels = _point_labels(q, lang, d)
    elif qtype.has_rows:
        view.rows = _rows(q, lang, d, values)
    elif qtype.has_options:
        view.choices = _choices(q, lang, d, chosen)
    return view
