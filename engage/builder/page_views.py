"""The builder's pages: add, edit (title, text, skip logic), move and delete."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.builder import services as builder
from engage.builder.forms import PageForm
from engage.builder.helpers import (
    back_to_builder,
    earlier_questions,
    save_or_flash,
    skip_logic_choices,
)
from engage.builder.labels import OP_LABELS
from engage.builder.question_editor import build_condition, condition_fields
from engage.models import Survey
from engage.permissions import Permission, requires
from engage.web.forms import ActionForm
from engage.web.guards import get_survey_or_404
from engage.web.messages import describe_problem, problem_location, problem_message
from surveys.editing import add_page, delete_page, find_page, move_page, update_page


@requires(Permission.MANAGE_CAMPAIGNS)
def page_add(survey_id: int) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    new, key = add_page(survey.draft_definition)
    builder.save_draft(survey, new)
    flash(_("A new page is added at the end."), "success")
    return back_to_builder(survey, f"page-{key}")


@requires(Permission.MANAGE_CAMPAIGNS)
def page_edit(survey_id: int, key: str) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    data = survey.draft_definition
    index = find_page(data, key)
    page = data["pages"][index]
    form = _page_form(data, index)
    kept = page.get("show_if") if condition_fields(page.get("show_if")) is None else None
    general: list[str] = []
    if form.validate_on_submit():
        general = _save_page(survey, form, index, kept)
        if not general and not form.errors:
            flash(_("The page is saved."), "success")
            return back_to_builder(survey, f"page-{key}")
    status = 400 if (form.errors or general) else 200
    return render_template(
        "builder/page_form.html",
        survey=survey,
        form=form,
        page_number=index + 1,
        kept_condition=kept,
        general_errors=general,
    ), status


def _page_form(data: dict[str, Any], index: int) -> PageForm:
    """The page form, its skip-logic choices, and (on GET) the page as it is."""
    page, lang = data["pages"][index], data["source_language"]
    form = PageForm()
    form.show_question.choices = skip_logic_choices(data, earlier_questions(data, index))
    form.show_op.choices = list(OP_LABELS.items())
    if not form.is_submitted():
        form.title.data = page.get("title", {}).get(lang, "")
        form.description.data = page.get("description", {}).get(lang, "")
        simple = condition_fields(page.get("show_if"))
        if simple:
            form.show_question.data, form.show_op.data, form.show_value.data = simple
    return form


def _save_page(survey: Survey, form: PageForm, index: int, kept: Any) -> list[str]:
    """Save the page; problems go beside their field, the rest are returned."""
    data = survey.draft_definition
    page, lang = data["pages"][index], data["source_language"]
    condition, problem = build_condition(
        form.show_question.data or "", form.show_op.data or "", form.show_value.data or ""
    )
    if problem:
        getattr(form, problem[0]).errors = [problem[1]]
        return []
    if kept and request.form.get("keep_condition") == "y":
        condition = kept
    new = update_page(
        data,
        page["key"],
        title=_with(page.get("title"), lang, form.title.data),
        description=_with(page.get("description"), lang, form.description.data),
        show_if=condition,
    )
    try:
        builder.save_draft(survey, new)
    except builder.DraftRejected as rejected:
        general = []
        for p in rejected.problems:
            where = problem_location(p)
            if where[0] == index and where[1] is None and "show_if" in where[2]:
                form.show_value.errors = [problem_message(p)]
            else:
                general.append(describe_problem(p, new))
        return general
    return []


def _with(existing: dict[str, str] | None, lang: str, text: str | None) -> dict[str, str]:
    merged = dict(existing or {})
    if text and text.strip():
        merged[lang] = text.strip()
    else:
        merged.pop(lang, None)
    return merged


@requires(Permission.MANAGE_CAMPAIGNS)
def page_move(survey_id: int, key: str) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    offset = -1 if request.form.get("direction") == "up" else 1
    new = move_page(survey.draft_definition, key, offset)
    save_or_flash(survey, new)
    return back_to_builder(survey, f"page-{key}")


@requires(Permission.MANAGE_CAMPAIGNS)
def page_delete(survey_id: int, key: str) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    index = find_page(survey.draft_definition, key)
    new = delete_page(survey.draft_definition, key)
    form = ActionForm()
    if form.validate_on_submit():
        if not save_or_flash(survey, new):
            return back_to_builder(survey, f"page-{key}")
        flash(_("The page is deleted."), "success")
        return back_to_builder(survey)
    count = len(survey.draft_definition["pages"][index]["questions"])
    return render_template(
        "builder/confirm.html",
        title=_("Delete page %(number)d?", number=index + 1),
        message=_(
            "Its %(count)d questions will be deleted with it. Responses already given keep "
            "their answers.",
            count=count,
        ),
        button=_("Delete the page"),
        form=form,
        cancel_url=url_for("builder.survey_builder", survey_id=survey.id) + f"#page-{key}",
    )
