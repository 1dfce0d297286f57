"""The builder's pages: add, edit (title, text, skip logic), move and delete."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from engage.admin.forms import ActionForm
from engage.definition_messages import describe_problem, problem_location, problem_message
from engage.extensions import db
from engage.models import Survey
from engage.permissions import Permission, requires
from engage.services import survey_builder as builder
from engage.staff.builder_labels import OP_LABELS
from engage.staff.question_editor import build_condition, condition_fields
from engage.staff.survey_forms import PageForm
from engage.staff.surveys import back_to_builder, survey_or_404
from engage.staff.views import bp
from surveys import QUESTION_TYPES
from surveys.editing import add_page, delete_page, find_page, move_page, update_page


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
        db.session.rollback()
        for p in rejected.problems:
            flash(describe_problem(p, new), "error")
        return False
    db.session.commit()
    return True


@bp.post("/surveys/<int:survey_id>/pages")
@requires(Permission.MANAGE_CAMPAIGNS)
def page_add(survey_id: int) -> ResponseReturnValue:
    survey = survey_or_404(survey_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    new, key = add_page(survey.draft_definition)
    builder.save_draft(survey, new)
    db.session.commit()
    flash(_("A new page is added at the end."), "success")
    return back_to_builder(survey, f"page-{key}")


@bp.route("/surveys/<int:survey_id>/pages/<key>", methods=["GET", "POST"])
@requires(Permission.MANAGE_CAMPAIGNS)
def page_edit(survey_id: int, key: str) -> ResponseReturnValue:
    survey = survey_or_404(survey_id)
    data = survey.draft_definition
    index = find_page(data, key)
    page = data["pages"][index]
    lang = data["source_language"]
    form = PageForm()
    form.show_question.choices = skip_logic_choices(data, earlier_questions(data, index))
    form.show_op.choices = list(OP_LABELS.items())
    kept = page.get("show_if") if condition_fields(page.get("show_if")) is None else None
    if not form.is_submitted():
        form.title.data = page.get("title", {}).get(lang, "")
        form.description.data = page.get("description", {}).get(lang, "")
        simple = condition_fields(page.get("show_if"))
        if simple:
            form.show_question.data, form.show_op.data, form.show_value.data = simple
    general: list[str] = []
    if form.validate_on_submit():
        condition, problem = build_condition(
            form.show_question.data or "", form.show_op.data or "", form.show_value.data or ""
        )
        if problem:
            getattr(form, problem[0]).errors = [problem[1]]
        else:
            if kept and request.form.get("keep_condition") == "y":
                condition = kept
            new = update_page(
                data,
                key,
                title=_with(page.get("title"), lang, form.title.data),
                description=_with(page.get("description"), lang, form.description.data),
                show_if=condition,
            )
            try:
                builder.save_draft(survey, new)
            except builder.DraftRejected as rejected:
                for p in rejected.problems:
                    where = problem_location(p)
                    if where[0] == index and where[1] is None and "show_if" in where[2]:
                        form.show_value.errors = [problem_message(p)]
                    else:
                        general.append(describe_problem(p, new))
            else:
                db.session.commit()
                flash(_("The page is saved."), "success")
                return back_to_builder(survey, f"page-{key}")
    status = 400 if (form.errors or general) else 200
    return render_template(
        "staff/page_form.html",
        survey=survey,
        form=form,
        page_number=index + 1,
        kept_condition=kept,
        general_errors=general,
    ), status


def _with(existing: dict[str, str] | None, lang: str, text: str | None) -> dict[str, str]:
    merged = dict(existing or {})
    if text and text.strip():
        merged[lang] = text.strip()
    else:
        merged.pop(lang, None)
    return merged


@bp.post("/surveys/<int:survey_id>/pages/<key>/move")
@requires(Permission.MANAGE_CAMPAIGNS)
def page_move(survey_id: int, key: str) -> ResponseReturnValue:
    survey = survey_or_404(survey_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    offset = -1 if request.form.get("direction") == "up" else 1
    new = move_page(survey.draft_definition, key, offset)
    save_or_flash(survey, new)
    return back_to_builder(survey, f"page-{key}")


@bp.route("/surveys/<int:survey_id>/pages/<key>/delete", methods=["GET", "POST"])
@requires(Permission.MANAGE_CAMPAIGNS)
def page_delete(survey_id: int, key: str) -> ResponseReturnValue:
    survey = survey_or_404(survey_id)
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
        "staff/confirm.html",
        title=_("Delete page %(number)d?", number=index + 1),
        message=_(
            "Its %(count)d questions will be deleted with it. Responses already given keep "
            "their answers.",
            count=count,
        ),
        button=_("Delete the page"),
        form=form,
        cancel_url=url_for("staff.survey_builder", survey_id=survey.id) + f"#page-{key}",
    )
