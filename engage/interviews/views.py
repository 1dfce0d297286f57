"""Interviewer mode: choose a survey, the resident's language and the place, and go."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from engage.extensions import db
from engage.interviews import services as interviews
from engage.interviews.forms import StartInterviewForm
from engage.models import Survey
from engage.permissions import Permission, requires
from engage.resident.flow import load_survey, resume_page_key, set_draft_cookie
from engage.templating import language_name
from engage.web.guards import get_survey_or_404

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
