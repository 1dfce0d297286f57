"""Helpers the builder's views share: where to go back to, and what skip logic may use."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from engage.builder import services as builder
from engage.models import Survey
from engage.web.messages import describe_problem
from surveys import QUESTION_TYPES, get_type
from surveys.parsing import parse_definition


def back_to_builder(survey: Survey, anchor: str | None = None) -> ResponseReturnValue:
    url = url_for("builder.survey_builder", survey_id=survey.id)
    return redirect(f"{url}#{anchor}" if anchor else url)


def earlier_questions(data: dict[str, Any], page_index: int, question_index: int | None = None):  # type: ignore[no-untyped-def]
    """Questions skip logic may look at: answerable ones before the given position."""
    found = []
    for p_index, page in enumerate(data["pages"]):
        for q_index, question in enumerate(page["questions"]):
            before = p_index < page_index or (
                p_index == page_index and question_index is not None and q_index < question_index
            )
            qtype = QUESTION_TYPES.get(question["type"])
            if before and qtype is not None and qtype.answerable:
                found.append(question)
    return found


def skip_logic_choices(data: dict[str, Any], questions: list[dict[str, Any]]) -> list:  # type: ignore[type-arg]
    lang = data["source_language"]
    return [("", _("Always show"))] + [
        (q["code"], f"{q['code']} – {q['label'].get(lang, '')}"[:90]) for q in questions
    ]


def save_or_flash(survey: Survey, new: dict[str, Any]) -> bool:
    """Save and commit the edited draft, or flash why it was refused."""
    try:
        builder.save_draft(survey, new)
    except builder.DraftRejected as rejected:
        for p in rejected.problems:
            flash(describe_problem(p, new), "error")
        return False
    return True


def skip_logic_values(
    data: dict[str, Any], questions: list[dict[str, Any]]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Each of ``questions`` whose answer is chosen from values, with those values and
    their labels in the survey's own language (a hint beside the skip-logic editor)."""
    definition, _problems = parse_definition(data)
    if definition is None:
        return []
    lang = data["source_language"]
    found = []
    for raw in questions:
        q = definition.question(raw["code"])
        values = get_type(q.type).answer_values(q)
        if values:
            labels = {o.value: o.label.get(lang, "") for o in q.options}
            found.append((q.code, [(value, labels.get(value, "")) for value in values]))
    return found
