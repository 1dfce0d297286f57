"""User administration: invite, reset a password, change a role, deactivate."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.accounts import services as users
from engage.admin.forms import InviteForm, RoleForm, role_choices
from engage.extensions import db
from engage.permissions import Permission, requires
from engage.web.forms import ActionForm
from engage.web.guards import get_user_or_404
from engage.web.messages import account_error_message

bp = Blueprint("admin", __name__)


@bp.get("/users")
@requires(Permission.MANAGE_USERS)
def user_list() -> ResponseReturnValue:
    return render_template(
        "admin/users.html",
        users=users.list_users(db.session),
        role_labels=dict(role_choices()),
        role_form=RoleForm(),
        action_form=ActionForm(),
    )


@bp.route("/users/invite", methods=["GET", "POST"])
@requires(Permission.MANAGE_USERS)
def invite() -> ResponseReturnValue:
    form = InviteForm()
    if form.validate_on_submit():
        max_age = timedelta(days=current_app.config["INVITATION_MAX_AGE_DAYS"])
        try:
            token = users.invite_user(
                db.session,
                email=form.email.data or "",
                role=form.role.data or "member",
                created_by=current_user,
                max_age=max_age,
            )
        except users.AccountError as error:
            form.email.errors = [*form.email.errors, account_error_message(error.code)]
        else:
            return render_template(
                "admin/link_created.html",
                heading=_("Invitation created"),
                email=form.email.data,
                link=url_for("accounts.signup", token=token, _external=True),
                days=max_age.days,
            )
    status = 400 if form.errors else 200
    return render_template("admin/invite.html", form=form), status


@bp.post("/users/<int:user_id>/role")
@requires(Permission.MANAGE_USERS)
def change_role(user_id: int) -> ResponseReturnValue:
    user = get_user_or_404(user_id, for_user=current_user)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the roles."), "error")
        return redirect(url_for("admin.user_list"))
    try:
        users.change_role(db.session, user=user, role=form.role.data or "", actor=current_user)
    except users.AccountError as error:
        flash(account_error_message(error.code), "error")
    else:
        flash(
            _(
                "%(name)s's role is now %(role)s.",
                name=user.name,
                role=dict(role_choices())[user.role],
            ),
            "success",
        )
    return redirect(url_for("admin.user_list"))


@bp.post("/users/<int:user_id>/deactivate")
@requires(Permission.MANAGE_USERS)
def deactivate(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, active=False)


@bp.post("/users/<int:user_id>/reactivate")
@requires(Permission.MANAGE_USERS)
def reactivate(user_id: int) -> ResponseReturnValue:
    return _set_active(user_id, active=True)


def _set_active(user_id: int, *, active: bool) -> ResponseReturnValue:
    user = get_user_or_404(user_id, for_user=current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        users.set_active(db.session, user=user, active=active, actor=current_user)
    except users.AccountError as error:
        flash(account_error_message(error.code), "error")
    else:
        if active:
            flash(_("%(name)s can sign in again.", name=user.name), "success")
        else:
            flash(_("%(name)s can no longer sign in.", name=user.name), "success")
    return redirect(url_for("admin.user_list"))


@bp.post("/users/<int:user_id>/sign-out-everywhere")
@requires(Permission.MANAGE_USERS)
def sign_out_everywhere(user_id: int) -> ResponseReturnValue:
    user = get_user_or_404(user_id, for_user=current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    users.sign_out_everywhere(db.session, user=user, actor=current_user)
    flash(_("%(name)s is signed out on every device.", name=user.name), "success")
    return redirect(url_for("admin.user_list"))


@bp.post("/users/<int:user_id>/reset-link")
@requires(Permission.MANAGE_USERS)
def reset_link(user_id: int) -> ResponseReturnValue:
    user = get_user_or_404(user_id, for_user=current_user)
    if not ActionForm().validate_on_submit():
        abort(400)
    token = users.create_reset_link(db.session, user=user, created_by=current_user)
    return render_template(
        "admin/link_created.html",
        heading=_("Password reset link created"),
        email=user.email,
        link=url_for("accounts.reset", token=token, _external=True),
        days=users.RESET_MAX_AGE.days,
    )
