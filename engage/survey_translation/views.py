"""Translating a survey's content: overview, side-by-side editor, translator files.

Everything here works on the survey's draft; see :mod:`engage.survey_translation.services`.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from engage.extensions import db
from engage.models import Survey
from engage.permissions import Permission, requires
from engage.survey_translation import services as service
from engage.survey_translation.editor import FileProblem, editor_sections, file_problems
from engage.survey_translation.forms import (
    TranslationEditForm,
    TranslationImportForm,
    text_field_name,
)
from engage.templating import language_name
from engage.web.guards import get_survey_or_404
from engage.web.uploads import import_limits
from surveys import ImportFailed, SurveyDefinition
from surveys.i18n import flatten_texts, text_direction
from surveys.translation_files import TextProblem

CONTENT_TYPES = {
    "po": "text/x-gettext-translation",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MAX_PROBLEMS_SHOWN = 100

bp = Blueprint("survey_translation", __name__)


def _load(survey_id: int) -> tuple[Survey, SurveyDefinition]:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    try:
        return survey, service.read_draft(survey)
    except service.DraftUnreadable:
        page = render_template(
            "survey_translation/survey_translations_unavailable.html", survey=survey
        )
        abort(make_response(page, 409))


def _target(definition: SurveyDefinition, lang: str) -> None:
    if lang not in service.target_languages(definition):
        abort(404)


def _render_overview(
    survey: Survey,
    definition: SurveyDefinition,
    *,
    failed_lang: str | None = None,
    failed_form: TranslationImportForm | None = None,
    problems: list[FileProblem] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    forms = {
        lang: failed_form
        if lang == failed_lang and failed_form is not None
        else TranslationImportForm(prefix=lang, formdata=None)
        for lang in service.target_languages(definition)
    }
    for lang, form in forms.items():
        form.file.label.text = _(
            "File with the %(language)s translation", language=language_name(lang)
        )
    return render_template(
        "survey_translation/survey_translations.html",
        survey=survey,
        definition=definition,
        title=definition.title.get(definition.source_language, survey.slug),
        source_dir=text_direction(definition.source_language),
        statuses=service.language_statuses(survey, definition),
        import_forms=forms,
        failed_lang=failed_lang,
        problems=(problems or [])[:MAX_PROBLEMS_SHOWN],
        more_problems=max(0, len(problems or []) - MAX_PROBLEMS_SHOWN),
        has_errors=failed_lang is not None,
    ), status


@bp.get("/surveys/<int:survey_id>/translations")
@requires(Permission.MANAGE_CAMPAIGNS)
def survey_translations(survey_id: int) -> ResponseReturnValue:
    survey, definition = _load(survey_id)
    return _render_overview(survey, definition)


@bp.get("/surveys/<int:survey_id>/translations/<lang>.<any(po, csv, xlsx):fmt>")
@requires(Permission.MANAGE_CAMPAIGNS)
def survey_translation_export(survey_id: int, lang: str, fmt: str) -> ResponseReturnValue:
    survey, definition = _load(survey_id)
    _target(definition, lang)
    data = service.export_translation_file(survey, lang, fmt)
    response = send_file(
        io.BytesIO(data),
        mimetype=CONTENT_TYPES[fmt],
        as_attachment=True,
        download_name=f"{survey.slug}-{lang}.{fmt}",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/surveys/<int:survey_id>/translations/<lang>/import")
@requires(Permission.MANAGE_CAMPAIGNS)
def survey_translation_import(survey_id: int, lang: str) -> ResponseReturnValue:
    survey, definition = _load(survey_id)
    _target(definition, lang)
    form = TranslationImportForm(prefix=lang)
    if not form.validate_on_submit():
        return _render_overview(survey, definition, failed_lang=lang, failed_form=form, status=400)
    upload = form.file.data
    fmt = upload.filename.rsplit(".", 1)[-1].lower()
    try:
        data, limits = upload.read(), import_limits()
        result = service.import_translation_file(db.session, survey, lang, data, fmt, limits)
    except ImportFailed as error:
        form.file.errors = [
            _(
                "The file was not imported and nothing has changed. "
                "Correct the problems listed and import it again."
            )
        ]
        return _render_overview(
            survey,
            definition,
            failed_lang=lang,
            failed_form=form,
            problems=file_problems(error.problems, fmt),
            status=400,
        )
    flash(_imported_message(lang, len(result.changed), len(result.missing)), "success")
    for problem in file_problems(result.warnings, fmt)[:MAX_PROBLEMS_SHOWN]:
        flash(f"{problem.where} ({problem.key}): {problem.message}", "warning")
    return redirect(url_for("survey_translation.survey_translations", survey_id=survey.id))


def _imported_message(lang: str, changed: int, missing: int) -> str:
    parts = [
        _("The %(language)s file was imported.", language=language_name(lang)),
        ngettext("%(num)d translation changed.", "%(num)d translations changed.", changed),
    ]
    if missing:
        parts.append(
            ngettext(
                "%(num)d text is still untranslated.",
                "%(num)d texts are still untranslated.",
                missing,
            )
        )
    return " ".join(parts)


@bp.route("/surveys/<int:survey_id>/translations/<lang>", methods=["GET", "POST"])
@requires(Permission.MANAGE_CAMPAIGNS)
def survey_translation_edit(survey_id: int, lang: str) -> ResponseReturnValue:
    survey, definition = _load(survey_id)
    _target(definition, lang)
    form = TranslationEditForm()
    stored = {key: text.get(lang, "") for key, text in flatten_texts(definition).items()}
    if request.method == "GET":
        return _render_editor(survey, definition, lang, form, stored)
    if not form.validate_on_submit():
        abort(400)
    typed = {
        k: request.form[text_field_name(k)] for k in stored if text_field_name(k) in request.form
    }
    try:
        saved = service.save_translations(db.session, survey, lang, typed, form.digest.data or "")
    except service.SourceChanged:
        message = _(
            "The original texts changed while you were translating. Check your translations "
            "against them and save again."
        )
        return _render_editor(
            survey, definition, lang, form, {**stored, **typed}, form_errors=[message], status=409
        )
    except service.InvalidTranslations as error:
        return _render_editor(
            survey, definition, lang, form, {**stored, **typed}, problems=error.problems, status=400
        )
    _flash_saved(survey, saved, lang)
    return redirect(
        url_for("survey_translation.survey_translation_edit", survey_id=survey.id, lang=lang)
    )


def _flash_saved(survey: Survey, saved: SurveyDefinition, lang: str) -> None:
    report = service.language_statuses(survey, saved)
    status = next(s for s in report if s.code == lang)
    flash(
        _(
            "Translations saved: %(translated)d of %(total)d texts are in %(language)s.",
            translated=status.translated,
            total=status.total,
            language=language_name(lang),
        ),
        "success",
    )


def _render_editor(
    survey: Survey,
    definition: SurveyDefinition,
    lang: str,
    form: TranslationEditForm,
    values: dict[str, str],
    *,
    problems: Sequence[TextProblem] = (),
    form_errors: list[str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    form.digest.data = service.source_digest(definition)
    sections = editor_sections(definition, values, problems)
    field_errors = [(f, message) for s in sections for f in s.fields for message in f.errors]
    report = service.language_statuses(survey, definition)
    return render_template(
        "survey_translation/survey_translation_edit.html",
        survey=survey,
        title=definition.title.get(definition.source_language, survey.slug),
        lang=lang,
        lang_dir=text_direction(lang),
        source_lang=definition.source_language,
        source_dir=text_direction(definition.source_language),
        status=next(s for s in report if s.code == lang),
        sections=sections,
        form=form,
        form_errors=form_errors or [],
        field_errors=field_errors,
        has_errors=bool(field_errors or form_errors),
    ), status
