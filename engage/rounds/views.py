"""Co-design rounds on the staff pages, and their prototypes' pictures for residents.

Residents answer a round on the ordinary survey pages (``/s/<slug>``). The blueprint has
no address prefix because one route is public (the pictures a round's page shows); every
staff route spells out its ``/staff`` prefix.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engage.backlog.sprints import list_sprints
from engage.campaigns.services import can_see_campaign
from engage.dashboard.labels import LABELS
from engage.extensions import db
from engage.models import Campaign, CodesignRound, IllegalTransition, Prototype
from engage.orm import utcnow
from engage.permissions import Permission, public, requires, user_can
from engage.rounds import services as rounds
from engage.rounds.forms import prototype_form, round_form
from engage.rounds.results import build_results
from engage.web.forms import ActionForm
from engage.web.guards import (
    get_campaign_or_404,
    get_prototype_or_404,
    get_round_or_404,
)
from engage.web.messages import transition_error_message
from engage.web.routing import MAX_ID

bp = Blueprint("rounds", __name__)
_MANAGE = Permission.MANAGE_CAMPAIGNS
_REVIEW = Permission.REVIEW_FEEDBACK


@bp.get("/staff/campaigns/<int:campaign_id>/rounds")
@requires(_REVIEW)
def round_list(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user, permission=_REVIEW)
    found = rounds.list_rounds(db.session, campaign)
    return render_template("rounds/round_list.html", campaign=campaign, rounds=found)


@bp.route("/staff/campaigns/<int:campaign_id>/rounds/new", methods=["GET", "POST"])
@requires(_MANAGE)
def round_new(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(campaign_id, for_user=current_user)
    return _edit_round(campaign, None)


@bp.route("/staff/rounds/<int:round_id>", methods=["GET", "POST"])
@requires(_MANAGE)
def round_edit(round_id: int) -> ResponseReturnValue:
    found = get_round_or_404(round_id, for_user=current_user)
    return _edit_round(found.campaign, found)


def _edit_round(campaign: Campaign, found: CodesignRound | None) -> ResponseReturnValue:
    form = round_form(campaign, found, list_sprints(db.session, campaign))
    if form.validate_on_submit():
        fields = rounds.RoundFields(
            title=form.texts("title"),
            description=form.texts("description"),
            opens_on=form.opens_on.data,
            closes_on=form.closes_on.data,
            has_ranking=form.has_ranking.data,
            sprint_id=int(form.sprint.data) if form.sprint.data else None,
        )
        if found is None:
            found = rounds.create_round(db.session, campaign, fields)
        else:
            rounds.update_round(db.session, found, fields)
        flash(_("The round is saved."), "success")
        return redirect(url_for("rounds.round_edit", round_id=found.id), 303)
    return render_template(
        "rounds/round_edit.html", campaign=campaign, found=found, form=form, action=ActionForm()
    ), (400 if form.errors else 200)


@bp.route("/staff/rounds/<int:round_id>/prototypes/new", methods=["GET", "POST"])
@requires(_MANAGE)
def prototype_new(round_id: int) -> ResponseReturnValue:
    found = get_round_or_404(round_id, for_user=current_user)
    return _edit_prototype(found, None)


@bp.route("/staff/rounds/<int:round_id>/prototypes/<int:prototype_id>", methods=["GET", "POST"])
@requires(_MANAGE)
def prototype_edit(round_id: int, prototype_id: int) -> ResponseReturnValue:
    found, prototype = get_prototype_or_404(round_id, prototype_id, for_user=current_user)
    return _edit_prototype(found, prototype)


def _edit_prototype(found: CodesignRound, prototype: Prototype | None) -> ResponseReturnValue:
    earlier = rounds.earlier_prototypes(db.session, found)
    form = prototype_form(found.campaign, prototype, earlier, str(get_locale()))
    if form.validate_on_submit():
        fields = rounds.PrototypeFields(
            title=form.texts("title"),
            description=form.texts("description"),
            previous_id=form.previous_id(),
            image=form.cleaned,
            remove_image=form.remove_image.data,
        )
        rounds.save_prototype(db.session, found, prototype, fields)
        flash(_("The prototype is saved."), "success")
        return redirect(url_for("rounds.round_edit", round_id=found.id), 303)
    return render_template(
        "rounds/prototype_edit.html", found=found, prototype=prototype, form=form
    ), (400 if form.errors else 200)


@bp.post("/staff/rounds/<int:round_id>/prototypes/<int:prototype_id>/remove")
@requires(_MANAGE)
def prototype_remove(round_id: int, prototype_id: int) -> ResponseReturnValue:
    found, prototype = get_prototype_or_404(round_id, prototype_id, for_user=current_user)
    return _change(
        found,
        lambda: rounds.remove_prototype(db.session, found, prototype),
        _("The prototype is removed. Answers already given to it are kept."),
    )


@bp.post("/staff/rounds/<int:round_id>/open")
@requires(_MANAGE)
def round_open(round_id: int) -> ResponseReturnValue:
    found = get_round_or_404(round_id, for_user=current_user)
    return _change(
        found,
        lambda: rounds.open_round(db.session, found, utcnow().date(), actor=current_user),
        _("The round is open: residents can answer it."),
    )


@bp.post("/staff/rounds/<int:round_id>/close")
@requires(_MANAGE)
def round_close(round_id: int) -> ResponseReturnValue:
    found = get_round_or_404(round_id, for_user=current_user)
    return _change(
        found,
        lambda: rounds.close_round(db.session, found),
        _("The round is closed: residents can no longer answer it."),
    )


def _change(found: CodesignRound, change: Callable[[], None], done: str) -> ResponseReturnValue:
    """A state change posted from the round's page: done and said, or refused and why."""
    if ActionForm().validate_on_submit():
        try:
            change()
        except IllegalTransition as refused:
            flash(transition_error_message(refused.code), "error")
        else:
            flash(done, "success")
    return redirect(url_for("rounds.round_edit", round_id=found.id), 303)


@bp.get("/staff/rounds/<int:round_id>/results")
@requires(_REVIEW)
def round_results(round_id: int) -> ResponseReturnValue:
    found = get_round_or_404(round_id, for_user=current_user, permission=_REVIEW)
    threshold = found.campaign.threshold(current_app.config["SUPPRESSION_THRESHOLD"])
    results = build_results(db.session, found, threshold=threshold)
    return render_template(
        "rounds/round_results.html",
        found=found,
        campaign=found.campaign,
        results=results,
        board=results.board,
        threshold=threshold,
        lang=str(get_locale()),
        **LABELS,
    )


@bp.get("/rounds/images/<int:image_id>")
@public
def prototype_image(image_id: int) -> ResponseReturnValue:
    """A prototype's picture: to anyone once its round's page is public, else to staff
    who can see its campaign (previews)."""
    if not 0 < image_id <= MAX_ID:
        abort(404)
    staff = user_can(current_user, Permission.USE_STAFF_AREA)
    found = rounds.get_visible_image(
        db.session,
        image_id,
        staff_can_see=lambda campaign_id: (
            staff and can_see_campaign(db.session, current_user, campaign_id)
        ),
    )
    if found is None:
        abort(404)
    image, is_public = found
    response = current_app.response_class(image.data, mimetype=image.media_type)
    # Its address changes with the picture, so a public one is cached for good; a draft's
    # stays in the staff member's own browser only.
    cache = "public, max-age=31536000, immutable" if is_public else "private, no-store"
    response.headers["Cache-Control"] = cache
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
