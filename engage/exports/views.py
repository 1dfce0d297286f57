"""Downloading a survey's responses: a POST, because every export is audited."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, stream_with_context, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.exports import services as exports
from engage.exports.forms import ExportForm
from engage.exports.writers import MIMETYPES, stream_export
from engage.extensions import db
from engage.permissions import Permission, requires
from engage.web.guards import get_survey_or_404

bp = Blueprint("exports", __name__)


@bp.post("/surveys/<int:survey_id>/responses/export")
@requires(Permission.MANAGE_CAMPAIGNS)
def export_responses(survey_id: int) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    form = ExportForm()
    if not form.validate_on_submit():
        flash(_("Choose a file format and try again."), "error")
        return redirect(url_for("builder.survey_builder", survey_id=survey.id)), 303
    fmt = form.format.data
    exports.record_export(db.session, survey, fmt, actor=current_user)
    chunks = stream_export(db.session, survey, fmt)
    filename = f"{survey.slug}-responses.{fmt}"
    return Response(
        stream_with_context(chunks),
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
