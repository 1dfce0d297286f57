"""Kept for imports from before :mod:`surveys.types`; use that package instead."""

from surveys.numeric_types import Date, Number, Rating, Scale
from surveys.types import QUESTION_TYPES, Cleaned, FormData, QuestionType, get_type, register

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
