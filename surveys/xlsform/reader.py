"""XLSForm import: ``.xlsx``, ``.xls`` and pyxform's CSV and Markdown forms.

The file is read by pyxform (see :mod:`surveys.xlsform.source`). A row Engage cannot
use does not refuse the form: it is left out, or adapted, and listed in the import's
``report`` with its sheet, row, column and cause (an :class:`ImportProblem` whose
``outcome`` says which). Only a file that is no XLSForm, goes past the import's bounds,
or would leave a survey without any question is refused (:class:`ImportFailed`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from surveys.errors import DefinitionError, ImportFailed, ImportProblem
from surveys.limits import ImportLimits
from surveys.schema import SurveyDefinition
from surveys.xlsform.media import ChoiceFile, read_choice_file
from surveys.xlsform.rows import SurveyRows
from surveys.xlsform.sheets import Sheet, language_code, texts
from surveys.xlsform.workbook import source_bytes

_TEXT_BASES = ("label", "hint", "constraint_message", "required_message", "guidance_hint")
_SETTINGS_KNOWN = {"form_title", "form_id", "version", "default_language", "style"}
_SETTINGS_TEXTS = ("engage_title", "engage_description", "engage_thank_you")
OUTCOMES = ("left_out", "adapted", "ignored")


@dataclass(frozen=True)
class XLSFormImport:
    definition: SurveyDefinition
    report: tuple[ImportProblem, ...]
    """Every row left out, adapted or ignored, in sheet and row order."""

    @property
    def warnings(self) -> tuple[ImportProblem, ...]:
        return self.report

    def by_outcome(self, outcome: str) -> list[ImportProblem]:
        return [p for p in self.report if p.outcome == outcome]


class Collector:
    def __init__(self) -> None:
        self.problems: list[ImportProblem] = []
        self.notes: list[ImportProblem] = []

    def problem(self, sheet: str, row: int, code: str, /, **params: Any) -> None:
        """The import cannot go on."""
        self.problems.append(ImportProblem(sheet, row, code, params))

    def note(
        self, outcome: str, sheet: str, row: int, code: str, where: str = "", /, **params: Any
    ) -> None:
        """``row`` is left out, adapted or ignored (``outcome``); ``where`` is its column."""
        self.notes.append(ImportProblem(sheet, row, code, params, where, outcome))

    def warn(self, sheet: str, row: int, code: str, where: str = "", /, **params: Any) -> None:
        self.note("ignored", sheet, row, code, where, **params)

    def forget_adapted(self, sheet: str, row: int) -> None:
        """``row`` is left out after all: how it would have been adapted is not said (a
        question reported as "asked as text" and as left out misleads)."""
        self.notes = [
            n for n in self.notes if (n.sheet, n.row, n.outcome) != (sheet, row, "adapted")
        ]

    def report(self) -> tuple[ImportProblem, ...]:
        order = {"settings": 0, "survey": 1, "choices": 2}
        return tuple(
            sorted(
                self.notes,
                key=lambda p: (order.get(p.sheet, 3), p.sheet if p.sheet not in order else "",
                               p.row, p.column),
            )
        )  # fmt: skip


def import_xlsform(
    source: str | Path | bytes | BinaryIO,
    limits: ImportLimits | None = None,
    media: Mapping[str, bytes] | None = None,
    areas: Sequence[str] = (),
) -> XLSFormImport:
    """Import an XLSForm into a survey definition, with the report of what changed.

    ``media`` holds the files uploaded beside the form, by name: the CSV files that
    ``select_one_from_file`` rows read their choices from (read only when referred to).
    ``areas`` are the campaign's areas: a ``geopoint`` question offers them, with a place
    to type for somewhere else.

    Raises :class:`ImportFailed` naming why the file cannot be a survey at all, or the
    bound of ``limits`` (default :class:`ImportLimits()`) it goes past.
    """
    from surveys.xlsform.source import read_form_file  # pyxform, loaded when first used

    budget = (limits or ImportLimits()).start()
    sheets = read_form_file(source_bytes(source), budget)
    files: dict[str, ChoiceFile | None] = {}

    def choice_file(name: str) -> ChoiceFile | None:
        if name not in files:
            data = media.get(name) if media is not None else None
            files[name] = None if data is None else read_choice_file(name, data, budget)
        return files[name]

    return build_definition(
        sheets["survey"], sheets.get("choices"), sheets.get("settings"), choice_file, areas
    )


def build_definition(
    survey: Sheet,
    choices: Sheet | None,
    settings: Sheet | None,
    choice_file: Callable[[str], ChoiceFile | None] | None = None,
    areas: Sequence[str] = (),
) -> XLSFormImport:
    out = Collector()
    setting = settings.rows[0][1] if settings and settings.rows else {}
    setting_row = settings.rows[0][0] if settings and settings.rows else 2
    source, columns = _languages(survey, choices, settings, setting, setting_row, out)
    languages = _ordered_languages(source, columns)
    if survey is not None:
        for key in survey.headers:
            base = key.split("::")[0]
            if base not in SurveyRows.KNOWN_COLUMNS and not base.startswith(_PREFIXES):
                out.warn("survey", 1, "unknown_column_ignored", survey.column(key))
    if settings is not None:
        for key in sorted(set(setting) - _SETTINGS_KNOWN):
            if key.split("::")[0] not in _SETTINGS_TEXTS:
                out.warn("settings", setting_row, "setting_ignored", settings.column(key))

    lists = _read_choices(choices, columns, out)
    rows = SurveyRows(out, lists, columns, languages, survey, choice_file, areas)
    for number, row in survey.rows:
        rows.add(number, row)
    rows.finish()
    rows.check_calculations()
    if choices is not None:  # extra choice columns are kept where a choice filter uses them
        for key in choices.headers:
            if _extra_choice_column(key) and key not in rows.filter_columns:
                out.warn("choices", 1, "choice_column_not_used", choices.column(key))

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
        "calculations": rows.calculations,
    }
    if out.problems:
        raise ImportFailed(out.problems)
    definition = _checked_definition(definition_data, rows, setting_row, out)
    return XLSFormImport(definition, out.report())


def _checked_definition(
    data: dict[str, Any], rows: SurveyRows, setting_row: int, out: Collector
) -> SurveyDefinition:
    """The definition, leaving out each question the engine finds a problem with (and
    questions whose skip logic looked at it), until none is left to leave out."""
    for _attempt in range(50):
        rows.drop_empty_pages()
        if not rows.pages:
            break
        try:
            return SurveyDefinition.from_dict(data)
        except DefinitionError as exc:
            fatal, dropped, calculations = [], set(), {}
            for p in exc.problems:
                calculation = re.match(r"^\$\.calculations\[(\d+)\]", p.path)
                if calculation is not None and int(calculation[1]) < len(rows.calculations):
                    calculations.setdefault(int(calculation[1]), p)
                    continue
                place = rows.question_at(p.path)
                if place is None:
                    fatal.append(p)
                    continue
                if place not in dropped:
                    dropped.add(place)
                    number = rows.question_rows[place[0]][place[1]]
                    out.forget_adapted("survey", number)
                    out.note("left_out", "survey", number, p.code, rows.column_of(p.path),
                             **p.params)  # fmt: skip
            if calculations and not fatal:
                for index, p in sorted(calculations.items(), reverse=True):
                    number = rows.calculation_rows.pop(index)
                    rows.dropped.add(rows.calculations.pop(index)["code"])
                    column = "name" if p.path.endswith(".code") else "calculation"
                    out.note("left_out", "survey", number, p.code, rows.column(column),
                             **p.params)  # fmt: skip
                rows.remove_at(dropped)
                continue
            if fatal or not dropped:
                for p in fatal or exc.problems:
                    sheet, row = rows.locate(p.path, setting_row)
                    out.problem(sheet, row, p.code, **p.params, path=p.path)
                raise ImportFailed(out.problems) from None
            rows.remove_at(dropped)
    out.problem("survey", 1, "no_questions_imported", left_out=len(out.notes))
    raise ImportFailed([*out.problems, *out.report()]) from None


_CHOICE_COLUMNS = {"list_name", "name", "label", "engage_exclusive", "engage_specify"}
_PREFIXES = ("media", "bind", "control")


def _extra_choice_column(key: str) -> bool:
    """A column of the choices sheet that XLSForm leaves to the form: a choice filter
    may compare it (``district`` in ``district = ${district}``)."""
    base = key.split("::")[0]
    return (
        base not in _CHOICE_COLUMNS and base not in _TEXT_BASES and not base.startswith(_PREFIXES)
    )


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
            out.note(
                "adapted",
                "settings",
                setting_row,
                "unknown_default_language",
                settings.column("default_language") if settings else "default_language",
                language=setting["default_language"],
            )
    columns: dict[str, str] = {}
    has_plain = False
    sheets = [s for s in (survey, choices) if s is not None]
    headers = [(s, h) for s in sheets for h in s.headers]
    if settings is not None:
        headers += [(settings, h) for h in settings.headers if h.startswith(_SETTINGS_TEXTS)]
    for sheet, header in headers:
        base, sep, annotation = header.partition("::")
        if base not in (*_TEXT_BASES, *_SETTINGS_TEXTS):
            continue
        if not sep or annotation == "default":
            has_plain = True
            continue
        code = language_code(annotation)
        if code is None:
            out.note("ignored", sheet.name, 1, "unknown_language", sheet.column(header),
                     column=sheet.column(header))  # fmt: skip
            continue
        columns[header] = code
    annotated = list(dict.fromkeys(columns.values()))
    if default is None and has_plain:
        default = "en"
        if annotated and "en" not in annotated:
            out.note("adapted", "settings", setting_row, "default_language_assumed", language="en")
    source = default or (annotated[0] if annotated else "en")
    for base in (*_TEXT_BASES, *_SETTINGS_TEXTS):
        columns[base] = source
        columns[f"{base}::default"] = source
    return source, columns


def _ordered_languages(source: str, columns: dict[str, str]) -> list[str]:
    return list(dict.fromkeys([source, *columns.values()]))


def _truthy(text: str) -> bool:
    return text.strip().lower() in ("yes", "true", "true()", "1", "y")


def _read_choices(
    sheet: Sheet | None, columns: dict[str, str], out: Collector
) -> dict[str, list[dict[str, Any]]]:
    lists: dict[str, list[dict[str, Any]]] = {}
    if sheet is None:
        return lists
    for number, row in sheet.rows:
        list_name, name = row.get("list_name", ""), row.get("name", "")
        if not list_name and not name:
            continue  # a comment row
        if not list_name or not name:
            column = sheet.column("name" if list_name else "list_name")
            out.note("left_out", "choices", number, "choice_missing_list_name_or_name", column)
            continue
        if any(o["value"] == name for o in lists.get(list_name, [])):
            out.note("left_out", "choices", number, "duplicate_choice", sheet.column("name"),
                     list=list_name, name=name)  # fmt: skip
            continue
        label = texts(row, "label", columns)
        if not label:
            label = {columns["label"]: name}
            out.note("adapted", "choices", number, "choice_label_missing", sheet.column("label"),
                     name=name)  # fmt: skip
        option: dict[str, Any] = {"value": name, "label": label, "_row": number}
        extra = {k: v for k, v in row.items() if _extra_choice_column(k)}
        if extra:
            option["_attributes"] = extra
        if _truthy(row.get("engage_exclusive", "")):
            option["exclusive"] = True
        if _truthy(row.get("engage_specify", "")):
            option["specify"] = True
        lists.setdefault(list_name, []).append(option)
    return lists


def _slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80].strip("-") or "survey"
