"""Importing a file of responses on the staff pages."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import ngettext
from flask_login import current_user

from engage.extensions import db
from engage.imports.forms import ResponseImportForm
from engage.imports.services import MAX_ROWS, import_responses
from engage.models import Survey
from engage.permissions import Permission, requires
from engage.web.guards import get_survey_or_404
from engage.web.messages import row_problem_message
from surveys.response_import import ImportRefused, RowProblem

bp = Blueprint("imports", __name__)


@bp.route("/surveys/<int:survey_id>/responses/import", methods=["GET", "POST"])
@requires(Permission.MANAGE_CAMPAIGNS)
def import_responses_page(survey_id: int) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    form = ResponseImportForm()
    problems: list[tuple[RowProblem, str]] = []
    if form.validate_on_submit():
        try:
            count = _import(survey, form)
        except ImportRefused as refused:
            problems = [(p, row_problem_message(p)) for p in refused.problems]
        else:
            message = ngettext("%(num)d response imported.", "%(num)d responses imported.", count)
            flash(message, "success")
            return redirect(url_for("builder.survey_builder", survey_id=survey.id))
    status = 400 if form.errors or problems else 200
    return render_template(
        "imports/responses_import.html",
        survey=survey,
        form=form,
        problems=problems,
        max_rows=MAX_ROWS,
    ), status


def _import(survey: Survey, form: ResponseImportForm) -> int:
    upload = form.file.data
    data, filename = upload.read(), upload.filename or ""
    channel = form.channel.data
    return import_responses(
        db.session, survey, data, filename, actor=current_user, default_channel=channel
    )
