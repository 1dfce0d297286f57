"""Tracked links on the staff pages: list and add them, their QR codes, their flyers."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engage.extensions import db
from engage.i18n import use_page_language
from engage.models import Survey, TrackedLink
from engage.outreach import services as outreach
from engage.outreach.forms import LinkForm
from engage.permissions import Permission, requires
from engage.responses.services import definition_of
from engage.web.forms import ActionForm
from engage.web.guards import get_survey_or_404
from engage.web.messages import outreach_error_message
from surveys.i18n import text_direction

bp = Blueprint("outreach", __name__)
_LINKS = "/surveys/<int:survey_id>/links"


def _public_url(survey: Survey, link: TrackedLink) -> str:
    return url_for("resident.intro", slug=survey.slug, source=link.tag, _external=True)


def _link_or_404(survey_id: int, link_id: int) -> tuple[Survey, TrackedLink]:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    link = outreach.get_link(db.session, survey, link_id)
    if link is None:
        abort(404)
    return survey, link


@bp.route(_LINKS, methods=["GET", "POST"])
@requires(Permission.MANAGE_CAMPAIGNS)
def links(survey_id: int) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    form = LinkForm()
    if form.validate_on_submit():
        try:
            outreach.create_link(db.session, survey, form.label.data, form.tag.data or "")
        except outreach.OutreachError as error:
            form.tag.errors.append(outreach_error_message(error.code))
        else:
            flash(_("The link is ready: print its flyer or download its QR code."), "success")
            return redirect(url_for("outreach.links", survey_id=survey.id), 303)
    version = survey.current_version
    return render_template(
        "outreach/links.html",
        survey=survey,
        form=form,
        rows=outreach.link_rows(db.session, survey),
        public_url=lambda link: _public_url(survey, link),
        languages=definition_of(version).languages if version else (),
        action_form=ActionForm(),
    ), (400 if form.errors else 200)


@bp.get(f"{_LINKS}/<int:link_id>/qr.<fmt>")
@requires(Permission.MANAGE_CAMPAIGNS)
def link_qr(survey_id: int, link_id: int, fmt: str) -> ResponseReturnValue:
    survey, link = _link_or_404(survey_id, link_id)
    url = _public_url(survey, link)
    if fmt == "svg":
        body, mimetype = outreach.qr_svg(url).encode(), "image/svg+xml"
    elif fmt == "png":
        body, mimetype = outreach.qr_png(url), "image/png"
    else:
        abort(404)
    filename = f"{survey.slug}-{link.tag}.{fmt}"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'inline; filename="{filename}"'}
    )


@bp.get(f"{_LINKS}/<int:link_id>/flyer/<lang>")
@requires(Permission.MANAGE_CAMPAIGNS)
def link_flyer(survey_id: int, link_id: int, lang: str) -> ResponseReturnValue:
    survey, link = _link_or_404(survey_id, link_id)
    version = survey.current_version
    definition = definition_of(version) if version is not None else None
    if definition is None or lang not in definition.languages:
        abort(404)
    use_page_language(lang)
    url = _public_url(survey, link)
    return render_template(
        "outreach/flyer.html",
        survey=survey,
        definition=definition,
        lang=lang,
        direction=text_direction(lang),
        ui_lang=str(get_locale()),
        url=url,
        qr=outreach.qr_svg(url, scale=8),
    )


@bp.post(f"{_LINKS}/<int:link_id>/delete")
@requires(Permission.MANAGE_CAMPAIGNS)
def link_delete(survey_id: int, link_id: int) -> ResponseReturnValue:
    survey, link = _link_or_404(survey_id, link_id)
    if ActionForm().validate_on_submit():
        outreach.delete_link(db.session, link)
        flash(
            _("The link is removed. Responses that came through it keep their source."), "success"
        )
    return redirect(url_for("outreach.links", survey_id=survey.id), 303)
