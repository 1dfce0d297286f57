"""What a translator's file holds once read, whatever its format."""

from __future__ import annotations

from dataclasses import dataclass

from surveys.i18n import flatten_texts
from surveys.schema import SurveyDefinition


@dataclass(frozen=True)
class FileEntry:
    """One text of the file.

    ``row`` is the spreadsheet row (the header is row 1) or, in a PO file, the line of
    the entry's ``msgid``. ``source`` is the source text the translator was given.
    """

    row: int
    key: str
    source: str
    translation: str
    fuzzy: bool = False


@dataclass(frozen=True)
class TranslationFile:
    """A translator's file: its languages and its texts.

    ``sheet`` names the worksheet (empty for PO and CSV); ``language_row`` is where the
    target language is declared, for problems about it. ``source_language`` is ``None``
    when the format does not record it (PO).
    """

    format: str
    language: str | None
    source_language: str | None
    entries: tuple[FileEntry, ...]
    sheet: str = ""
    language_row: int = 1


def translator_rows(definition: SurveyDefinition, lang: str) -> list[tuple[str, str, str]]:
    """``(key, source text, current translation)`` for every text, in survey order."""
    source = definition.source_language
    return [
        (key, text[source], text.get(lang, "")) for key, text in flatten_texts(definition).items()
    ]


def same_language(a: str | None, b: str | None) -> bool:
    """``es-MX``, ``es_MX`` and ``es-mx`` are the same language code."""
    if a is None or b is None:
        return False
    return a.replace("_", "-").casefold() == b.replace("_", "-").casefold()


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
