"""XLSForm (.xlsx) import.

All or nothing: anything that cannot be represented is an :class:`ImportProblem` with
its sheet and row, and :class:`ImportFailed` carries all of them (a ``constraint``
Engage cannot read too: dropping it would let residents give answers it forbids).
Things that are safe to leave out (metadata fields such as ``start``,
presentation-only columns) are returned as *warnings*, also by row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from surveys.errors import DefinitionError, ImportFailed, ImportProblem
from surveys.limits import ImportBudget, ImportLimits
from surveys.schema import SurveyDefinition
from surveys.xlsform.rows import SurveyRows
from surveys.xlsform.sheets import Sheet, language_code, read_sheet, texts
from surveys.xlsform.workbook import open_sheets, source_bytes

_TEXT_BASES = ("label", "hint")
_SETTINGS_KNOWN = {"form_title", "form_id", "version", "default_language"}
_SETTINGS_TEXTS = ("engage_title", "engage_description", "engage_thank_you")


@dataclass(frozen=True)
class XLSFormImport:
    definition: SurveyDefinition
    warnings: tuple[ImportProblem, ...]


class Collector:
    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []
        self.warnings: list[ImportProblem] = []

    def problem(self, sheet: str, row: int, code: str, /, **params: Any) -> None:
        self.problems.append(ImportProblem(sheet, row, code, params))

    def warn(self, sheet: str, row: int, code: str, /, **params: Any) -> None:
        self.warnings.append(ImportProblem(sheet, row, code, params))


def import_xlsform(
    source: str | Path | bytes | BinaryIO, limits: ImportLimits | None = None
) -> XLSFormImport:
    """Import an XLSForm workbook into a survey definition.

    Raises :class:`ImportFailed` listing every problem by sheet and row, or naming the
    bound of ``limits`` (default :class:`ImportLimits()`) the file goes past.
    """
    budget = (limits or ImportLimits()).start()
    with open_sheets(source_bytes(source), budget) as worksheets:
        sheets = {ws.title.strip().lower(): ws for ws in worksheets}
        if "survey" not in sheets:
            raise ImportFailed([ImportProblem("survey", 0, "missing_sheet")])
        survey = read_sheet(sheets["survey"], "survey", budget)
        choices = _optional_sheet(sheets, "choices", budget)
        settings = _optional_sheet(sheets, "settings", budget)
    return build_definition(survey, choices, settings)


def _optional_sheet(sheets: dict[str, Any], name: str, budget: ImportBudget) -> Sheet | None:
    return read_sheet(sheets[name], name, budget) if name in sheets else None


def build_definition(survey: Sheet, choices: Sheet | None, settings: Sheet | None) -> XLSFormImport:
    out = Collector()
    setting = settings.rows[0][1] if settings and settings.rows else {}
    setting_row = settings.rows[0][0] if settings and settings.rows else 2
    source, columns = _languages(survey, choices, settings, setting, setting_row, out)
    languages = _ordered_languages(source, columns)
    for sheet, known in ((survey, SurveyRows.KNOWN_COLUMNS), (choices, _CHOICE_COLUMNS)):
        if sheet is not None:
            for base in sorted(sheet.bases() - known):
                out.warn(sheet.name, 1, "unknown_column_ignored", column=base)
    if settings is not None:
        for key in sorted(set(setting) - _SETTINGS_KNOWN):
            if key.split("::")[0] not in _SETTINGS_TEXTS:
                out.warn("settings", setting_row, "setting_ignored", setting=key)

    lists = _read_choices(choices, columns, languages, out)
    rows = SurveyRows(out, lists, columns, languages)
    for number, row in survey.rows:
        rows.add(number, row)
    rows.finish()

    title = texts(setting, "engage_title", columns) or {}
    if setting.get("form_title"):
        title.setdefault(source, setting["form_title"])
    if not title.get(source):
        title[source] = setting.get("form_id") or "Survey"
    definition_data = {
        "slug": _slug(setting.get("form_id") or setting.get("form_title") or "survey"),
        "version": setting.get("version", ""),
        "source_language": source,
        "languages": languages,
        "title": title,
        "description": texts(setting, "engage_description", columns),
        "thank_you": texts(setting, "engage_thank_you", columns),
        "pages": rows.pages,
    }
    if out.problems:
        raise ImportFailed(out.problems)
    try:
        definition = SurveyDefinition.from_dict(definition_data)
    except DefinitionError as exc:
        for p in exc.problems:
            sheet, row = rows.locate(p.path, setting_row)
            out.problem(sheet, row, p.code, **p.params, path=p.path)
        raise ImportFailed(out.problems) from None
    return XLSFormImport(definition, tuple(out.warnings))


_CHOICE_COLUMNS = {"list_name", "name", "label", "engage_exclusive", "engage_specify"}


def _languages(
    survey: Sheet,
    choices: Sheet | None,
    settings: Sheet | None,
    setting: dict[str, str],
    setting_row: int,
    out: Collector,
) -> tuple[str, dict[str, str]]:
    """The source language and a map of text column key → language code."""
    default = None
    if setting.get("default_language"):
        default = language_code(setting["default_language"])
        if default is None:
            out.problem(
                "settings", setting_row, "unknown_language", language=setting["default_language"]
            )
    columns: dict[str, str] = {}
    has_plain = False
    sheets = [s for s in (survey, choices) if s is not None]
    headers = [(s.name, h) for s in sheets for h in s.headers]
    if settings is not None:
        headers += [("settings", h) for h in settings.headers if h.startswith(_SETTINGS_TEXTS)]
    for sheet_name, header in headers:
        base, sep, annotation = header.partition("::")
        if base not in (*_TEXT_BASES, *_SETTINGS_TEXTS):
            continue
        if not sep:
            has_plain = True
            continue
        code = language_code(annotation)
        if code is None:
            out.problem(sheet_name, 1, "unknown_language", column=header)
            continue
        columns[header] = code
    annotated = list(dict.fromkeys(columns.values()))
    if default is None and has_plain:
        default = "en"
        if annotated:
            out.warn("settings", setting_row, "default_language_assumed", language="en")
    source = default or (annotated[0] if annotated else "en")
    for base in (*_TEXT_BASES, *_SETTINGS_TEXTS):
        columns[base] = source
    return source, columns


def _ordered_languages(source: str, columns: dict[str, str]) -> list[str]:
    return list(dict.fromkeys([source, *columns.values()]))


def _truthy(text: str) -> bool:
    return text.strip().lower() in ("yes", "true", "true()", "1", "y")


def _read_choices(
    sheet: Sheet | None, columns: dict[str, str], languages: list[str], out: Collector
) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    if sheet is None:
        return lists
    for number, row in sheet.rows:
        list_name, name = row.get("list_name", ""), row.get("name", "")
        if not list_name or not name:
            out.problem("choices", number, "missing_list_name_or_name")
            continue
        if any(o["value"] == name for o in lists.get(list_name, [])):
            out.problem("choices", number, "duplicate_choice", list=list_name, name=name)
            continue
        label = texts(row, "label", columns)
        if not label:
            out.problem("choices", number, "missing_label", name=name)
            continue
        option: dict[str, Any] = {"value": name, "label": label, "_row": number}
        if _truthy(row.get("engage_exclusive", "")):
            option["exclusive"] = True
        if _truthy(row.get("engage_specify", "")):
            option["specify"] = True
        lists.setdefault(list_name, []).append(option)
    return lists


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].strip("-") or "survey"
