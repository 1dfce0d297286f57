"""The survey builder: a survey's overview, settings, publishing, closing and files."""

from __future__ import annotations

from typing import Any

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.builder import services as builder
from engage.builder import survey_import
from engage.builder.forms import (
    ImportConfirmForm,
    NewSurveyForm,
    SurveySettingsForm,
    language_choices,
)
from engage.builder.helpers import back_to_builder
from engage.builder.labels import (
    ROLE_LABELS,
    SURVEY_KIND_LABELS,
    SURVEY_STATUS_LABELS,
    describe_condition,
    question_type_labels,
)
from engage.builder.publishing import has_unpublished_changes
from engage.extensions import db
from engage.models import Campaign, Survey
from engage.permissions import Permission, requires
from engage.web.forms import ActionForm
from engage.web.guards import get_campaign_or_404, get_survey_or_404
from engage.web.messages import (
    IMPORT_OUTCOMES,
    describe_problem,
    import_problem_line,
    import_problem_message,
    import_problem_place,
)
from engage.web.uploads import import_limits
from surveys import (
    DefinitionError,
    SurveyDefinition,
    completeness,
    dump_definition,
)
from surveys.editing import restrict_languages, update_settings
from surveys.parsing import parse_definition
from surveys.xlsform import export_xlsform


def _language_codes(campaign: Campaign, definition: dict[str, Any] | None = None) -> tuple:
    codes = list(campaign.languages)
    for code in (definition or {}).get("languages", []):
        if code not in codes:
            codes.append(code)
    return tuple(codes)


# -- a new survey ----------------------------------------------------------------------


@requires(Permission.MANAGE_CAMPAIGNS)
def survey_new(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user)
    form = _new_survey_form(campaign)
    upload = request.files.get(form.definition_file.name)
    import_errors: list[str] = []
    if upload and upload.filename:
        data = upload.read(survey_import.MAX_SURVEY_FILE + 1)
        media = _media_files(request.files.getlist(form.media_files.name))
        preview = survey_import.read_survey_file(
            upload.filename, data, import_limits(), media, campaign.areas or ()
        )
        import_errors = _refusal_messages(preview, form.slug.data or "")
        if not import_errors:
            return _import_preview(campaign, preview, (form.slug.data or "").strip())
    elif form.validate_on_submit():
        survey = _create_survey(campaign, form)
        if survey is not None:
            flash(_("The survey is created. Add its questions."), "success")
            return back_to_builder(survey)
    status = 400 if (form.errors or import_errors) else 200
    return render_template(
        "builder/survey_new.html", form=form, campaign=campaign, import_errors=import_errors
    ), status


@requires(Permission.MANAGE_CAMPAIGNS)
def survey_import_confirm(campaign_id: int) -> ResponseReturnValue:
    """Make the survey previewed on the import page, or say why it cannot be made."""
    campaign = get_campaign_or_404(campaign_id, for_user=current_user)
    form = ImportConfirmForm()
    errors: list[str] = []
    try:
        if not form.validate_on_submit():
            raise survey_import.ImportTokenRefused("import_invalid")
        definition, slug, _report = survey_import.open_import(
            current_app.secret_key,
            form.token.data,
            campaign_id=campaign.id,
            user_id=current_user.id,
        )
        survey = builder.import_survey(
            db.session, campaign=campaign, definition=definition, slug=slug
        )
    except survey_import.ImportTokenRefused as refused:
        errors = [import_problem_message(refused.code, {})]
    except builder.DraftRejected as rejected:
        errors = [describe_problem(p, {}) for p in rejected.problems]
    if errors:
        new_form = _new_survey_form(campaign)
        return render_template(
            "builder/survey_new.html", form=new_form, campaign=campaign, import_errors=errors
        ), 400
    flash(_("The survey is imported. Check it, then publish it."), "success")
    return back_to_builder(survey)


def _media_files(uploads: list[Any]) -> dict[str, bytes]:
    """The files uploaded beside a form, by their name (at most ``MAX_MEDIA_FILES``; one
    larger than a survey file is read no further, and the import says it is too large)."""
    files: dict[str, bytes] = {}
    for upload in uploads[: survey_import.MAX_MEDIA_FILES]:
        name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
        data = upload.read(survey_import.MAX_SURVEY_FILE + 1)
        if name:
            files.setdefault(name, data)
    return files


def _import_preview(
    campaign: Campaign, preview: survey_import.SurveyFilePreview, slug: str
) -> ResponseReturnValue:
    """The preview page: what the file holds, what was left out or changed, and the
    form that confirms it (the definition signed into it, nothing stored yet)."""
    definition = preview.definition
    assert definition is not None
    form = ImportConfirmForm()
    form.token.data = survey_import.sign_import(
        current_app.secret_key,
        campaign_id=campaign.id,
        user_id=current_user.id,
        definition=definition,
        slug=slug or definition.slug,
        report=preview.report,
    )
    return render_template(
        "builder/survey_import_preview.html",
        campaign=campaign,
        definition=definition,
        address=slug or definition.slug,
        preview=preview,
        report=[
            (p, import_problem_place(p), import_problem_message(p.message_code, p.params))
            for p in preview.report
        ],
        outcomes=IMPORT_OUTCOMES,
        type_labels=question_type_labels(),
        form=form,
    )


def _refusal_messages(preview: survey_import.SurveyFilePreview, slug: str) -> list[str]:
    """Why the uploaded file cannot be imported (none: it can be previewed)."""
    if preview.refused:
        messages = [import_problem_line(p) for p in preview.problems]
        messages += [
            _(
                "%(where)s: %(message)s",
                where=p.path,
                message=import_problem_message(p.code, p.params),
            )
            for p in preview.definition_problems
        ]
        return messages
    assert preview.definition is not None
    address = slug.strip() or preview.definition.slug
    return [describe_problem(p, {}) for p in survey_import.address_problems(db.session, address)]


def _new_survey_form(campaign: Campaign) -> NewSurveyForm:
    form = NewSurveyForm()
    choices = language_choices(_language_codes(campaign))
    form.source_language.choices = choices
    form.languages.choices = choices
    if not form.is_submitted():
        form.source_language.data = campaign.languages[0] if campaign.languages else "en"
        form.languages.data = list(campaign.languages)
    return form


def _create_survey(campaign: Campaign, form: NewSurveyForm) -> Survey | None:
    """A blank draft from the form, or ``None`` with the reason on the address field."""
    languages = list(dict.fromkeys([form.source_language.data, *form.languages.data]))
    try:
        return builder.new_survey(
            db.session,
            campaign=campaign,
            title=form.title.data.strip(),
            slug=form.slug.data.strip(),
            source_language=form.source_language.data,
            languages=languages,
            kind=form.kind.data,
        )
    except builder.DraftRejected as rejected:
        form.slug.errors = [describe_problem(p, {}) for p in rejected.problems]
        return None


# -- the overview ------------------------------------------------------------------------


@requires(Permission.MANAGE_CAMPAIGNS)
def survey_builder(survey_id: int) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    data = survey.draft_definition
    problems = builder.publish_problems_of(survey)
    parsed, _parse_problems = parse_definition(data)
    languages = completeness(parsed) if parsed is not None else {}
    return render_template(
        "builder/survey_builder.html",
        survey=survey,
        data=data,
        lang=data["source_language"],
        problems=[describe_problem(p, data) for p in problems],
        languages=languages,
        unpublished=has_unpublished_changes(survey),
        responses=builder.response_count(db.session, survey),
        type_labels=question_type_labels(),
        role_labels=ROLE_LABELS,
        status_label=SURVEY_STATUS_LABELS.get(survey.status, survey.status),
        kind_label=SURVEY_KIND_LABELS.get(survey.kind, survey.kind),
        action_form=ActionForm(),
        describe_condition=describe_condition,
    )


@requires(Permission.MANAGE_CAMPAIGNS)
def survey_settings(survey_id: int) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    data = survey.draft_definition
    source = data["source_language"]
    form = SurveySettingsForm()
    choices = language_choices(_language_codes(survey.campaign, data))
    form.source_language.choices = choices
    form.languages.choices = choices
    slug_editable = builder.is_slug_editable(survey)
    if not form.is_submitted():
        form.title.data = data["title"].get(source, "")
        form.description.data = data.get("description", {}).get(source, "")
        form.slug.data = survey.slug
        form.source_language.data = source
        form.languages.data = list(data["languages"])
    general: list[str] = []
    if form.validate_on_submit():
        general = _save_settings(survey, form, slug_editable)
        if not general and not form.errors:
            flash(_("The survey's settings are saved."), "success")
            return back_to_builder(survey)
    status = 400 if (form.errors or general) else 200
    return render_template(
        "builder/survey_settings.html",
        survey=survey,
        form=form,
        general_errors=general,
        slug_editable=slug_editable,
    ), status


def _save_settings(survey: Survey, form: SurveySettingsForm, slug_editable: bool) -> list[str]:
    data = survey.draft_definition
    new_source = form.source_language.data
    languages = list(dict.fromkeys([new_source, *form.languages.data]))
    title = dict(data["title"])
    title[new_source] = form.title.data.strip()
    description = dict(data.get("description", {}))
    if form.description.data and form.description.data.strip():
        description[new_source] = form.description.data.strip()
    else:
        description.pop(new_source, None)
    new = update_settings(
        data,
        title=title,
        description=description or None,
        source_language=new_source,
        languages=languages,
    )
    new = restrict_languages(new, languages)
    try:
        builder.save_draft(survey, new)
        if slug_editable and form.slug.data != survey.slug:
            builder.rename_slug(db.session, survey, form.slug.data.strip())
    except builder.DraftRejected as rejected:
        return [describe_problem(p, new) for p in rejected.problems]
    return []


# -- publishing and closing ----------------------------------------------------------------


@requires(Permission.MANAGE_CAMPAIGNS)
def survey_publish(survey_id: int) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    form = ActionForm()
    plan = builder.plan_publish(db.session, survey)
    if form.validate_on_submit() and plan.can_publish:
        version = builder.publish(db.session, survey)
        if plan.creates_new_version:
            flash(
                _(
                    "Published as version %(number)d. Earlier responses keep the version "
                    "they answered.",
                    number=version.number,
                ),
                "success",
            )
        else:
            flash(_("The survey is published."), "success")
        return back_to_builder(survey)
    data = survey.draft_definition
    return render_template(
        "builder/survey_publish.html",
        survey=survey,
        plan=plan,
        problems=[describe_problem(p, data) for p in plan.problems],
        form=form,
    ), (200 if plan.can_publish else 400)


@requires(Permission.MANAGE_CAMPAIGNS)
def survey_close(survey_id: int) -> ResponseReturnValue:
    """Asks first: closing stops every resident in the middle of answering."""
    survey = get_survey_or_404(survey_id, for_user=current_user)
    form = ActionForm()
    if form.validate_on_submit():
        builder.close(survey)
        flash(_("The survey is closed: residents can no longer answer it."), "success")
        return back_to_builder(survey)
    if request.method == "POST":
        abort(400)
    return render_template(
        "builder/confirm.html",
        title=_("Close this survey?"),
        message=_(
            "Residents will no longer be able to answer it, including those who have "
            "started. You can open it again later."
        ),
        button=_("Close the survey"),
        form=form,
        cancel_url=url_for("builder.survey_builder", survey_id=survey.id),
    )


@requires(Permission.MANAGE_CAMPAIGNS)
def survey_reopen(survey_id: int) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    builder.reopen(survey)
    flash(_("The survey is open again."), "success")
    return back_to_builder(survey)


@requires(Permission.MANAGE_CAMPAIGNS)
def survey_delete(survey_id: int) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    if survey.versions:
        flash(_("A published survey cannot be deleted; close it instead."), "error")
        return back_to_builder(survey)
    form = ActionForm()
    if form.validate_on_submit():
        builder.delete_draft_survey(db.session, survey)
        flash(_("The survey is deleted."), "success")
        return redirect(url_for("campaigns.home"))
    return render_template(
        "builder/confirm.html",
        title=_("Delete this survey?"),
        message=_("The draft and all its questions will be gone."),
        button=_("Delete the survey"),
        form=form,
        cancel_url=url_for("builder.survey_builder", survey_id=survey.id),
    )


@requires(Permission.MANAGE_CAMPAIGNS)
def survey_export(survey_id: int, fmt: str) -> ResponseReturnValue:
    """The draft as Engage JSON or as an XLSForm workbook."""
    survey = get_survey_or_404(survey_id, for_user=current_user)
    try:
        definition = SurveyDefinition.from_dict(survey.draft_definition)
    except DefinitionError:
        flash(_("Add a question to every page before exporting the survey."), "error")
        return back_to_builder(survey)
    if fmt == "json":
        body: str | bytes = dump_definition(definition)
        mimetype = "application/json"
    elif fmt == "xlsx":
        body = export_xlsform(definition)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        abort(404)
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="{survey.slug}.{fmt}"'},
    )
