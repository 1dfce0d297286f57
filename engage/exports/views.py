"""Downloading a survey's responses: a form of options, then a POST (every export is
audited) that streams the file."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, stream_with_context
from flask.typing import ResponseReturnValue
from flask_login import current_user

from engage.campaigns.waves import waves_of
from engage.exports import services as exports
from engage.exports.codebook import languages_of
from engage.exports.forms import ExportForm
from engage.exports.writers import MIMETYPES, file_extension, stream_export
from engage.extensions import db
from engage.models import Survey
from engage.permissions import Permission, requires
from engage.web.guards import get_survey_or_404

bp = Blueprint("exports", __name__)


@bp.route("/surveys/<int:survey_id>/responses/export", methods=["GET", "POST"])
@requires(Permission.MANAGE_CAMPAIGNS)
def export_responses(survey_id: int) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    form = ExportForm()
    form.set_choices(languages_of(survey), waves_of(survey))
    if not form.validate_on_submit():
        return _export_page(survey, form)
    options = form.options()
    exports.record_export(db.session, survey, options, actor=current_user)
    extension = file_extension(options)
    filename = f"{survey.slug}-responses.{extension}"
    return Response(
        stream_with_context(stream_export(db.session, survey, options)),
        mimetype=MIMETYPES[extension],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _export_page(survey: Survey, form: ExportForm) -> ResponseReturnValue:
    counted, set_aside = exports.count_responses(db.session, survey)
    return render_template(
        "exports/export_form.html",
        survey=survey,
        form=form,
        counted=counted,
        set_aside=set_aside,
        has_errors=bool(form.errors),
    ), (400 if form.errors else 200)
