"""An export's codebook: what each column means, its questions in every language, their
options, and the metadata columns explained (in the reader's interface language)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engage.exports.services import ExportOptions
from engage.models import Survey
from engage.responses.services import definition_of
from surveys.codebook import FixedLabels, codebook_questions

META_DESCRIPTIONS = {
    "response_id": _l("The response's number in Engage."),
    "survey_version": _l("The version of the survey the response answered (1, 2, …)."),
    "submitted_at": _l("When the response was sent (UTC, ISO 8601)."),
    "started_at": _l("When the resident started answering (UTC, ISO 8601); blank if unknown."),
    "language": _l("The language the survey was answered in (a language code, e.g. es)."),
    "channel": _l(
        "How the response reached us: web (online), interviewer, paper, session "
        "(a listening session) or import."
    ),
    "source": _l("The outreach source of the tracked link or QR code used; blank: none."),
    "area": _l("The area the response is from, where it was asked or given."),
    "interviewer": _l(
        "The interviewer or staff member who entered the response; blank: the resident "
        "answered themselves."
    ),
    "place": _l("Where an interviewer took the answers down; blank if not said."),
    "form_number": _l(
        "The number written on the paper form the response was typed in from; blank: none."
    ),
}


def languages_of(survey: Survey) -> list[str]:
    """The languages of ``survey``'s newest version, its own language first."""
    definition = _newest(survey)
    if definition is None:
        return []
    rest = [lang for lang in definition.languages if lang != definition.source_language]
    return [definition.source_language, *rest]


def _newest(survey: Survey) -> Any:
    versions = sorted(survey.versions, key=lambda v: v.number, reverse=True)
    return definition_of(versions[0]) if versions else None


def fixed_labels(languages: list[str]) -> FixedLabels:
    """The labels of the answers the interface words itself (yes/no, consent), in each
    of ``languages``."""
    yes: dict[str, str] = {}
    no: dict[str, str] = {}
    for lang in languages:
        with force_locale(lang):
            yes[lang], no[lang] = _("Yes"), _("No")
    return {"yes_no": {"yes": yes, "no": no}, "consent": {"yes": yes}}


def build_codebook(survey: Survey, options: ExportOptions) -> dict[str, Any]:
    """The codebook of ``survey``'s export: languages, metadata columns, questions."""
    versions = sorted(survey.versions, key=lambda v: v.number, reverse=True)
    languages = languages_of(survey)
    return {
        "survey": survey.slug,
        "languages": languages,
        "values": f"labels:{options.labels}" if options.labels else "codes",
        "meta": [
            {"column": column, "description": str(text)}
            for column, text in META_DESCRIPTIONS.items()
        ],
        "questions": codebook_questions(
            (definition_of(v) for v in versions), fixed_labels(languages)
        ),
    }


def codebook_header(codebook: dict[str, Any]) -> list[str]:
    """The columns of the codebook as a table (a CSV file, an Excel sheet)."""
    texts = [f"text_{lang}" for lang in codebook["languages"]]
    return ["column", "question", "type", "page", "value", *texts, "description"]


def codebook_rows(codebook: dict[str, Any]) -> Iterator[list[Any]]:
    """The codebook as table rows: each metadata column, then each question followed by
    its grid rows, its options and its labelled points."""
    languages = codebook["languages"]

    def texts(localized: dict[str, str]) -> list[str]:
        return [localized.get(lang, "") for lang in languages]

    blank = [""] * len(languages)
    chosen = _("1 if chosen, 0 if not.")
    notes = {
        "multiple_choice": chosen,
        "pick_up_to": chosen,
        "ranking": _("The rank given to this option (1 = first)."),
    }
    several = _("Several values: separated by spaces as codes, by “; ” as labels.")
    for meta in codebook["meta"]:
        yield [meta["column"], "", "meta", "", "", *blank, meta["description"]]
    for q in codebook["questions"]:
        code, kind, page = q["code"], q["type"], q["page"]
        columns = " ".join(q["columns"])
        note = several if kind in notes else ""
        yield [columns, code, kind, page, "", *texts(q["text"]), note]
        for row in q.get("rows", []):
            yield [f"{code}/{row['value']}", code, "row", page, "", *texts(row["label"]), ""]
        per_option = {c for c in q["columns"] if c.startswith(f"{code}/")}
        for option in q["options"]:
            column = f"{code}/{option['value']}"
            own = column in per_option and not q.get("rows")
            note = notes.get(kind, "") if own else ""
            yield [
                column if own else "",
                code,
                "option",
                page,
                option["value"],
                *texts(option["label"]),
                note,
            ]
        specify = q.get("specify")
        if specify is not None:
            note = _("The text typed with the choice “%(value)s”.", value=specify["value"])
            yield [specify["column"], code, "specify", page, specify["value"],
                   *texts(specify["label"]), note]  # fmt: skip
        for point in q.get("points", []):
            yield ["", code, "point", page, point["value"], *texts(point["label"]), ""]
