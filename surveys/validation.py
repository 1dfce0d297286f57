"""Validation of answers: one web-form page at a time, or a whole response as JSON.

Both entry points normalise to the same stored value per question type (see
:mod:`surveys.types`) and report :class:`~surveys.errors.AnswerError` values.

Error codes: ``required``, ``consent_required``, ``incomplete_rows``, ``invalid_value``,
``invalid_choice``, ``exclusive_choice``, ``too_many_choices``, ``other_text_required``,
``too_long``, ``not_a_number``, ``not_a_whole_number``, ``below_min``, ``above_max``,
``invalid_date``, ``unknown_row``, ``unknown_question``, ``not_answerable``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveys.calculations import compute
from surveys.choice_filters import refused_values
from surveys.conditions import evaluate
from surveys.errors import AnswerError
from surveys.logic import is_asked, prune_hidden
from surveys.schema import Question, SurveyDefinition, other_key
from surveys.types import FormData, get_type


@dataclass(frozen=True)
class PageResult:
    """Normalised answers of one page's visible questions, and its errors in page order."""

    answers: dict[str, Any]
    errors: tuple[AnswerError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ResponseResult:
    """A whole response: normalised answers, errors, and keys dropped as hidden."""

    answers: dict[str, Any]
    errors: tuple[AnswerError, ...]
    dropped: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors


def _validate_question(
    q: Question,
    raw: Any,
    other: Any,
    answers: dict[str, Any],
    errors: list[AnswerError],
    earlier: Mapping[str, Any],
) -> None:
    qtype = get_type(q.type)
    cleaned = qtype.clean(q, raw, other)
    if cleaned.errors:
        errors.extend(cleaned.errors)
        return
    refused = refused_values(q, cleaned.value, earlier)
    if refused:  # an option the choice filter does not offer after the earlier answers
        errors.append(AnswerError("invalid_choice", q.code, {"value": refused[0]}))
        return
    if q.required:
        missing = qtype.required_error(q, cleaned.value)
        if missing is not None:
            errors.append(missing)
    if cleaned.value is not None:
        answers[q.code] = cleaned.value
    if cleaned.other is not None:
        answers[other_key(q.code)] = cleaned.other


def validate_form_page(
    definition: SurveyDefinition,
    page_index: int,
    form: FormData,
    answers_so_far: Mapping[str, Any],
) -> PageResult:
    """Validate the submitted web form of page ``page_index``.

    ``form`` maps each field name to its list of values (``request.form.to_dict(flat=
    False)``): ``q``, ``q__other`` for "please specify", ``q__<row>`` for matrix rows and
    ``q__year``/``q__month``/``q__day`` for a date typed in three boxes.
    ``answers_so_far`` are the stored answers of the other pages; answers of this page in
    it are ignored. Questions hidden by skip logic are skipped and their input dropped.
    """
    page = definition.pages[page_index]
    on_page = {q.code for q in page.questions}
    context = {
        k: v
        for k, v in prune_hidden(definition, answers_so_far).items()
        if k.split("__")[0] not in on_page
    }
    answers: dict[str, Any] = {}
    errors: list[AnswerError] = []
    if page.show_if is not None and not evaluate(page.show_if, context):
        return PageResult({}, ())
    for q in page.questions:
        if not is_asked(q, context):
            continue
        qtype = get_type(q.type)
        if not qtype.answerable:
            continue
        raw, other = qtype.read_form(q, form)
        _validate_question(q, raw, other, answers, errors, context)
        context.update({k: v for k, v in answers.items() if k.split("__")[0] == q.code})
    return PageResult(answers, tuple(errors))


def merge_page_answers(
    definition: SurveyDefinition,
    page_index: int,
    answers_so_far: Mapping[str, Any],
    page_answers: Mapping[str, Any],
) -> dict[str, Any]:
    """Replace one page's answers in ``answers_so_far`` and drop answers now hidden."""
    on_page = {q.code for q in definition.pages[page_index].questions}
    merged = {k: v for k, v in answers_so_far.items() if k.split("__")[0] not in on_page}
    merged.update(page_answers)
    return prune_hidden(definition, merged)


def form_answers(definition: SurveyDefinition, form: FormData) -> dict[str, Any]:
    """The raw answers of a whole survey filled in as one web form (every page at once).

    Each answerable question reads its fields as on its own page (``q``, ``q__other``,
    ``q__<row>``…); the result is what :func:`validate_answers` takes, so a survey taken
    down on one page is checked, skip logic included, exactly like a JSON submission.
    """
    answers: dict[str, Any] = {}
    for q in definition.questions():
        qtype = get_type(q.type)
        if not qtype.answerable:
            continue
        raw, other = qtype.read_form(q, form)
        if raw is not None:
            answers[q.code] = raw
        if other not in (None, "") and q.specify_option is not None:
            answers[other_key(q.code)] = other
    return answers


def validate_answers(definition: SurveyDefinition, answers: Mapping[str, Any]) -> ResponseResult:
    """Validate a whole response given as JSON: ``{"q": value, "q__other": "text"}``.

    Values take natural JSON types (see :mod:`surveys.types`); already
    normalised answers validate to themselves, so stored answers can be re-checked.
    Unknown keys are errors; answers to questions hidden by skip logic are dropped and
    listed in ``dropped``. The survey's calculations are worked out from the valid
    answers and added (a value sent for one is replaced). A body that is not a JSON
    object gives one ``invalid_value`` error with an empty ``question``.
    """
    if not isinstance(answers, Mapping):
        return ResponseResult({}, (AnswerError("invalid_value", "", {"expected": "object"}),))
    errors: list[AnswerError] = []
    known = definition.questions_by_answer_key
    calculated = {c.code for c in definition.calculations}
    for key in answers:
        q = known.get(key)
        if q is None and key in calculated:
            continue  # worked out below, whatever was sent (a stored response re-checked)
        if q is None:
            errors.append(AnswerError("unknown_question", str(key)))
        elif not get_type(q.type).answerable:
            errors.append(AnswerError("not_answerable", q.code))

    normalised: dict[str, Any] = {}
    for page in definition.pages:
        if page.show_if is not None and not evaluate(page.show_if, normalised):
            continue
        for q in page.questions:
            if not is_asked(q, normalised):
                continue
            qtype = get_type(q.type)
            if not qtype.answerable:
                continue
            _validate_question(
                q,
                answers.get(q.code),
                answers.get(other_key(q.code)),
                normalised,
                errors,
                normalised,
            )
    if calculated and not errors:
        normalised.update(compute(definition, normalised))
    # Given but not kept: hidden by skip logic, or "please specify" text without its choice.
    with_errors = {e.question for e in errors}
    dropped = tuple(
        k
        for k in answers
        if k in known
        and get_type(known[k].type).answerable
        and k not in normalised
        and known[k].code not in with_errors
        and answers[k] not in (None, "", [], {})
    )
    return ResponseResult(normalised, tuple(errors), dropped)
