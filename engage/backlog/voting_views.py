"""Dot-voting pages: open a round, place one's dots, close the round."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from engage.backlog import pages, services, voting
from engage.backlog.forms import RoundForm
from engage.backlog.guards import REVIEW, get_backlog_campaign_or_404, get_round_or_404
from engage.extensions import db
from engage.models import Campaign, IllegalTransition, VoteRound
from engage.permissions import requires
from engage.web.forms import ActionForm
from engage.web.messages import backlog_error_message


def _rounds_page(campaign: Campaign, form: RoundForm, status: int = 200) -> ResponseReturnValue:
    rounds = voting.list_rounds(db.session, campaign)
    return render_template(
        "backlog/rounds.html", campaign=campaign, rounds=rounds, form=form
    ), status


@requires(REVIEW)
def rounds(campaign_id: int) -> ResponseReturnValue:
    campaign = get_backlog_campaign_or_404(
        campaign_id, for_user=current_user, edit=request.method == "POST"
    )
    form = RoundForm()
    if request.method != "POST":
        return _rounds_page(campaign, form)
    if not form.validate_on_submit():
        return _rounds_page(campaign, form, 400)
    try:
        found = voting.open_round(
            db.session, campaign, title=form.title.data, dots=form.dots.data, by=current_user
        )
    except services.BacklogError as error:
        form.form_errors.append(backlog_error_message(error.code))
        return _rounds_page(campaign, form, 400)
    flash(_("The round is open: everyone can place their dots."), "success")
    return redirect(url_for("backlog.round_vote", vote_round_id=found.id), 303)


def _read_dots(round_: VoteRound) -> dict[int, int] | None:
    """``dots-<opportunity id>`` fields as numbers; None when one is not a whole number."""
    dots: dict[int, int] = {}
    for name, value in request.form.items():
        if not name.startswith("dots-"):
            continue
        key, raw = name.removeprefix("dots-"), value.strip() or "0"
        if not (key.isdigit() and raw.isdigit() and len(key) < 11 and len(raw) < 4):
            return None
        dots[int(key)] = int(raw)
    return dots


def _round_page(round_: VoteRound, error: str | None = None) -> ResponseReturnValue:
    page = pages.round_page(db.session, round_, current_user)
    return render_template("backlog/round.html", error=error, action_form=ActionForm(), **page), (
        400 if error else 200
    )


@requires(REVIEW)
def round_vote(vote_round_id: int) -> ResponseReturnValue:
    round_ = get_round_or_404(vote_round_id, for_user=current_user, edit=request.method == "POST")
    if request.method != "POST":
        return _round_page(round_)
    dots = _read_dots(round_)
    if not ActionForm().validate_on_submit() or dots is None:
        return _round_page(round_, backlog_error_message("dots_invalid"))
    try:
        placed = voting.cast_votes(db.session, round_, current_user, dots)
    except services.BacklogError as error:
        return _round_page(round_, backlog_error_message(error.code))
    flash(ngettext("You placed %(num)d dot.", "You placed %(num)d dots.", placed), "success")
    return redirect(url_for("backlog.round_vote", vote_round_id=round_.id), 303)


@requires(REVIEW)
def round_close(vote_round_id: int) -> ResponseReturnValue:
    round_ = get_round_or_404(vote_round_id, for_user=current_user, edit=True)
    if not ActionForm().validate_on_submit():
        return _round_page(round_, backlog_error_message("round_closed"))
    try:
        voting.close_round(db.session, round_, by=current_user)
    except IllegalTransition as error:
        return _round_page(round_, backlog_error_message(error.code))
    flash(_("The round is closed: here are the results."), "success")
    return redirect(url_for("backlog.round_vote", vote_round_id=round_.id), 303)
