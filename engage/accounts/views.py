"""Sign in, sign out, accept an invitation, choose a new password."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from engage.accounts import services as users
from engage.accounts.forms import LoginForm, ResetPasswordForm, SignupForm
from engage.extensions import db, limiter
from engage.models import AccountToken
from engage.permissions import public
from engage.web.messages import account_error_message

bp = Blueprint("accounts", __name__)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _safe_next(target: str | None) -> str | None:
    """Only a path on this site: never an open redirect to somebody else's."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("campaigns.home"))
    form = LoginForm()
    if form.validate_on_submit():
        user = users.authenticate(db.session, form.email.data or "", form.password.data or "")
        if user is not None:
            login_user(user, remember=form.remember.data)
            return redirect(_safe_next(request.args.get("next")) or url_for("campaigns.home"))
        form.form_errors.append(_("The email address or password is not right."))
        status = 401
    else:
        status = 400 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@public
def logout() -> ResponseReturnValue:
    logout_user()
    flash(_("You have signed out."), "success")
    return redirect(url_for("accounts.login"))


@bp.route("/signup/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def signup(token: str) -> ResponseReturnValue:
    try:
        invitation = users.get_usable_token(db.session, token, AccountToken.KIND_INVITE)
    except users.AccountError as error:
        return render_template(
            "accounts/link_invalid.html", message=account_error_message(error.code)
        ), 404
    form = SignupForm()
    if form.validate_on_submit():
        try:
            user = users.accept_invitation(
                db.session,
                token=token,
                name=form.name.data or "",
                password=form.password.data or "",
            )
        except users.AccountError as error:
            form.form_errors.append(account_error_message(error.code))
        else:
            logout_user()
            login_user(user)
            flash(_("Welcome to Engage, %(name)s.", name=user.name), "success")
            return redirect(url_for("campaigns.home"))
    status = 400 if form.errors else 200
    return render_template("accounts/signup.html", form=form, invitation=invitation), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def reset(token: str) -> ResponseReturnValue:
    try:
        record = users.get_usable_token(db.session, token, AccountToken.KIND_RESET)
    except users.AccountError as error:
        return render_template(
            "accounts/link_invalid.html", message=account_error_message(error.code)
        ), 404
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            users.reset_password(db.session, token=token, password=form.password.data or "")
        except users.AccountError as error:
            form.form_errors.append(account_error_message(error.code))
        else:
            logout_user()
            flash(_("Your new password is set. Please sign in with it."), "success")
            return redirect(url_for("accounts.login"))
    status = 400 if form.errors else 200
    return render_template("accounts/reset.html", form=form, email=record.email), status
