"""Gettext PO files: ``msgctxt`` is the text's key, ``msgid`` the source text, ``msgstr``
the translation. Poedit, Weblate, Lokalise and the like open them as they are.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po

from surveys.errors import ImportFailed, ImportProblem
from surveys.limits import ImportBudget, ImportLimits
from surveys.schema import SurveyDefinition
from surveys.translation_files.model import FileEntry, TranslationFile, translator_rows

_CHARSET = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")
_MSGID_LINE = re.compile(rb"^\s*msgid\b", re.MULTILINE)
_LANGUAGE_LINE = re.compile(rb'^\s*"Language:', re.MULTILINE)


def write_po_file(definition: SurveyDefinition, lang: str) -> bytes:
    """The texts of ``definition`` for translation into ``lang``, as a PO file."""
    catalog = Catalog(
        locale=lang.replace("-", "_"),
        project=definition.slug,
        version=definition.version or None,
        header_comment=(
            f"# Survey “{definition.slug}”: texts to translate from "
            f"{definition.source_language} into {lang}.\n"
            "# Translate each msgstr. Keep msgctxt and msgid as they are, and keep\n"
            "# placeholders such as {name} or %(name)s.\n#"
        ),
        creation_date=datetime.now(UTC),
        fuzzy=False,
    )
    for key, source, translation in translator_rows(definition, lang):
        catalog.add(source, translation, context=key)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, no_location=True)
    return buffer.getvalue()


def _check_encoding(data: bytes) -> None:
    """Every line must decode in the file's declared charset (UTF-8 if none)."""
    match = _CHARSET.search(data[:4096])
    charset = match.group(1).decode("ascii") if match else "utf-8"
    try:
        "".encode(charset)
    except LookupError:
        problem = ImportProblem("", 1, "unknown_encoding", {"encoding": charset})
        raise ImportFailed([problem]) from None
    for number, line in enumerate(data.splitlines(), start=1):
        try:
            line.decode(charset)
        except UnicodeDecodeError:
            raise ImportFailed([ImportProblem("", number, "not_utf8", {})]) from None


def read_po_file(data: bytes, budget: ImportBudget | None = None) -> TranslationFile:
    """Read a PO file; raises :class:`ImportFailed` if it cannot be read."""
    budget = budget or ImportLimits().start()
    # One text per msgid: counted before parsing, so an oversized file costs nothing.
    texts = len(_MSGID_LINE.findall(data))
    if texts > budget.limits.max_rows:
        limit = budget.limits.max_rows
        raise ImportFailed([ImportProblem("", 0, "too_many_rows", {"limit": limit})])
    _check_encoding(data)
    try:
        catalog = read_po(io.BytesIO(data), abort_invalid=True)
    except PoFileError as error:
        raise ImportFailed([ImportProblem("", error.lineno + 1, "invalid_po", {})]) from None
    except (ValueError, LookupError):
        raise ImportFailed([ImportProblem("", 1, "invalid_po", {})]) from None
    budget.check_time()
    entries = []
    for message in catalog:
        if not message.id:
            continue  # the header
        row = message.lineno or 0
        if isinstance(message.id, tuple | list):
            raise ImportFailed([ImportProblem("", row, "plural_not_supported", {})])
        translation = message.string if isinstance(message.string, str) else ""
        entries.append(
            FileEntry(
                row=row,
                key=message.context or "",
                source=message.id,
                translation=translation,
                fuzzy=message.fuzzy,
            )
        )
    language_line = _LANGUAGE_LINE.search(data)
    return TranslationFile(
        format="po",
        language=catalog.locale_identifier,
        source_language=None,
        entries=tuple(entries),
        language_row=data[: language_line.start()].count(b"\n") + 1 if language_line else 1,
    )
