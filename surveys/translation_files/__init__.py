"""Translator files: a survey's texts for one target language, as PO, CSV or XLSX.

A translator gets every translatable text (see :func:`surveys.i18n.flatten_texts`) with
its key, the source text and the current translation, fills in the translations with
the tool they know, and sends the file back. Reading it back is all or nothing: see
:mod:`surveys.translation_files.check` for what rejects a file and what only warns.

>>> data = export_translations(definition, "es", "po")            # doctest: +SKIP
>>> result = import_translations(definition, "es", data, "po")     # doctest: +SKIP
>>> apply_translations(definition, "es", result.translations)      # doctest: +SKIP
"""

from __future__ import annotations

from surveys.limits import ImportLimits
from surveys.schema import SurveyDefinition
from surveys.translation_files.check import (
    TextProblem,
    TranslationImport,
    check_texts,
    check_translation_file,
    placeholders,
    text_problems,
)
from surveys.translation_files.model import FileEntry, TranslationFile
from surveys.translation_files.po import read_po_file, write_po_file
from surveys.translation_files.tables import (
    read_csv_file,
    read_xlsx_file,
    write_csv_file,
    write_xlsx_file,
)

FORMATS = ("po", "csv", "xlsx")

_WRITERS = {"po": write_po_file, "csv": write_csv_file, "xlsx": write_xlsx_file}
_READERS = {"po": read_po_file, "csv": read_csv_file, "xlsx": read_xlsx_file}


def export_translations(definition: SurveyDefinition, lang: str, fmt: str) -> bytes:
    """The file a translator into ``lang`` gets, in format ``fmt`` (``po|csv|xlsx``)."""
    return _WRITERS[fmt](definition, lang)


def read_translation_file(
    data: bytes, fmt: str, limits: ImportLimits | None = None
) -> TranslationFile:
    """Read a translator's file; raises :class:`surveys.ImportFailed` if unreadable or
    past a bound of ``limits`` (default :class:`surveys.limits.ImportLimits()`)."""
    return _READERS[fmt](data, (limits or ImportLimits()).start())


def import_translations(
    definition: SurveyDefinition,
    lang: str,
    data: bytes,
    fmt: str,
    limits: ImportLimits | None = None,
) -> TranslationImport:
    """Read and check a translator's file; raises :class:`surveys.ImportFailed`.

    Nothing is changed here: apply ``result.translations`` with
    :func:`surveys.apply_translations`.
    """
    return check_translation_file(definition, lang, read_translation_file(data, fmt, limits))


__all__ = [
    "FORMATS",
    "FileEntry",
    "TextProblem",
    "TranslationFile",
    "TranslationImport",
    "check_texts",
    "check_translation_file",
    "export_translations",
    "import_translations",
    "placeholders",
    "read_translation_file",
    "text_problems",
]
