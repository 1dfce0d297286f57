"""Sprint pages: the list, the board (to do / doing / done), review and retrospective."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from engage.backlog import exports, pages, services, sprints
from engage.backlog.forms import DecisionForm, ReviewForm, SprintForm, SprintItemForm
from engage.backlog.guards import REVIEW, get_backlog_campaign_or_404, get_sprint_or_404
from engage.backlog.opportunity_views import download
from engage.extensions import db
from engage.models import Campaign, IllegalTransition, Sprint
from engage.permissions import requires
from engage.web.forms import ActionForm
from engage.web.messages import backlog_error_message


def _list_page(campaign: Campaign, form: SprintForm, status: int = 200) -> ResponseReturnValue:
    found = sprints.list_sprints(db.session, campaign)
    return render_template(
        "backlog/sprints.html", campaign=campaign, sprints=found, form=form
    ), status


@requires(REVIEW)
def sprint_list(campaign_id: int) -> ResponseReturnValue:
    campaign = get_backlog_campaign_or_404(
        campaign_id, for_user=current_user, edit=request.method == "POST"
    )
    form = SprintForm()
    if request.method != "POST":
        return _list_page(campaign, form)
    if not form.validate_on_submit():
        return _list_page(campaign, form, 400)
    try:
        found = sprints.create_sprint(
            db.session, campaign, name=form.name.data, goal=form.goal.data or "",
            starts_on=form.starts_on.data, ends_on=form.ends_on.data, by=current_user,
        )  # fmt: skip
    except services.BacklogError as error:
        form.ends_on.errors = [backlog_error_message(error.code)]
        return _list_page(campaign, form, 400)
    flash(_("The sprint is planned: commit opportunities to it."), "success")
    return redirect(url_for("backlog.sprint_board", sprint_id=found.id), 303)


def _board(sprint: Sprint, error: str | None = None, **forms: object) -> ResponseReturnValue:
    page = pages.sprint_page(db.session, sprint)
    item_form = forms.get("item_form") or SprintItemForm(formdata=None)
    item_form.opportunity.choices = [SelectChoice(str(o.id), o.title) for o in page["candidates"]]
    item_form.owner.choices = [SelectChoice(str(u.id), u.name) for u in page["people"]]
    return render_template(
        "backlog/sprint.html", error=error, item_form=item_form, action_form=ActionForm(),
        decision_form=forms.get("decision_form") or DecisionForm(formdata=None), **page,
    ), (400 if error else 200)  # fmt: skip


@requires(REVIEW)
def sprint_board(sprint_id: int) -> ResponseReturnValue:
    return _board(get_sprint_or_404(sprint_id, for_user=current_user))


def _int(name: str) -> int | None:
    raw = request.form.get(name, "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 2**31 else None


@requires(REVIEW)
def sprint_item_add(sprint_id: int) -> ResponseReturnValue:
    sprint = get_sprint_or_404(sprint_id, for_user=current_user, edit=True)
    if not ActionForm().validate_on_submit():
        return _board(sprint, backlog_error_message("unknown_opportunity"))
    try:
        sprints.add_item(
            db.session, sprint, opportunity_id=_int("opportunity"), owner_id=_int("owner"),
            by=current_user,
        )  # fmt: skip
    except (services.BacklogError, IllegalTransition) as error:
        return _board(sprint, backlog_error_message(error.code))
    flash(_("The opportunity is committed to the sprint."), "success")
    return redirect(url_for("backlog.sprint_board", sprint_id=sprint.id), 303)


@requires(REVIEW)
def sprint_item_move(sprint_id: int, sprint_item_id: int) -> ResponseReturnValue:
    sprint = get_sprint_or_404(sprint_id, for_user=current_user, edit=True)
    item = sprints.get_item(sprint, sprint_item_id)
    if item is None:
        return _board(sprint, backlog_error_message("unknown_opportunity"))
    if not ActionForm().validate_on_submit():
        return _board(sprint, backlog_error_message("unknown_state"))
    try:
        sprints.move_item(db.session, sprint, item, request.form.get("state", ""), by=current_user)
    except (services.BacklogError, IllegalTransition) as error:
        return _board(sprint, backlog_error_message(error.code))
    return redirect(
        url_for("backlog.sprint_board", sprint_id=sprint.id, _anchor=f"card-{item.id}"), 303
    )


@requires(REVIEW)
def sprint_state(sprint_id: int) -> ResponseReturnValue:
    sprint = get_sprint_or_404(sprint_id, for_user=current_user, edit=True)
    if not ActionForm().validate_on_submit():
        return _board(sprint, backlog_error_message("unknown_state"))
    try:
        sprints.change_sprint_state(
            db.session, sprint, request.form.get("action", ""), by=current_user
        )
    except (services.BacklogError, IllegalTransition) as error:
        return _board(sprint, backlog_error_message(error.code))
    flash(_("The decision is in the log."), "success")
    return redirect(url_for("backlog.sprint_board", sprint_id=sprint.id), 303)


@requires(REVIEW)
def sprint_decision(sprint_id: int) -> ResponseReturnValue:
    sprint = get_sprint_or_404(sprint_id, for_user=current_user, edit=True)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _board(sprint, backlog_error_message("reason_required"), decision_form=form)
    sprints.record_sprint_decision(db.session, sprint, form.text.data, by=current_user)
    flash(_("The decision is in the log."), "success")
    return redirect(url_for("backlog.sprint_board", sprint_id=sprint.id, _anchor="decisions"), 303)


@requires(REVIEW)
def sprint_review(sprint_id: int) -> ResponseReturnValue:
    sprint = get_sprint_or_404(sprint_id, for_user=current_user, edit=True)
    form = ReviewForm(obj=sprint)
    if request.method == "POST" and form.validate_on_submit():
        try:
            sprints.save_review(db.session, sprint, form.data, by=current_user)
        except services.BacklogError as error:
            form.form_errors.append(backlog_error_message(error.code))
        else:
            flash(_("The review and retrospective are saved."), "success")
            return redirect(url_for("backlog.sprint_board", sprint_id=sprint.id), 303)
    status = 400 if form.errors or form.form_errors else 200
    campaign = db.session.get(Campaign, sprint.campaign_id)
    return render_template(
        "backlog/review.html", campaign=campaign, sprint=sprint, form=form
    ), status


@requires(REVIEW)
def sprint_export(sprint_id: int, fmt: str) -> ResponseReturnValue:
    sprint = get_sprint_or_404(sprint_id, for_user=current_user)
    return download(exports.sprint_table(sprint), fmt)
