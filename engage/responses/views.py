"""The campaign's responses for staff: the filtered list, one response, setting aside."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engage.campaigns.waves import wave_name, wave_of, waves_of
from engage.extensions import db
from engage.models import IllegalTransition, Response
from engage.permissions import Permission, requires
from engage.responses import review
from engage.responses.forms import CHANNEL_LABELS, EXCLUSION_LABELS, ExcludeForm
from engage.responses.listing import filter_form, filters_of
from engage.responses.services import definition_of
from engage.web.forms import ActionForm
from engage.web.guards import get_campaign_or_404, get_response_or_404
from engage.web.messages import transition_error_message
from engage.web.pagination import paginate

bp = Blueprint("responses", __name__)


@bp.get("/campaigns/<int:campaign_id>/responses")
@requires(Permission.MANAGE_CAMPAIGNS)
def response_list(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user)
    form = filter_form(db.session, campaign, request.args)
    valid = form.validate()
    filters = filters_of(form)
    partial = filters.status == "partial"
    query = review.drafts_query if partial else review.responses_query
    return render_template(
        "responses/response_list.html",
        campaign=campaign,
        form=form,
        partial=partial,
        pagination=paginate(query(campaign, filters)),
        args={k: v for k, v in request.args.items() if k != "page" and v},
        channel_labels=CHANNEL_LABELS,
    ), (200 if valid else 400)


@bp.get("/responses/<int:response_id>")
@requires(Permission.MANAGE_CAMPAIGNS)
def response_detail(response_id: int) -> ResponseReturnValue:
    response = get_response_or_404(response_id, for_user=current_user)
    return _detail(response, ExcludeForm())


def _detail(response: Response, form: ExcludeForm, status: int = 200) -> ResponseReturnValue:
    answers = {a.question_code: a.value for a in response.answers}
    survey, definition = response.version.survey, definition_of(response.version)
    waves = waves_of(survey)
    return render_template(
        "responses/response_detail.html",
        response=response,
        survey=survey,
        wave=wave_name(wave_of(waves, response.submitted_at)) if len(waves) > 1 else None,
        answers=review.readable_answers(definition, answers, str(get_locale())),
        calculated=review.calculated_values(definition, answers),
        exclude_form=form,
        action_form=ActionForm(),
        channel_labels=CHANNEL_LABELS,
        exclusion_labels=EXCLUSION_LABELS,
    ), status


@bp.post("/responses/<int:response_id>/exclude")
@requires(Permission.MANAGE_CAMPAIGNS)
def response_exclude(response_id: int) -> ResponseReturnValue:
    response = get_response_or_404(response_id, for_user=current_user)
    form = ExcludeForm()
    if not form.validate_on_submit():
        return _detail(response, form, 400)
    try:
        review.exclude_response(
            db.session, response, form.reason.data, form.note.data or "", actor=current_user
        )
    except IllegalTransition as error:
        flash(transition_error_message(error.code), "error")
    else:
        flash(_("The response is set aside: it no longer counts in any result."), "success")
    return redirect(url_for("responses.response_detail", response_id=response.id), 303)


@bp.post("/responses/<int:response_id>/restore")
@requires(Permission.MANAGE_CAMPAIGNS)
def response_restore(response_id: int) -> ResponseReturnValue:
    response = get_response_or_404(response_id, for_user=current_user)
    if ActionForm().validate_on_submit():
        try:
            review.restore_response(db.session, response, actor=current_user)
        except IllegalTransition as error:
            flash(transition_error_message(error.code), "error")
        else:
            flash(_("The response counts in the results again."), "success")
    return redirect(url_for("responses.response_detail", response_id=response.id), 303)
