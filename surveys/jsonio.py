"""JSON import and export of survey definitions."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from surveys.errors import DefinitionError, DefinitionProblem
from surveys.parsing import unstorable_texts
from surveys.schema import SurveyDefinition


def load_definition(source: str | bytes | Mapping[str, Any]) -> SurveyDefinition:
    """A definition from JSON text (or an already parsed mapping).

    Raises :class:`DefinitionError` whose ``problems`` list every problem found: a JSON
    syntax error is ``invalid_json`` with ``line`` and ``column``.
    """
    if isinstance(source, Mapping):
        return SurveyDefinition.from_dict(source)
    if isinstance(source, bytes):
        try:
            source = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DefinitionError(
                [DefinitionProblem("$", "not_utf8", {"position": exc.start})]
            ) from None
    try:
        data = json.loads(source)
    except json.JSONDecodeError as exc:
        raise DefinitionError(
            [DefinitionProblem("$", "invalid_json", {"line": exc.lineno, "column": exc.colno})]
        ) from None
    except RecursionError:  # nested deeper than Python's parser goes; no survey is
        raise DefinitionError([DefinitionProblem("$", "json_too_deep")]) from None
    if problems := unstorable_texts(data):
        raise DefinitionError(problems)
    return SurveyDefinition.from_dict(data)


def dump_definition(definition: SurveyDefinition, *, indent: int | None = 2) -> str:
    """The definition as JSON text (UTF-8 characters kept, not escaped)."""
    return json.dumps(definition.to_dict(), ensure_ascii=False, indent=indent) + "\n"
