"""Engage's survey engine: definitions, question types, validation, skip logic, content
translation and import/export. Framework-free: it imports neither Flask nor ``engage``.
"""

from surveys.conditions import AllOf, AnyOf, Comparison, Condition, Not, evaluate
from surveys.errors import (
    AnswerError,
    DefinitionError,
    DefinitionProblem,
    ImportFailed,
    ImportProblem,
    UnknownQuestionType,
)
from surveys.i18n import (
    apply_translations,
    completeness,
    flatten_texts,
    missing_translations,
    offered_languages,
    text_direction,
    text_for,
)
from surveys.jsonio import dump_definition, load_definition
from surveys.logic import (
    displayed_questions,
    next_page_index,
    page_defaults,
    previous_page_index,
    prune_hidden,
    visible_pages,
    visible_questions,
)
from surveys.schema import (
    ANALYSIS_ROLES,
    DIMENSIONS,
    PREFER_NOT_TO_SAY,
    LocalizedText,
    Option,
    Page,
    Question,
    SurveyDefinition,
    other_key,
)
from surveys.types import QUESTION_TYPES, QuestionType, get_type, is_storable, types_where
from surveys.validation import (
    PageResult,
    ResponseResult,
    merge_page_answers,
    validate_answers,
    validate_form_page,
)
from surveys.versioning import DefinitionDiff, diff_definitions, would_orphan_answers

__all__ = [
    "ANALYSIS_ROLES",
    "DIMENSIONS",
    "PREFER_NOT_TO_SAY",
    "QUESTION_TYPES",
    "AllOf",
    "AnswerError",
    "AnyOf",
    "Comparison",
    "Condition",
    "DefinitionDiff",
    "DefinitionError",
    "DefinitionProblem",
    "ImportFailed",
    "ImportProblem",
    "LocalizedText",
    "Not",
    "Option",
    "Page",
    "PageResult",
    "Question",
    "QuestionType",
    "ResponseResult",
    "SurveyDefinition",
    "UnknownQuestionType",
    "apply_translations",
    "completeness",
    "diff_definitions",
    "displayed_questions",
    "dump_definition",
    "evaluate",
    "flatten_texts",
    "get_type",
    "is_storable",
    "load_definition",
    "merge_page_answers",
    "missing_translations",
    "next_page_index",
    "offered_languages",
    "other_key",
    "page_defaults",
    "previous_page_index",
    "prune_hidden",
    "text_direction",
    "text_for",
    "types_where",
    "validate_answers",
    "validate_form_page",
    "visible_pages",
    "visible_questions",
    "would_orphan_answers",
]
