"""XLSForm (.xlsx) export, readable by ODK/KoboToolbox tools and by :func:`import_xlsform`.

Each page is a ``begin group`` with ``field-list`` appearance. Engage-only information is
kept in extra ``engage_*`` columns that ODK tools ignore, so a round trip is lossless for
everything listed below. Each question type writes its own rows (``write_xlsform`` in its
module of :mod:`surveys.types`). How Engage-only types are written:

- ``long_text``: ``text`` with ``multiline``; ``dropdown``: ``select_one`` ``minimal``.
- ``rating`` / ``scale``: ``select_one`` over the points (labelled with the point labels,
  or the number), ``likert`` appearance, ``engage_type``.
- ``yes_no``: ``select_one yes_no`` (built-in Yes/No labels), ``engage_type``.
- ``pick_up_to`` / ``max_choices``: ``select_multiple`` + ``count-selected(.) <= N``.
- ``matrix``: a nested ``table-list`` group with one ``select_one`` row per matrix row,
  named ``<code>_<row value>``.
- ``consent``: ``acknowledge``; ``info``: ``note``.
- "Please specify": ``engage_specify`` on the choice plus a ``text`` row ``<code>__other``
  shown when that choice is selected (its label is Engage's built-in "Please specify").
- bounds and lengths: ``constraint`` (``. >= 0 and . <= 120``, ``string-length(.) <= 500``).
- calculations: ``calculate`` rows after the last page, with their ``calculation``.
- ``default``: the value as XLSForm writes it (several choices space-separated);
  ``choice_filter``: ``district = ${district}`` with the options' ``attributes`` as extra
  columns of the ``choices`` sheet.

The survey's title, description and thank-you text are ``engage_title``,
``engage_description`` and ``engage_thank_you`` columns (one per language) in ``settings``.

Skip logic is written as ``relevant`` (:func:`surveys.xlsform.relevant.to_relevant`); a
test on how many choices are selected as ``count-selected(${q}) >= N`` (or ``>``, ``<``,
``<=``, ``=``, ``!=``).

Lossy: ``in`` conditions are written as ``or`` of ``=`` tests (same meaning, imported as
``any``); text ``contains`` becomes XPath ``contains()``, which is case-sensitive in ODK;
a count test that only says whether anything is chosen (``count_gte`` 1, ``count_equals``
0 …) comes back as ``answered`` / ``not_answered``.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

from surveys.conditions import Condition
from surveys.schema import LocalizedText, Question, SurveyDefinition
from surveys.types import get_type
from surveys.xlsform.filters import to_choice_filter
from surveys.xlsform.relevant import to_relevant
from surveys.xlsform.sheets import language_annotation, word

SURVEY_COLUMNS = (
    "type", "name", "label", "hint", "required", "relevant", "constraint", "appearance",
    "choice_filter", "default", "engage_type", "engage_role", "engage_outcome", "engage_dimension",
)  # fmt: skip
_TRANSLATED = ("label", "hint")


class _Writer:
    def __init__(self, definition: SurveyDefinition) -> None:
        self.definition = definition
        self.languages = [
            definition.source_language,
            *(lang for lang in definition.languages if lang != definition.source_language),
        ]
        self.annotations = {lang: language_annotation(lang) for lang in self.languages}
        self.types = {q.code: q.type for q in definition.questions()}
        self.survey: list[dict[str, Any]] = []
        self.choices: list[dict[str, Any]] = []
        self.lists: set[str] = set()

    def text_cells(self, column: str, text: LocalizedText) -> dict[str, str]:
        return {
            f"{column}::{self.annotations[lang]}": text[lang]
            for lang in self.languages
            if text.get(lang)
        }

    def relevant(self, condition: Condition | None) -> str:
        return to_relevant(condition, self.types) if condition is not None else ""

    def add_list(self, name: str, items: list[tuple[str, LocalizedText, dict[str, str]]]) -> None:
        if name in self.lists:
            return
        self.lists.add(name)
        for value, label, extra in items:
            self.choices.append(
                {"list_name": name, "name": value, **self.text_cells("label", label), **extra}
            )

    def word(self, key: str) -> LocalizedText:
        return word(key, self.languages)

    def append(self, cells: dict[str, Any]) -> None:
        self.survey.append(cells)

    def option_list(self, q: Question) -> None:
        items = []
        for o in q.options:
            extra = {}
            if o.exclusive:
                extra["engage_exclusive"] = "yes"
            if o.specify:
                extra["engage_specify"] = "yes"
            extra.update(o.attributes)
            items.append((o.value, o.label, extra))
        self.add_list(q.code, items)

    def write(self) -> None:
        for page in self.definition.pages:
            self.survey.append(
                {
                    "type": "begin group",
                    "name": page.key,
                    **self.text_cells("label", page.title),
                    **self.text_cells("hint", page.description),
                    "relevant": self.relevant(page.show_if),
                    "appearance": "field-list",
                }
            )
            for q in page.questions:
                self.question(q)
            self.survey.append({"type": "end group", "name": page.key})
        for calculation in self.definition.calculations:
            self.survey.append(
                {
                    "type": "calculate",
                    "name": calculation.code,
                    "calculation": calculation.expression,
                }
            )

    def question(self, q: Question) -> None:
        row: dict[str, Any] = {
            "name": q.code,
            **self.text_cells("label", q.label),
            **self.text_cells("hint", q.help),
            **self.text_cells("constraint_message", q.constraint_message),
            "required": "yes" if q.required else "",
            "relevant": self.relevant(q.show_if),
            "engage_role": q.analysis_role or "",
            "engage_outcome": q.outcome or "",
            "engage_dimension": q.dimension or "",
            "choice_filter": to_choice_filter(q.choice_filter),
            "default": _default_cell(q.default),
        }
        get_type(q.type).write_xlsform(q, row, self)


def _default_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return str(value)


def export_xlsform(definition: SurveyDefinition) -> bytes:
    """The definition as an XLSForm workbook (``survey``, ``choices``, ``settings``)."""
    writer = _Writer(definition)
    writer.write()
    messages = (
        ("constraint_message",) if any(q.constraint_message for q in definition.questions()) else ()
    )
    translated = [
        f"{column}::{writer.annotations[lang]}"
        for column in (*_TRANSLATED, *messages)
        for lang in writer.languages
    ]
    survey_columns = ["type", "name", *translated, *SURVEY_COLUMNS[4:]]
    if definition.calculations:
        survey_columns.insert(survey_columns.index("choice_filter"), "calculation")
    choice_columns = [
        "list_name", "name",
        *(f"label::{writer.annotations[lang]}" for lang in writer.languages),
        "engage_exclusive", "engage_specify",
    ]  # fmt: skip
    for item in writer.choices:  # the options' attributes, which choice filters compare
        choice_columns += [k for k in item if k not in choice_columns]
    settings_columns = ["form_title", "form_id", "version", "default_language"]
    settings_row = {
        "form_title": definition.title.get(definition.source_language, ""),
        "form_id": definition.slug,
        "version": definition.version,
        "default_language": writer.annotations[definition.source_language],
    }
    for base, text in (
        ("engage_title", definition.title),
        ("engage_description", definition.description),
        ("engage_thank_you", definition.thank_you),
    ):
        cells = writer.text_cells(base, text)
        settings_columns += list(cells)
        settings_row.update(cells)

    workbook = Workbook()
    sheets = (
        ("survey", survey_columns, writer.survey),
        ("choices", choice_columns, writer.choices),
        ("settings", settings_columns, [settings_row]),
    )
    workbook.remove(workbook.active)
    for title, columns, rows in sheets:
        ws = workbook.create_sheet(title)
        ws.append(columns)
        for row in rows:
            ws.append([row.get(c) or None for c in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
