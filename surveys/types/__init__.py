"""The question types: one module per type, each registering one :class:`QuestionType`.

Importing this package imports every module in it, so a new type is added by adding its
module (plus its resident template, translations and tests): the registry, validation,
checks, versioning and XLSForm import/export all find it through ``QUESTION_TYPES``.

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
    "register",
    "types_where",
]
