"""What the translation pages show: field names, problem messages, the editor's rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from flask_babel import pgettext
from markupsafe import Markup, escape

from engage.templating import language_name
from engage.survey_translation.forms import text_field_name
from surveys import ImportProblem, SurveyDefinition
from surveys.i18n import TextField, text_direction, text_groups
from surveys.translation_files import TextProblem


def _names(params: Mapping[str, Any]) -> str:
    return ", ".join(params.get("placeholders", ()))


PROBLEMS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "not_utf8": lambda p: _(
        "The file is not in UTF-8. Save it as “CSV UTF-8” or as UTF-8 text, then import it again."
    ),
    "unknown_encoding": lambda p: _(
        "The file uses a character encoding we do not know (%(encoding)s).",
        encoding=p["encoding"],
    ),
    "invalid_po": lambda p: _("This line is not valid in a PO file."),
    "plural_not_supported": lambda p: _("Survey texts have no plural forms."),
    "invalid_csv": lambda p: _("This line cannot be read as CSV."),
    "not_an_xlsx_file": lambda p: _("The file is not an Excel workbook (.xlsx)."),
    "empty_file": lambda p: _("The file is empty."),
    "no_rows": lambda p: _("The file has no texts."),
    "missing_column": lambda p: _("The column “%(column)s” is missing.", column=p["column"]),
    "language_missing": lambda p: _(
        "The file does not say which language it is a translation into. "
        "Export a new file and translate that one."
    ),
    "wrong_language": lambda p: _(
        "The file is a translation into %(found)s, not into %(expected)s.",
        found=language_name(p["found"]),
        expected=language_name(p["expected"]),
    ),
    "wrong_source_language": lambda p: _(
        "The file was made from texts in %(found)s, but this survey is written in %(expected)s.",
        found=language_name(p["found"]),
        expected=language_name(p["expected"]),
    ),
    "missing_key": lambda p: _("The row has no key."),
    "unknown_key": lambda p: _("This key is not a text of this survey."),
    "duplicate_key": lambda p: _("This key appears more than once in the file."),
    "placeholder_missing": lambda p: _(
        "The translation lacks %(placeholders)s, which the original text has. "
        "Keep placeholders as they are.",
        placeholders=_names(p),
    ),
    "placeholder_unexpected": lambda p: _(
        "The translation has %(placeholders)s, which the original text does not have.",
        placeholders=_names(p),
    ),
    "source_changed": lambda p: _(
        "The original text has changed since the file was exported, so this translation "
        "was not imported. Translate the new text."
    ),
    "fuzzy_ignored": lambda p: _(
        "This translation is marked as needing review (fuzzy), so it was not imported."
    ),
}


def problem_message(code: str, params: Mapping[str, Any]) -> str:
    describe = PROBLEMS.get(code)
    return describe(params) if describe else _("This could not be read.")


@dataclass(frozen=True)
class FileProblem:
    """One problem of an imported file, ready to show."""

    where: str
    key: str
    message: str


def file_problems(problems: Sequence[ImportProblem], fmt: str) -> list[FileProblem]:
    """Problems with "Line 12" (PO) or "Row 5" (CSV, XLSX) and the key concerned."""
    result = []
    for problem in problems:
        if problem.row <= 0:
            where = ""
        elif fmt == "po":
            where = _("Line %(line)d", line=problem.row)
        else:
            where = _("Row %(row)d", row=problem.row)
        result.append(
            FileProblem(
                where,
                problem.params.get("key", ""),
                problem_message(problem.message_code, problem.params),
            )
        )
    return result


def field_label(text: TextField) -> str:
    labels: dict[str, Callable[[], str]] = {
        "title": lambda: _("Survey title"),
        "description": lambda: pgettext("survey text", "Introduction"),
        "thank_you": lambda: _("Thank-you message"),
        "page_title": lambda: _("Page title"),
        "page_description": lambda: _("Page introduction"),
        "label": lambda: pgettext("survey text", "Question"),
        "help": lambda: _("Help text"),
        "option": lambda: _("Choice “%(value)s”", value=text.name),
        "row": lambda: _("Row “%(value)s”", value=text.name),
        "point": lambda: _("Label of point %(point)s", point=text.name),
    }
    return labels[text.kind]()


_LONG_KINDS = frozenset({"description", "help", "page_description", "thank_you"})


@dataclass
class EditorField:
    index: int
    key: str
    label: str
    source: str
    value: str
    errors: list[str] = field(default_factory=list)
    multiline: bool = False
    section: str = ""

    @property
    def id(self) -> str:
        return f"tr-{self.index}"

    @property
    def name(self) -> str:
        return text_field_name(self.key)

    @property
    def rows(self) -> int:
        """Textarea height, or 0 for a one-line input."""
        lines = self.source.count("\n") + 1 + len(self.source) // 70
        return min(max(lines, 2), 10) if lines > 1 or self.multiline else 0


@dataclass
class EditorSection:
    kind: str
    heading: Markup
    fields: list[EditorField]


def content(text: str, lang: str) -> Markup:
    """Survey text inside an interface sentence, marked with its own language."""
    return Markup('<span lang="{}" dir="{}">{}</span>').format(lang, text_direction(lang), text)


def _sentence(message: str, **params: str | int | Markup) -> Markup:
    """A translated sentence (not yet formatted) with ``params`` put in, HTML-escaped
    unless they are markup."""
    return Markup(escape(message)) % params


def editor_sections(
    definition: SurveyDefinition,
    values: Mapping[str, str],
    problems: Sequence[TextProblem] = (),
) -> list[EditorSection]:
    """The editor's sections in survey order, with the values to show and any errors."""
    errors: dict[str, list[str]] = {}
    for problem in problems:
        errors.setdefault(problem.key, []).append(problem_message(problem.code, problem.params))
    source = definition.source_language
    page_numbers = {page.key: n for n, page in enumerate(definition.pages, start=1)}
    titles = {page.key: page.title.get(source, "") for page in definition.pages}
    sections = []
    index = 0
    for group in text_groups(definition):
        if group.kind == "survey":
            heading = _sentence(_("Title and introduction"))
        elif group.kind == "page":
            number, title = page_numbers[group.name], titles[group.name]
            heading = (
                _sentence(
                    _("Page %(number)d: %(title)s"), number=number, title=content(title, source)
                )
                if title
                else _sentence(_("Page %(number)d"), number=number)
            )
        elif group.kind == "question":
            code = Markup("<bdi>{}</bdi>").format(group.name)
            heading = _sentence(_("Question “%(code)s”"), code=code)
        else:
            heading = _sentence(_("After the last page"))
        fields = []
        for text in group.fields:
            index += 1
            fields.append(
                EditorField(
                    index=index,
                    key=text.key,
                    label=field_label(text),
                    source=text.text[source],
                    value=values.get(text.key, ""),
                    errors=errors.get(text.key, []),
                    multiline=text.kind in _LONG_KINDS,
                    section=str(heading.striptags()),
                )
            )
        sections.append(EditorSection(group.kind, heading, fields))
    return sections
