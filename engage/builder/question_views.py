"""The builder's questions: add (any type or a demographic preset), edit, move, delete."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.builder import services as builder
from engage.builder.helpers import (
    back_to_builder,
    earlier_questions,
    save_or_flash,
    skip_logic_choices,
    skip_logic_values,
)
from engage.builder.labels import (
    DIMENSION_LABELS,
    OP_LABELS,
    PRESET_LABELS,
    ROLE_LABELS,
    question_type_choices,
    question_type_labels,
)
from engage.builder.question_editor import QuestionFields
from engage.models import Survey
from engage.permissions import Permission, requires
from engage.web.forms import ActionForm
from engage.web.guards import get_survey_or_404
from engage.web.messages import describe_problem
from surveys import QUESTION_TYPES
from surveys.demographics import PRESETS, area
from surveys.editing import (
    EditError,
    add_question,
    calculations_using,
    code_from_text,
    delete_question,
    filters_using,
    find_page,
    find_question,
    move_question,
    question_codes,
    references_to,
    replace_question,
    unique_name,
)


@requires(Permission.MANAGE_CAMPAIGNS)
def question_new(survey_id: int, key: str) -> ResponseReturnValue:
    """Choose a question type or a demographic preset; then the editor opens."""
    survey = get_survey_or_404(survey_id, for_user=current_user)
    page_index = _page_index(survey, key)
    qtype = request.args.get("type", "")
    if qtype in QUESTION_TYPES:
        fields = QuestionFields(type=qtype, page=key)
        fields.pad_rows()
        return _render_editor(survey, fields, None, page_index, None)
    return render_template(
        "builder/question_type.html",
        survey=survey,
        page_key=key,
        page_number=page_index + 1,
        type_choices=question_type_choices(),
        preset_labels=PRESET_LABELS,
        has_areas=bool(survey.campaign.areas),
        action_form=ActionForm(),
    )


@requires(Permission.MANAGE_CAMPAIGNS)
def question_create(survey_id: int, key: str) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    page_index = _page_index(survey, key)
    fields = QuestionFields.from_form(request.form)
    fields.page = key
    return _save(survey, fields, None, page_index)


@requires(Permission.MANAGE_CAMPAIGNS)
def question_preset(survey_id: int, key: str) -> ResponseReturnValue:
    """Add a ready-made demographic question, with "prefer not to say"."""
    survey = get_survey_or_404(survey_id, for_user=current_user)
    _page_index(survey, key)
    if not ActionForm().validate_on_submit():
        abort(400)
    data = survey.draft_definition
    preset = request.form.get("preset", "")
    code = unique_name(preset, question_codes(data))
    languages = data["languages"]
    if preset == "area" and survey.campaign.areas:
        areas = [
            (code_from_text(name, "area"), {data["source_language"]: name})
            for name in survey.campaign.areas
        ]
        question = area(areas, code, languages=languages)
    elif preset in PRESETS:
        question = PRESETS[preset](code, languages=languages)
    else:
        abort(400)
    question = _with_source_fallback(question.to_dict(), data["source_language"])
    if not save_or_flash(survey, add_question(data, key, question)):
        return back_to_builder(survey, f"page-{key}")
    flash(_("The question is added. Edit it to change its wording or options."), "success")
    return back_to_builder(survey, f"q-{code}")


def _with_source_fallback(question: dict[str, Any], source: str) -> dict[str, Any]:
    """Presets come in a few languages; a survey written in another starts from English."""

    def fill(text: dict[str, str]) -> dict[str, str]:
        if source not in text and "en" in text:
            return {**text, source: text["en"]}
        return text

    question["label"] = fill(question["label"])
    for option in question.get("options", []):
        option["label"] = fill(option["label"])
    return question


@requires(Permission.MANAGE_CAMPAIGNS)
def question_edit(survey_id: int, code: str) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    data = survey.draft_definition
    p_index, q_index = find_question(data, code)
    existing = data["pages"][p_index]["questions"][q_index]
    if request.method == "GET":
        fields = QuestionFields.from_question(
            existing, data["source_language"], data["pages"][p_index]["key"]
        )
        return _render_editor(survey, fields, existing, p_index, q_index)
    fields = QuestionFields.from_form(request.form)
    return _save(survey, fields, existing, p_index, q_index)


def _save(
    survey: Survey,
    fields: QuestionFields,
    existing: dict[str, Any] | None,
    page_index: int,
    question_index: int | None = None,
) -> ResponseReturnValue:
    data = survey.draft_definition
    action = request.form.get("action", "save")
    if action != "save" and (action == "retype" or fields.apply_row_action(action)):
        if action == "retype":
            fields.pad_rows()
        return _render_editor(survey, fields, existing, page_index, question_index)
    lang = data["source_language"]
    question = fields.to_question(existing, lang)
    if question is None:
        return _render_editor(survey, fields, existing, page_index, question_index, 400)
    if existing is None:
        question["code"] = fields.code or unique_name(question["code"], question_codes(data))
        new = add_question(data, fields.page, question)
    else:
        target = fields.page if fields.page != data["pages"][page_index]["key"] else None
        new = replace_question(data, existing["code"], question, page_key=target)
    try:
        builder.save_draft(survey, new)
    except builder.DraftRejected as rejected:
        position = find_question(new, question["code"])
        fields.add_problems(rejected.problems, position)
        if not fields.has_errors:
            fields.general_errors = [describe_problem(p, new) for p in rejected.problems]
        return _render_editor(survey, fields, existing, page_index, question_index, 400)
    if fields.dropped_default:
        flash(
            _("The question is saved. Its default answer no longer fits, so it starts blank."),
            "warning",
        )
    else:
        flash(_("The question is saved."), "success")
    return back_to_builder(survey, f"q-{question['code']}")


def _render_editor(
    survey: Survey,
    fields: QuestionFields,
    existing: dict[str, Any] | None,
    page_index: int,
    question_index: int | None,
    status: int = 200,
) -> ResponseReturnValue:
    data = survey.draft_definition
    earlier = earlier_questions(
        data, page_index, question_index if question_index is not None else 10**6
    )
    if fields.has_errors and status == 200:
        status = 400
    return render_template(
        "builder/question_form.html",
        survey=survey,
        data=data,
        fields=fields,
        existing=existing,
        qtype=QUESTION_TYPES.get(fields.type),
        type_labels=question_type_labels(),
        role_labels=ROLE_LABELS,
        dimension_labels=DIMENSION_LABELS,
        op_labels=OP_LABELS,
        skip_choices=skip_logic_choices(data, earlier),
        choice_questions=skip_logic_values(data, earlier),
        page_choices=[
            (p["key"], _("Page %(number)d", number=i + 1)) for i, p in enumerate(data["pages"])
        ],
        lang=data["source_language"],
    ), status


@requires(Permission.MANAGE_CAMPAIGNS)
def question_move(survey_id: int, code: str) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    offset = -1 if request.form.get("direction") == "up" else 1
    try:
        new = move_question(survey.draft_definition, code, offset)
    except EditError as error:
        if error.code != "cannot_move":
            raise
        return back_to_builder(survey, f"q-{code}")
    try:
        builder.save_draft(survey, new)
    except builder.DraftRejected:
        flash(
            _(
                "The question cannot move there: skip logic can only look at questions "
                "that come earlier."
            ),
            "error",
        )
        return back_to_builder(survey, f"q-{code}")
    return back_to_builder(survey, f"q-{code}")


@requires(Permission.MANAGE_CAMPAIGNS)
def question_delete(survey_id: int, code: str) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    data = survey.draft_definition
    new = delete_question(data, code)
    users = references_to(data, code)
    form = ActionForm()
    if users:
        flash(
            _(
                "The skip logic of %(names)s looks at this question: change it first.",
                names=", ".join(users),
            ),
            "error",
        )
        return back_to_builder(survey, f"q-{code}")
    if form.validate_on_submit():
        builder.save_draft(survey, new)
        flash(_deleted(data, code), "success")
        return back_to_builder(survey)
    return render_template(
        "builder/confirm.html",
        title=_("Delete the question %(code)s?", code=code),
        message=_(
            "Responses already given keep their answers to it; publishing the change makes "
            "a new version of the survey if anyone has answered."
        ),
        button=_("Delete the question"),
        form=form,
        cancel_url=url_for("builder.survey_builder", survey_id=survey.id) + f"#q-{code}",
    )


def _deleted(data: dict[str, Any], code: str) -> str:
    """What deleting question ``code`` took with it: calculations that used it, and the
    choice filters that looked at it."""
    calculations, filtered = calculations_using(data, code), filters_using(data, code)
    said = [_("The question is deleted.")]
    if calculations:
        said = [
            _(
                "The question is deleted, with the calculations that used it: %(names)s.",
                names=", ".join(calculations),
            )
        ]
    if filtered:
        said.append(
            _("These questions now offer all their choices: %(names)s.", names=", ".join(filtered))
        )
    return " ".join(said)


def _page_index(survey: Survey, key: str) -> int:
    return find_page(survey.draft_definition, key)
