"""Workgroup administration: create and rename workgroups, add and remove members,
assign and unassign campaigns. Server-rendered forms; no JavaScript needed."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.admin.forms import role_choices
from engage.extensions import db
from engage.models import Workgroup
from engage.permissions import Permission, requires
from engage.web.forms import ActionForm
from engage.web.guards import get_campaign_or_404, get_user_or_404, get_workgroup_or_404
from engage.web.messages import workgroup_error_message
from engage.web.pagination import paginate
from engage.workgroups import services
from engage.workgroups.forms import AddMemberForm, AssignCampaignForm, WorkgroupForm

bp = Blueprint("workgroups", __name__)


@bp.get("/workgroups")
@requires(Permission.MANAGE_USERS)
def workgroup_list() -> ResponseReturnValue:
    pagination = paginate(services.list_workgroups())
    return render_template(
        "workgroups/list.html",
        pagination=pagination,
        workgroups=services.summarise(db.session, pagination.items),
    )


@bp.route("/workgroups/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def workgroup_new() -> ResponseReturnValue:
    form = WorkgroupForm()
    if form.validate_on_submit():
        try:
            workgroup = services.create_workgroup(
                db.session,
                name=form.name.data or "",
                description=form.description.data or "",
                actor=current_user,
            )
        except services.WorkgroupError as error:
            form.name.errors = [*form.name.errors, workgroup_error_message(error.code)]
        else:
            flash(_("The workgroup “%(name)s” is created.", name=workgroup.name), "success")
            return redirect(url_for("workgroups.workgroup_edit", workgroup_id=workgroup.id))
    return render_template("workgroups/new.html", form=form), 400 if form.errors else 200


def _page(workgroup: Workgroup, **forms: Any) -> ResponseReturnValue:
    """The workgroup's page: its details, members and campaigns, each with its form.

    A form given in ``forms`` was submitted with errors: it is shown with them, and the
    answer is 400.
    """
    edit = forms.get("edit") or WorkgroupForm(formdata=None, obj=workgroup)
    member = forms.get("member") or AddMemberForm(formdata=None)
    campaign = forms.get("campaign") or AssignCampaignForm(formdata=None)
    return render_template(
        "workgroups/workgroup.html",
        workgroup=workgroup,
        members=services.list_members(workgroup),
        campaigns=services.list_campaigns(workgroup),
        edit_form=edit,
        member_form=member.offer(services.list_member_candidates(db.session, workgroup)),
        campaign_form=campaign.offer(services.list_campaign_candidates(db.session, workgroup)),
        role_labels=dict(role_choices()),
        has_errors=bool(forms),
    ), (400 if forms else 200)


def _back(workgroup: Workgroup, anchor: str | None = None) -> ResponseReturnValue:
    return redirect(url_for("workgroups.workgroup_edit", workgroup_id=workgroup.id, _anchor=anchor))


@bp.route("/workgroups/<int:workgroup_id>", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def workgroup_edit(workgroup_id: int) -> ResponseReturnValue:
    workgroup = get_workgroup_or_404(workgroup_id, for_user=current_user)
    form = WorkgroupForm()
    if not form.is_submitted():
        return _page(workgroup)
    if form.validate():
        try:
            services.update_workgroup(
                db.session,
                workgroup,
                name=form.name.data or "",
                description=form.description.data or "",
                actor=current_user,
            )
        except services.WorkgroupError as error:
            form.name.errors = [*form.name.errors, workgroup_error_message(error.code)]
        else:
            flash(_("The workgroup is saved."), "success")
            return _back(workgroup)
    return _page(workgroup, edit=form)


@bp.post("/workgroups/<int:workgroup_id>/members")
@requires(Permission.MANAGE_USERS)
def add_member(workgroup_id: int) -> ResponseReturnValue:
    workgroup = get_workgroup_or_404(workgroup_id, for_user=current_user)
    form = AddMemberForm()
    if form.validate_on_submit():
        try:
            user = services.add_member(
                db.session, workgroup, user_id=form.user_id.data, actor=current_user
            )
        except services.WorkgroupError as error:
            form.user_id.errors = [workgroup_error_message(error.code, error.params)]
        else:
            flash(_("%(name)s is now a member.", name=user.name), "success")
            return _back(workgroup, "members")
    return _page(workgroup, member=form)


@bp.post("/workgroups/<int:workgroup_id>/members/<int:user_id>/remove")
@requires(Permission.MANAGE_USERS)
def remove_member(workgroup_id: int, user_id: int) -> ResponseReturnValue:
    workgroup = get_workgroup_or_404(workgroup_id, for_user=current_user)
    user = get_user_or_404(user_id, for_user=current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.remove_member(db.session, workgroup, user=user, actor=current_user)
    except services.WorkgroupError as error:
        flash(workgroup_error_message(error.code, error.params), "error")
    else:
        flash(_("%(name)s is no longer a member.", name=user.name), "success")
    return _back(workgroup, "members")


@bp.post("/workgroups/<int:workgroup_id>/campaigns")
@requires(Permission.MANAGE_USERS)
def assign_campaign(workgroup_id: int) -> ResponseReturnValue:
    workgroup = get_workgroup_or_404(workgroup_id, for_user=current_user)
    form = AssignCampaignForm()
    if form.validate_on_submit():
        try:
            campaign = services.assign_campaign(
                db.session, workgroup, campaign_id=form.campaign_id.data, actor=current_user
            )
        except services.WorkgroupError as error:
            form.campaign_id.errors = [workgroup_error_message(error.code, error.params)]
        else:
            flash(_("“%(title)s” is assigned to the workgroup.", title=campaign.title), "success")
            return _back(workgroup, "campaigns")
    return _page(workgroup, campaign=form)


@bp.post("/workgroups/<int:workgroup_id>/campaigns/<int:campaign_id>/remove")
@requires(Permission.MANAGE_USERS)
def unassign_campaign(workgroup_id: int, campaign_id: int) -> ResponseReturnValue:
    workgroup = get_workgroup_or_404(workgroup_id, for_user=current_user)
    campaign = get_campaign_or_404(
        campaign_id, for_user=current_user, permission=Permission.MANAGE_USERS
    )
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.unassign_campaign(db.session, workgroup, campaign=campaign, actor=current_user)
    except services.WorkgroupError as error:
        flash(workgroup_error_message(error.code, error.params), "error")
    else:
        flash(
            _("“%(title)s” is no longer assigned to the workgroup.", title=campaign.title),
            "success",
        )
    return _back(workgroup, "campaigns")
