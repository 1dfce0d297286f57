"""What the translation pages show: field names, problem messages, the editor's rows."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import pgettext
from markupsafe import Markup, escape

from engage.survey_translation.forms import text_field_name
from engage.web.messages import translation_problem_message
from surveys import ImportProblem, SurveyDefinition
from surveys.i18n import TextField, text_direction, text_groups
from surveys.translation_files import TextProblem


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
                translation_problem_message(problem.message_code, problem.params),
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
        "constraint_message": lambda: _("Message when an answer is outside the limits"),
        "option": lambda: _("Choice “%(value)s”", value=text.name),
        "specify_label": lambda: _("Text box of choice “%(value)s”", value=text.name),
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
        errors.setdefault(problem.key, []).append(
            translation_problem_message(problem.code, problem.params)
        )
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
