"""Downloading a survey's responses: a form of options, then a POST (every export is
audited) that streams the file, or, for more responses than a request can stream in
time, builds it in the background (:mod:`engage.exports.files`): a page follows its
progress and offers the file to the staff member who asked, until it expires."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    send_file,
    stream_with_context,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from engage.campaigns.waves import waves_of
from engage.exports import files
from engage.exports import services as exports
from engage.exports.codebook import languages_of
from engage.exports.forms import ExportForm
from engage.exports.writers import MIMETYPES, file_extension, stream_export
from engage.extensions import db
from engage.models import ExportFile, Survey
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
    extension = file_extension(options)
    filename = f"{survey.slug}-responses.{extension}"
    matching = exports.count_matching(db.session, survey, options.filter)
    if matching > files.stream_limit():
        export = files.request_export(
            db.session, survey, options, filename, actor=current_user, total=matching
        )
        return redirect(url_for("exports.export_file", export_id=export.id), 303)
    exports.record_export(db.session, survey, options, actor=current_user)
    return Response(
        stream_with_context(stream_export(db.session, survey, options)),
        mimetype=MIMETYPES[extension],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _own_export_or_404(export_id: int) -> ExportFile:
    export = files.own_export(db.session, export_id, current_user)
    if export is None:
        abort(404)
    get_survey_or_404(export.survey_id, for_user=current_user)
    return export


@bp.get("/exports/<int:export_id>")
@requires(Permission.MANAGE_CAMPAIGNS)
def export_file(export_id: int) -> ResponseReturnValue:
    export = _own_export_or_404(export_id)
    return render_template(
        "exports/export_file.html",
        export=export,
        survey=export.survey,
        available=files.file_of(export) is not None,
        follow=request.args.get("follow") == "1",  # refresh itself only when asked to
    )


@bp.get("/exports/<int:export_id>/download")
@requires(Permission.MANAGE_CAMPAIGNS)
def export_download(export_id: int) -> ResponseReturnValue:
    export = _own_export_or_404(export_id)
    path = files.file_of(export)
    if path is None:
        return redirect(url_for("exports.export_file", export_id=export.id), 303)
    extension = path.suffix.lstrip(".")
    return send_file(
        path,
        mimetype=MIMETYPES.get(extension, "application/octet-stream"),
        as_attachment=True,
        download_name=export.download_name,
        max_age=0,
    )


def _export_page(survey: Survey, form: ExportForm) -> ResponseReturnValue:
    counted, set_aside = exports.count_responses(db.session, survey)
    return render_template(
        "exports/export_form.html",
        survey=survey,
        form=form,
        counted=counted,
        set_aside=set_aside,
        stream_limit=files.stream_limit(),
        recent=files.recent_exports(db.session, survey, current_user),
        has_errors=bool(form.errors),
    ), (400 if form.errors else 200)
