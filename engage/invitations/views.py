"""Invitations to a panel survey: make it invite-only, create personal links, see usage.

Only the hashes of the tokens are stored, so the new links are shown once, in the
response to the POST that created them, with a CSV of them as a ``data:`` link: nothing
is kept that could show them again.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from engage.extensions import db
from engage.i18n import current_language
from engage.invitations import services as invites
from engage.invitations.forms import CreateInvitesForm, InviteOnlyForm
from engage.models import Survey
from engage.permissions import Permission, requires
from engage.web.guards import get_survey_or_404
from engage.web.pagination import paginate
from surveys import text_for

bp = Blueprint("invitations", __name__)


def _survey_title(survey: Survey) -> str:
    definition = survey.draft_definition or {}
    title, _lang = text_for(
        definition.get("title") or {},
        current_language().code,
        definition.get("source_language") or (),
    )
    return title or survey.slug


def _new_links(survey: Survey, created: list[invites.NewInvite]) -> list[tuple[str, str]]:
    return [
        (
            url_for("resident.invite", slug=survey.slug, token=new.token, _external=True),
            new.invite.label,
        )
        for new in created
    ]


@bp.route("/surveys/<int:survey_id>/invites", methods=["GET", "POST"])
@requires(Permission.MANAGE_CAMPAIGNS)
def survey_invites(survey_id: int) -> ResponseReturnValue:
    survey = get_survey_or_404(survey_id, for_user=current_user)
    create_form = CreateInvitesForm()
    links: list[tuple[str, str]] = []
    action = request.form.get("action") if request.method == "POST" else None
    if action == "invite_only":
        return _set_invite_only(survey, InviteOnlyForm())
    if action not in (None, "create"):
        abort(400)
    if action == "create" and create_form.validate_on_submit():
        created = invites.create_invites(
            db.session, survey, count=create_form.invite_count(), labels=create_form.label_list()
        )
        links = _new_links(survey, created)
        create_form = CreateInvitesForm(formdata=None)
    status = 400 if create_form.errors else 200
    return render_template(
        "invitations/survey_invites.html",
        create_form=create_form,
        has_errors=status == 400,
        **_invites_page(survey, links),
    ), status


def _set_invite_only(survey: Survey, form: InviteOnlyForm) -> ResponseReturnValue:
    if not form.validate_on_submit():
        abort(400)
    invite_only = form.invite_only.data == "yes"
    invites.set_invite_only(db.session, survey, invite_only)
    if invite_only:
        flash(_("Only residents with an invitation can answer this survey now."), "success")
    else:
        flash(_("Anyone with the survey's address can answer it now."), "success")
    return redirect(url_for("invitations.survey_invites", survey_id=survey.id))


def _invites_page(survey: Survey, links: list[tuple[str, str]]) -> dict:  # type: ignore[type-arg]
    """The page's view of the survey's invitations, and the links just made (shown once)."""
    csv_href = (
        "data:text/csv;charset=utf-8," + quote(invites.invite_links_csv(links)) if links else None
    )
    return {
        "survey": survey,
        "survey_title": _survey_title(survey),
        "new_links": links,
        "csv_href": csv_href,
        "csv_name": f"invitations-{survey.slug}.csv",
        "counts": invites.count_invites(db.session, survey),
        "invitations": paginate(invites.invites_query(survey)),
        "format_date": format_date,
    }
