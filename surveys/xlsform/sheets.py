"""Low-level XLSForm helpers: reading sheets, language column names, built-in words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from surveys.limits import ImportBudget
from surveys.schema import LocalizedText
from surveys.xlsform.workbook import sheet_rows

LANGUAGE_NAMES = {
    "english": "en",
    "spanish": "es",
    "español": "es",
    "espanol": "es",
    "arabic": "ar",
    "العربية": "ar",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "vietnamese": "vi",
    "tiếng việt": "vi",
    "chinese": "zh",
    "中文": "zh",
    "somali": "so",
    "portuguese": "pt",
    "português": "pt",
    "russian": "ru",
    "swahili": "sw",
    "haitian creole": "ht",
    "korean": "ko",
    "tagalog": "tl",
    "hindi": "hi",
    "urdu": "ur",
    "persian": "fa",
    "farsi": "fa",
    "amharic": "am",
    "nepali": "ne",
    "burmese": "my",
    "ukrainian": "uk",
    "polish": "pl",
}
_ANNOTATION = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\)$")
_BARE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")

# Words Engage supplies itself on export/import where XLSForm needs a label.
WORDS: dict[str, LocalizedText] = {
    "yes": {"en": "Yes", "es": "Sí", "ar": "نعم", "fr": "Oui", "vi": "Có", "zh": "是"},
    "no": {"en": "No", "es": "No", "ar": "لا", "fr": "Non", "vi": "Không", "zh": "否"},
    "other": {"en": "Other", "es": "Otro", "ar": "أخرى", "fr": "Autre", "vi": "Khác", "zh": "其他"},
    "specify": {
        "en": "Please specify",
        "es": "Por favor, especifique",
        "ar": "يرجى التحديد",
        "fr": "Veuillez préciser",
        "vi": "Vui lòng ghi rõ",
        "zh": "请说明",
    },
    "elsewhere": {
        "en": "Somewhere else (type the place)",
        "es": "En otro lugar (escriba el lugar)",
        "ar": "مكان آخر (اكتب اسم المكان)",
        "fr": "Ailleurs (écrivez le lieu)",
        "vi": "Nơi khác (gõ tên địa điểm)",
        "zh": "其他地方（请输入地点）",
    },
    "place": {
        "en": "If somewhere else, type the place",
        "es": "Si es en otro lugar, escriba el lugar",
        "ar": "إذا كان في مكان آخر، فاكتب اسم المكان",
        "fr": "Si c'est ailleurs, écrivez le lieu",
        "vi": "Nếu ở nơi khác, hãy gõ tên địa điểm",
        "zh": "如果是其他地方，请输入地点",
    },
}


def word(key: str, languages: tuple[str, ...] | list[str]) -> LocalizedText:
    """A built-in word in every language of ``languages`` (English where unknown)."""
    table = WORDS[key]
    return {lang: table.get(lang, table.get(lang.split("-")[0], table["en"])) for lang in languages}


def language_code(annotation: str) -> str | None:
    """``"English (en)"`` → ``"en"``; ``"en"`` → ``"en"``; ``"Spanish"`` → ``"es"``."""
    text = annotation.strip()
    match = _ANNOTATION.match(text)
    if match:
        return match["code"]
    if _BARE_CODE.match(text):
        return text
    if re.fullmatch(r"[A-Za-z]{2,3}", text) and text.lower() not in ("new", "old"):
        return text.lower()  # "EN", as some tools write it
    return LANGUAGE_NAMES.get(text.casefold())


def language_annotation(code: str) -> str:
    """``"en"`` → ``"English (en)"``, the column suffix ODK tools recognise."""
    try:
        from babel import Locale

        name = Locale.parse(code.replace("-", "_")).get_display_name("en") or code
    except (ValueError, LookupError, TypeError):
        name = code
    name = re.sub(r"\s*\(.*\)$", "", name)
    return f"{name} ({code})"


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def column_key(header: str) -> str:
    """Normalise a header: ``" Label :: English (en)"`` → ``"label::English (en)"``."""
    base, sep, rest = header.partition("::")
    base = base.strip().lower()
    return f"{base}::{rest.strip()}" if sep else base


@dataclass(frozen=True)
class XLSFormType:
    """A ``type`` cell as pyxform reads it: ``base`` is Engage's name for it
    (``select_one``, ``select_multiple``, ``rank``, ``begin group``, ``text``…) or the
    type as written when Engage has nothing for it; ``kind`` says which."""

    base: str
    args: tuple[str, ...] = ()
    kind: str = "question"  # question, control, metadata, unsupported, unknown


@dataclass
class Sheet:
    name: str
    headers: list[str] = field(default_factory=list)
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    origin: dict[str, str] = field(default_factory=dict)
    """The header as written in the file for each key (``relevance`` for ``relevant``)."""

    def column(self, key: str) -> str:
        return self.origin.get(key, key)

    def bases(self) -> set[str]:
        return {h.split("::")[0] for h in self.headers}


def read_sheet(ws: Worksheet, name: str, budget: ImportBudget | None = None) -> Sheet:
    """Header row, then every non-blank row as ``(excel row number, column → text)``.

    With a ``budget``, reading stops (:class:`ImportFailed`) past its rows or time.
    """
    sheet = Sheet(name)
    rows = sheet_rows(ws, budget) if budget is not None else ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        return sheet
    keys = [column_key(cell_text(h)) if cell_text(h) else "" for h in header]
    sheet.headers = [k for k in keys if k]
    for number, values in enumerate(rows, start=2):
        row = {
            key: cell_text(value)
            for key, value in zip(keys, values, strict=False)
            if key and cell_text(value)
        }
        if row:
            sheet.rows.append((number, row))
    return sheet


def texts(row: dict[str, str], base: str, columns: dict[str, str]) -> LocalizedText:
    """The localized text of ``base`` in ``row``; ``columns`` maps column key → language.

    A language-specific column wins over the plain column for the same language.
    """
    result: LocalizedText = {}
    plain = row.get(base)
    for key, lang in columns.items():
        if key.split("::")[0] == base and "::" in key and row.get(key):
            result[lang] = row[key]
    if plain:
        lang = columns.get(base)
        if lang is not None and lang not in result:
            result[lang] = plain
    return result
