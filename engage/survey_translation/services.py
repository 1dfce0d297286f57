"""Translating a survey's content: completeness, the side-by-side editor, translator files.

Translations are written to the survey's *draft*; residents see them once the survey is
published again, and only in languages that are then complete (see
:func:`surveys.offered_languages`). The survey builder calls
:func:`incomplete_languages` before publishing to warn about the languages that will be
held back.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from engage.models import Survey
from engage.responses.services import definition_of
from surveys import (
    DefinitionError,
    DefinitionProblem,
    SurveyDefinition,
    apply_translations,
    completeness,
    offered_languages,
)
from surveys.i18n import source_texts
from surveys.limits import ImportLimits
from surveys.parsing import parse_definition
from surveys.translation_files import (
    TextProblem,
    TranslationImport,
    check_texts,
    export_translations,
    import_translations,
)


class DraftUnreadable(Exception):
    """The survey's draft is not a definition the translation pages can work on."""

    def __init__(self, problems: tuple[DefinitionProblem, ...]) -> None:
        super().__init__(f"{len(problems)} problems in the draft")
        self.problems = problems


class InvalidTranslations(Exception):
    """Typed translations were refused; nothing was saved."""

    def __init__(self, problems: list[TextProblem]) -> None:
        super().__init__(", ".join(f"{p.key}: {p.code}" for p in problems))
        self.problems = problems


class SourceChanged(Exception):
    """The source texts changed while the translator was typing; nothing was saved."""


def _parse(data: Mapping[str, Any]) -> SurveyDefinition:
    """A definition whose *structure* is sound; meaning problems (a builder's half-made
    skip rule, say) do not stop translation."""
    definition, problems = parse_definition(data)
    if definition is None or problems:
        raise DraftUnreadable(tuple(problems))
    return definition


def incomplete_languages(definition: Mapping[str, Any]) -> dict[str, int]:
    """Each language of a definition (JSON form) that is not completely translated, with
    how many texts it lacks. Such languages will not be offered to residents.

    Raises :class:`surveys.DefinitionError` if the definition cannot be read at all.
    """
    try:
        parsed = _parse(definition)
    except DraftUnreadable as error:
        raise DefinitionError(error.problems) from None
    return {
        lang: len(report.missing)
        for lang, report in completeness(parsed).items()
        if lang != parsed.source_language and report.missing
    }


def read_draft(survey: Survey) -> SurveyDefinition:
    """The survey's draft definition; raises :class:`DraftUnreadable`."""
    return _parse(survey.draft_definition)


def target_languages(definition: SurveyDefinition) -> list[str]:
    """The languages a translator can work on: every offered one but the source."""
    return [lang for lang in definition.languages if lang != definition.source_language]


def source_digest(definition: SurveyDefinition) -> str:
    """A short fingerprint of the source texts, to notice them changing under an editor."""
    data = json.dumps(source_texts(definition), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LanguageStatus:
    """How far one language is translated, in the draft and for residents."""

    code: str
    is_source: bool
    total: int
    translated: int
    offered_to_residents: bool | None
    """Whether the *published* version offers it; ``None`` when never published."""

    @property
    def missing(self) -> int:
        return self.total - self.translated

    @property
    def percent(self) -> int:
        """Rounded down, so that 100 means complete."""
        return 100 * self.translated // self.total if self.total else 100


def language_statuses(survey: Survey, definition: SurveyDefinition) -> list[LanguageStatus]:
    """Every language of the draft, the source first."""
    version = survey.current_version
    offered = set(offered_languages(definition_of(version))) if version is not None else None
    report = completeness(definition)
    ordered = [definition.source_language, *target_languages(definition)]
    return [
        LanguageStatus(
            code=lang,
            is_source=lang == definition.source_language,
            total=report[lang].total,
            translated=report[lang].translated,
            offered_to_residents=None if offered is None else lang in offered,
        )
        for lang in ordered
    ]


def save_translations(
    session: Session, survey: Survey, lang: str, texts: Mapping[str, str], digest: str
) -> SurveyDefinition:
    """Store the editor's texts for ``lang`` in the draft: a blank field erases.

    ``digest`` is :func:`source_digest` of the texts the translator saw. Raises
    :class:`SourceChanged` or :class:`InvalidTranslations` without changing anything.
    """
    definition = read_draft(survey)
    if digest != source_digest(definition):
        raise SourceChanged()
    problems = check_texts(definition, lang, texts)
    if problems:
        raise InvalidTranslations(problems)
    translated = apply_translations(definition, lang, texts, erase_blank=True)
    survey.draft_definition = translated.to_dict()
    session.flush()
    return translated


def export_translation_file(survey: Survey, lang: str, fmt: str) -> bytes:
    """The draft's texts for ``lang`` as a translator's file (``po``, ``csv``, ``xlsx``)."""
    return export_translations(read_draft(survey), lang, fmt)


def import_translation_file(
    session: Session,
    survey: Survey,
    lang: str,
    data: bytes,
    fmt: str,
    limits: ImportLimits | None = None,
) -> TranslationImport:
    """Check a translator's file and store its translations in the draft.

    All or nothing: raises :class:`surveys.ImportFailed` (row-level problems) and changes
    nothing when the file has any error.
    """
    definition = read_draft(survey)
    result = import_translations(definition, lang, data, fmt, limits)
    translated = apply_translations(definition, lang, result.translations)
    survey.draft_definition = translated.to_dict()
    session.flush()
    return result
