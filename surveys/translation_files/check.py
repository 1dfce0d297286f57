"""Checking translations before they are stored: keys, languages, placeholders, staleness.

Decisions, so that translators and staff know what to expect:

- Any *error* rejects the whole file and changes nothing: an unreadable file, a wrong
  target (or source) language, a missing column, a row without key, an unknown or
  repeated key, a translation that drops or invents a placeholder.
- An empty translation is not an error: the text stays missing (an empty cell never
  erases a translation already stored). A translation identical to the stored one is
  not checked again: it changes nothing.
- A row whose source text has changed since the file was exported is a *warning*: its
  translation was made for the old text, so it is not imported, and the warning says
  which row to redo. The rest of the file is imported.
- A PO entry marked ``fuzzy`` (the translator was unsure) is not imported either: a
  warning, as gettext itself ignores fuzzy entries.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from surveys.errors import ImportFailed, ImportProblem
from surveys.i18n import flatten_texts
from surveys.schema import SurveyDefinition
from surveys.translation_files.model import TranslationFile, normalize_newlines, same_language
from surveys.types.base import is_storable

PLACEHOLDER = re.compile(r"%\([A-Za-z_][A-Za-z0-9_]*\)[sdifr]|\{[A-Za-z_][A-Za-z0-9_]*\}|\{\d+\}")
"""``%(name)s``, ``{name}`` and ``{0}``: text that something may substitute."""


def placeholders(text: str) -> frozenset[str]:
    return frozenset(PLACEHOLDER.findall(text))


def text_problems(source: str, translation: str) -> list[tuple[str, dict[str, Any]]]:
    """``(code, params)`` for each problem of one translation of ``source``."""
    if not is_storable(translation):  # NUL, lone surrogates: no database keeps them
        return [("unstorable_text", {})]
    wanted, found = placeholders(source), placeholders(translation)
    problems: list[tuple[str, dict[str, Any]]] = []
    if wanted - found:
        problems.append(("placeholder_missing", {"placeholders": sorted(wanted - found)}))
    if found - wanted:
        problems.append(("placeholder_unexpected", {"placeholders": sorted(found - wanted)}))
    return problems


@dataclass(frozen=True)
class TextProblem:
    """A problem with the translation of one key, as typed into the editor."""

    key: str
    code: str
    params: dict[str, Any]


def check_texts(
    definition: SurveyDefinition, lang: str, texts: Mapping[str, str]
) -> list[TextProblem]:
    """Problems of translations typed for ``lang`` (key → text), in survey order.

    Blank texts are fine (they leave the text missing); unknown keys are reported as
    ``unknown_key``.
    """
    current = flatten_texts(definition)
    source = definition.source_language
    problems = [TextProblem(k, "unknown_key", {}) for k in texts if k not in current]
    for key, text in current.items():
        typed = (texts.get(key) or "").strip()
        if typed:
            problems += [
                TextProblem(key, code, params)
                for code, params in text_problems(text[source], typed)
            ]
    return problems


@dataclass(frozen=True)
class TranslationImport:
    """A checked file, ready to apply.

    ``translations`` (key → text) holds every non-empty, current translation of the file;
    ``changed`` the keys whose stored text it changes; ``missing`` the keys that will still
    have no translation afterwards; ``warnings`` rows that were not imported, and why.
    """

    language: str
    translations: dict[str, str]
    changed: tuple[str, ...]
    missing: tuple[str, ...]
    warnings: tuple[ImportProblem, ...]


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def check_translation_file(
    definition: SurveyDefinition, lang: str, file: TranslationFile
) -> TranslationImport:
    """Check ``file`` as translations of ``definition`` into ``lang``.

    Raises :class:`ImportFailed` with every error found, by row; see the module docstring
    for what is an error and what a warning.
    """
    source = definition.source_language
    if same_language(lang, source):
        raise ValueError("the source language is not a translation")
    sheet = file.sheet
    header: list[ImportProblem] = []
    if file.language is None:
        header.append(ImportProblem(sheet, file.language_row, "language_missing", {}))
    elif not same_language(file.language, lang):
        header.append(
            ImportProblem(
                sheet,
                file.language_row,
                "wrong_language",
                {"found": file.language, "expected": lang},
            )
        )
    if file.source_language is not None and not same_language(file.source_language, source):
        header.append(
            ImportProblem(
                sheet,
                file.language_row,
                "wrong_source_language",
                {"found": file.source_language, "expected": source},
            )
        )
    if header:
        raise ImportFailed(header)
    if not file.entries:
        raise ImportFailed([ImportProblem(sheet, file.language_row, "no_rows", {})])

    current = flatten_texts(definition)
    problems: list[ImportProblem] = []
    warnings: list[ImportProblem] = []
    translations: dict[str, str] = {}
    seen: dict[str, int] = {}

    def problem(row: int, key: str, code: str, /, **params: Any) -> None:
        problems.append(ImportProblem(sheet, row, code, {"key": key, **params}))

    for entry in file.entries:
        key = entry.key.strip()
        if not key:
            problem(entry.row, key, "missing_key")
            continue
        if key not in current:
            problem(entry.row, key, "unknown_key")
            continue
        if key in seen:
            problem(entry.row, key, "duplicate_key", first_row=seen[key])
            continue
        seen[key] = entry.row
        text = normalize_newlines(entry.translation).strip()
        stored = current[key].get(lang, "").strip()
        if not text:
            continue
        if entry.fuzzy:
            warnings.append(ImportProblem(sheet, entry.row, "fuzzy_ignored", {"key": key}))
            continue
        if not _same_text(entry.source, current[key][source]):
            if text != stored:
                warnings.append(ImportProblem(sheet, entry.row, "source_changed", {"key": key}))
            continue
        if text != stored:  # an unchanged translation is not this file's doing
            for code, params in text_problems(current[key][source], text):
                problem(entry.row, key, code, **params)
        translations[key] = text
    if problems:
        raise ImportFailed(problems)
    changed = tuple(k for k, v in translations.items() if current[k].get(lang, "").strip() != v)
    missing = tuple(
        k for k, v in current.items() if not (translations.get(k) or v.get(lang, "").strip())
    )
    return TranslationImport(lang, translations, changed, missing, tuple(warnings))
