"""The question types: one module per type, each registering one :class:`QuestionType`.

Importing this package imports every module in it, so a new type is added by adding its
module (plus its resident template, translations and tests): the registry, validation,
checks, versioning and XLSForm import/export all find it through ``QUESTION_TYPES``.

Each type's module says what it stores (``short_text``: the stripped text; ``ranking``:
the option values, most preferred first; …) and the web app draws it with the partial
named by its ``template``.
"""

from __future__ import annotations

import importlib
import pkgutil

from surveys.errors import UnknownQuestionType
from surveys.types.base import (
    EDITOR_FIELDS,
    N_,
    NP_,
    QUESTION_TYPES,
    Cleaned,
    FormData,
    Message,
    OrphaningChanges,
    PluralMessage,
    QuestionType,
    get_type,
    is_storable,
    register,
    types_where,
)


def _import_type_modules() -> None:
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


_import_type_modules()

__all__ = [
    "EDITOR_FIELDS",
    "NP_",
    "N_",
    "QUESTION_TYPES",
    "Cleaned",
    "FormData",
    "Message",
    "OrphaningChanges",
    "PluralMessage",
    "QuestionType",
    "UnknownQuestionType",
    "get_type",
    "is_storable",
    "register",
    "types_where",
]
