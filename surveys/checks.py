"""Meaningful-definition checks: codes, languages, options, roles and skip logic."""

from __future__ import annotations

import re
from collections.abc import Callable

from surveys.choice_filters import VALUE
from surveys.conditions import COUNT_OPS, NUMERIC_OPS, Condition, iter_comparisons
from surveys.errors import DefinitionProblem
from surveys.patterns import is_valid_pattern
from surveys.schema import (
    ANALYSIS_ROLES,
    DIMENSIONS,
    OTHER_SUFFIX,
    OUTCOME_ROLES,
    LocalizedText,
    Option,
    Question,
    SurveyDefinition,
)
from surveys.types import QUESTION_TYPES

CODE_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]{0,79}$")
VALUE_PATTERN = re.compile(r"^[^\s]{1,80}$")
LANGUAGE_PATTERN = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_Add = Callable[..., None]


def check_definition(definition: SurveyDefinition) -> list[DefinitionProblem]:
    """Every problem that makes ``definition`` unusable (empty list when it is fine)."""
    problems: list[DefinitionProblem] = []

    def add(path: str, code: str, /, **params: object) -> None:
        problems.append(DefinitionProblem(path, code, dict(params)))

    if not SLUG_PATTERN.match(definition.slug) or len(definition.slug) > 80:
        add("$.slug", "invalid_slug", slug=definition.slug)
    for lang in definition.languages:
        if not LANGUAGE_PATTERN.match(lang):
            add("$.languages", "invalid_language", language=lang)
    if len(set(definition.languages)) != len(definition.languages):
        add("$.languages", "duplicate_language")
    if definition.source_language not in definition.languages:
        add("$.source_language", "source_language_not_offered")
    _check_text(definition, definition.title, "$.title", add, required=True)
    _check_text(definition, definition.description, "$.description", add)
    _check_text(definition, definition.thank_you, "$.thank_you", add)
    if not definition.pages:
        add("$.pages", "no_pages")

    seen_codes: dict[str, Question] = {}
    before_page: dict[str, Question] = {}
    seen_pages: set[str] = set()
    outcomes: dict[tuple[str, str], str] = {}
    for p_index, page in enumerate(definition.pages):
        ppath = f"$.pages[{p_index}]"
        if not CODE_PATTERN.match(page.key):
            add(f"{ppath}.key", "invalid_key", key=page.key)
        elif page.key in seen_pages:
            add(f"{ppath}.key", "duplicate_key", key=page.key)
        seen_pages.add(page.key)
        _check_text(definition, page.title, f"{ppath}.title", add)
        _check_text(definition, page.description, f"{ppath}.description", add)
        if page.show_if is not None:
            _check_condition(page.show_if, f"{ppath}.show_if", seen_codes, add)
        if not page.questions:
            add(f"{ppath}.questions", "no_questions")
        before_page = dict(seen_codes)
        for q_index, q in enumerate(page.questions):
            qpath = f"{ppath}.questions[{q_index}]"
            _check_question(definition, q, qpath, add, problems)
            if q.show_if is not None:
                _check_condition(q.show_if, f"{qpath}.show_if", seen_codes, add)
            if q.choice_filter:
                _check_filter(q, f"{qpath}.choice_filter", before_page, seen_codes, add)
            if q.code in seen_codes:
                add(f"{qpath}.code", "duplicate_code", code=q.code)
            seen_codes[q.code] = q
            if q.analysis_role in OUTCOME_ROLES and q.outcome:
                key = (q.analysis_role, q.outcome)
                if key in outcomes:
                    add(f"{qpath}.outcome", "duplicate_outcome", outcome=q.outcome)
                outcomes[key] = q.code
    _check_calculations(definition, seen_codes, add)
    return problems


def _check_calculations(
    definition: SurveyDefinition, questions: dict[str, Question], add: _Add
) -> None:
    """Each calculation reads, has a code of its own, and uses answers or earlier ones."""
    from surveys.calculations import CalculationError, parse_calculation, references

    earlier: set[str] = set()
    for index, calculation in enumerate(definition.calculations):
        path = f"$.calculations[{index}]"
        if not CODE_PATTERN.match(calculation.code) or "__" in calculation.code:
            add(f"{path}.code", "invalid_code", code=calculation.code)
        elif calculation.code in questions or calculation.code in earlier:
            add(f"{path}.code", "duplicate_code", code=calculation.code)
        try:
            node = parse_calculation(calculation.expression)
        except CalculationError as error:
            add(f"{path}.expression", "invalid_calculation", near=error.near)
        else:
            for code in references(node):
                target = questions.get(code)
                kind = QUESTION_TYPES.get(target.type) if target is not None else None
                answerable = kind is not None and kind.answerable
                if not answerable and code not in earlier:
                    add(f"{path}.expression", "unknown_calculation_reference", question=code)
        earlier.add(calculation.code)


def _check_text(
    definition: SurveyDefinition,
    text: LocalizedText,
    path: str,
    add: _Add,
    *,
    required: bool = False,
) -> None:
    if required and not text.get(definition.source_language, "").strip():
        add(path, "source_text_missing", language=definition.source_language)
    unknown = sorted(set(text) - set(definition.languages))
    if unknown:
        add(path, "language_not_offered", languages=unknown)


def _check_options(
    options: tuple[Option, ...], path: str, definition: SurveyDefinition, add: _Add
) -> None:
    seen: set[str] = set()
    for i, option in enumerate(options):
        opath = f"{path}[{i}]"
        if not VALUE_PATTERN.match(option.value):
            add(f"{opath}.value", "invalid_value", value=option.value)
        elif option.value in seen:
            add(f"{opath}.value", "duplicate_value", value=option.value)
        seen.add(option.value)
        _check_text(definition, option.label, f"{opath}.label", add, required=True)
        if option.specify_label:
            if not option.specify:
                add(f"{opath}.specify_label", "specify_label_without_specify")
            _check_text(definition, option.specify_label, f"{opath}.specify_label", add)


def _check_question(
    definition: SurveyDefinition,
    q: Question,
    path: str,
    add: _Add,
    problems: list[DefinitionProblem],
) -> None:
    if not CODE_PATTERN.match(q.code) or "__" in q.code or q.code.endswith(OTHER_SUFFIX):
        add(f"{path}.code", "invalid_code", code=q.code)
    qtype = QUESTION_TYPES.get(q.type)
    if qtype is None:
        add(f"{path}.type", "unknown_type", type=q.type)
        return
    _check_text(definition, q.label, f"{path}.label", add, required=True)
    _check_text(definition, q.help, f"{path}.help", add)
    _check_text(definition, q.constraint_message, f"{path}.constraint_message", add)
    if qtype.has_options:
        _check_options(q.options, f"{path}.options", definition, add)
    elif q.options:
        add(f"{path}.options", "not_allowed_for_type", type=q.type)
    if qtype.has_rows:
        _check_options(q.rows, f"{path}.rows", definition, add)
    elif q.rows:
        add(f"{path}.rows", "not_allowed_for_type", type=q.type)
    if q.max_choices is not None and not qtype.accepts("max_choices"):
        add(f"{path}.max_choices", "not_allowed_for_type", type=q.type)
    if q.max_length is not None and not qtype.accepts("max_length"):
        add(f"{path}.max_length", "not_allowed_for_type", type=q.type)
    if q.point_labels and not qtype.accepts("point_labels"):
        add(f"{path}.point_labels", "not_allowed_for_type", type=q.type)
    for point, text in q.point_labels.items():
        _check_text(definition, text, f"{path}.point_labels.{point}", add)
    if (q.minimum is not None or q.maximum is not None) and not (
        qtype.accepts("minimum") or qtype.accepts("maximum")
    ):
        add(f"{path}.minimum", "not_allowed_for_type", type=q.type)
    if q.required and not qtype.answerable:
        add(f"{path}.required", "not_allowed_for_type", type=q.type)
    problems.extend(qtype.check(q, path))
    _check_role(q, qtype.is_numeric, path, add)
    if q.default is not None:
        if not qtype.takes_default:
            add(f"{path}.default", "not_allowed_for_type", type=q.type)
        elif qtype.clean(q, q.default).errors:
            add(f"{path}.default", "invalid_default", default=_shown(q.default))
    if q.pattern is not None:
        if not qtype.text_pattern:
            add(f"{path}.pattern", "not_allowed_for_type", type=q.type)
        elif not is_valid_pattern(q.pattern):
            add(f"{path}.pattern", "invalid_pattern", pattern=q.pattern)
    if q.choice_filter and not qtype.filterable:
        add(f"{path}.choice_filter", "not_allowed_for_type", type=q.type)


def _shown(value: object) -> str:
    return " ".join(map(str, value)) if isinstance(value, list) else str(value)


def _check_filter(
    q: Question,
    path: str,
    earlier_pages: dict[str, Question],
    earlier: dict[str, Question],
    add: _Add,
) -> None:
    """A choice filter looks at answers given on earlier pages, so that a page drawn
    without JavaScript already shows the options the answers allow."""
    for index, clause in enumerate(q.choice_filter):
        cpath = f"{path}[{index}]"
        target = earlier_pages.get(clause.question)
        if target is None:
            code = "filter_same_page" if clause.question in earlier else "unknown_or_later_question"
            add(cpath, code, question=clause.question)
            continue
        qtype = QUESTION_TYPES.get(target.type)
        if qtype is None or not qtype.answerable:
            add(cpath, "question_has_no_answer", question=clause.question)
        elif (clause.op == "selected_by") != qtype.multiple:
            add(cpath, "filter_needs_other_question", question=clause.question, op=clause.op)
        if clause.attribute != VALUE and not any(
            clause.attribute in o.attributes for o in q.options
        ):
            add(cpath, "unknown_filter_attribute", attribute=clause.attribute)


def _check_role(q: Question, numeric: bool, path: str, add: _Add) -> None:
    if q.analysis_role is None:
        if q.outcome is not None or q.dimension is not None:
            add(f"{path}.analysis_role", "missing_field")
        return
    if q.analysis_role not in ANALYSIS_ROLES:
        add(f"{path}.analysis_role", "unknown_role", role=q.analysis_role)
        return
    if q.analysis_role in OUTCOME_ROLES:
        if not q.outcome:
            add(f"{path}.outcome", "missing_field")
        if not numeric:
            add(f"{path}.analysis_role", "role_needs_numeric_type", role=q.analysis_role)
    elif q.outcome is not None:
        add(f"{path}.outcome", "not_allowed_for_role", role=q.analysis_role)
    if q.analysis_role == "demographic":
        if q.dimension not in DIMENSIONS:
            add(f"{path}.dimension", "unknown_dimension", dimension=q.dimension)
    elif q.dimension is not None:
        add(f"{path}.dimension", "not_allowed_for_role", role=q.analysis_role)


def _check_condition(
    condition: Condition, path: str, earlier: dict[str, Question], add: _Add
) -> None:
    """Conditions may only look at questions that come earlier in the survey."""
    for comparison in iter_comparisons(condition):
        target = earlier.get(comparison.question)
        if target is None:
            add(path, "unknown_or_later_question", question=comparison.question)
            continue
        qtype = QUESTION_TYPES.get(target.type)
        if qtype is None or not qtype.answerable:
            add(path, "question_has_no_answer", question=comparison.question)
            continue
        if comparison.op in NUMERIC_OPS and not qtype.is_numeric:
            add(path, "numeric_op_on_non_number", question=comparison.question)
        if comparison.op in COUNT_OPS and not qtype.counts_choices:
            add(path, "count_needs_multiple_choice", question=comparison.question)
        unknown = qtype.unknown_condition_values(target, comparison)
        if unknown:
            add(path, "unknown_option", question=comparison.question, values=unknown)
