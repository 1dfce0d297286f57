"""Interviewer mode: choose a survey, the resident's language and the place, and go."""

from __future__ import annotations

import uuid
from typing import Any

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from wtforms.fields.choices import SelectChoice

from engage.extensions import db
from engage.i18n import use_page_language
from engage.interviews import offline
from engage.interviews import services as interviews
from engage.interviews.forms import StartInterviewForm
from engage.models import Survey
from engage.permissions import Permission, public, requires
from engage.resident.flow import SurveyContext, load_survey, resume_page_key, set_draft_cookie
from engage.resident.page_model import localized
from engage.responses.services import IdempotencyKeyReused, InvalidAnswers, definition_of
from engage.templating import language_name
from engage.web.guards import get_survey_or_404
from engage.web.messages import offline_interview_message
from engage.web.rate_limits import survey_answers

bp = Blueprint("interviews", __name__)
_ENTER = Permission.ENTER_RESPONSES


def _form(survey: Survey) -> StartInterviewForm:
    last = interviews.last_setting(survey)
    form = StartInterviewForm(
        prefix=f"s{survey.id}",
        language=last.language if last else None,
        place=last.place if last else "",
    )
    form.language.choices = [
        SelectChoice(c, language_name(c)) for c in interviews.languages_of(survey)
    ]
    return form


@bp.get("/interviews")
@requires(_ENTER)
def interview_home() -> ResponseReturnValue:
    surveys = interviews.open_surveys(db.session, current_user)
    return render_template("interviews/home.html", rows=[(s, _form(s)) for s in surveys])


@bp.post("/interviews/<int:survey_id>/start")
@requires(_ENTER)
def interview_start(survey_id: int) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user, permission=_ENTER)
    if survey not in interviews.open_surveys(db.session, current_user):
        return render_template("interviews/home.html", rows=[], closed=survey), 409
    form = _form(survey)
    if not form.validate_on_submit():
        surveys = interviews.open_surveys(db.session, current_user)
        rows = [(s, form if s.id == survey.id else _form(s)) for s in surveys]
        return render_template("interviews/home.html", rows=rows), 400
    new = interviews.start_interview(
        db.session,
        survey,
        interviewer=current_user,
        language=form.language.data,
        place=form.place.data or "",
    )
    ctx = load_survey(survey.slug)
    key = resume_page_key(ctx, new.draft)
    new.draft.page_key = key
    response = redirect(
        url_for("resident.page", slug=survey.slug, key=key, lang=new.draft.language), 303
    )
    set_draft_cookie(response, ctx, new.token)
    return response


# -- interviews taken down without a connection ------------------------------------------


def _survey_taking_answers(survey_id: int) -> Survey | None:
    """The survey (404 outside the user's campaigns), or None if it takes no answers."""
    survey = get_survey_or_404(survey_id, for_user=current_user, permission=_ENTER)
    return survey if survey in interviews.open_surveys(db.session, current_user) else None


def _offline_page(ctx: SurveyContext, values: Any = None, errors=(), status=200):  # type: ignore[no-untyped-def]
    last = interviews.last_setting(ctx.survey)
    return render_template(
        "interviews/offline.html",
        ctx=ctx,
        title=localized(ctx.definition.title, ctx.language, ctx.definition),
        pages=offline.offline_pages(ctx.definition, ctx.language, values or {}, errors),
        key=request.form.get("interview:key") or str(uuid.uuid4()),
        place=request.form.get("interview:place", last.place if last else ""),
        has_errors=bool(errors),
    ), status


@bp.route("/interviews/<int:survey_id>/offline", methods=["GET", "POST"])
@survey_answers(methods=["POST"])
@requires(_ENTER)
def interview_offline(survey_id: int) -> ResponseReturnValue:
    """The whole survey on one page: the script keeps each interview on the phone until
    it can be sent; without the script, each one is sent when it is saved."""
    survey = _survey_taking_answers(survey_id)
    if survey is None:
        return render_template("interviews/home.html", rows=[], closed=True), 409
    ctx = load_survey(survey.slug)
    if request.method == "GET":
        return _offline_page(ctx)
    return _store_from_form(ctx)


def _store_from_form(ctx: SurveyContext) -> ResponseReturnValue:
    """Without the script: store the interview now (post/redirect/get), or show errors."""
    form = request.form.to_dict(flat=False)
    payload = {
        "language": ctx.language,
        "place": request.form.get("interview:place"),
        "fields": form,
    }
    try:
        interview = offline.read_queued_interview(
            payload, request.form.get("interview:key"), ctx.definition
        )
        offline.store_interview(db.session, ctx.survey, interview, interviewer=current_user)
    except InvalidAnswers as error:
        return _offline_page(ctx, form, error.errors, status=400)
    except (offline.RefusedInterview, IdempotencyKeyReused) as error:
        code = getattr(error, "code", "key_reused")
        flash(offline_interview_message(code), "error")
        return _offline_page(ctx, form, status=400)
    interviews.remember_setting(ctx.survey, ctx.language, interview.place or "")
    flash(_("The interview is saved. You can start the next one."), "success")
    return redirect(
        url_for("interviews.interview_offline", survey_id=ctx.survey.id, lang=ctx.language), 303
    )


_REFUSED_STATUS = {"unknown_language": 422, "other_interviewer": 409}


def _problem(status: int, code: str, **extra: Any) -> ResponseReturnValue:
    title = offline_interview_message(code)
    return jsonify({"error": {"status": status, "code": code, "title": title, **extra}}), status


@bp.get("/interviews/<int:survey_id>/sync")
@requires(_ENTER)
def interview_sync_token(survey_id: int) -> ResponseReturnValue:
    """A fresh CSRF token for the page's script (the session may have been renewed)."""
    get_survey_or_404(survey_id, for_user=current_user, permission=_ENTER)
    response = jsonify({"csrf_token": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/interviews/<int:survey_id>/sync")
@survey_answers()
@requires(_ENTER)
def interview_sync(survey_id: int) -> ResponseReturnValue:
    """Store one interview from the phone's queue: 201 stored, 200 stored before."""
    survey = _survey_taking_answers(survey_id)
    if survey is None:
        return _problem(409, "survey_closed")
    definition = definition_of(survey.current_version)
    try:
        interview = offline.read_queued_interview(
            request.get_json(silent=True), request.headers.get("Idempotency-Key"), definition
        )
        use_page_language(interview.language)  # its messages, in the form's language
        stored = offline.store_interview(db.session, survey, interview, interviewer=current_user)
    except offline.RefusedInterview as refused:
        return _problem(_REFUSED_STATUS.get(refused.code, 400), refused.code)
    except IdempotencyKeyReused:
        return _problem(409, "key_reused")
    except InvalidAnswers as error:
        shown = offline.refused_answers(definition, interview.language, error.errors)
        return _problem(422, "invalid_answers", errors=shown)
    return jsonify({"id": stored.response_id, "created": stored.created}), (
        201 if stored.created else 200
    )


@bp.get("/interviews/offline-worker.js")
@public
def offline_worker() -> ResponseReturnValue:
    """The service worker that reopens the offline page without a connection. Served
    from here, not /static, so that its scope covers the interview pages; it holds no
    data (the same file for everyone)."""
    response = send_from_directory(
        f"{current_app.static_folder}/js", "offline-worker.js", mimetype="text/javascript"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response
