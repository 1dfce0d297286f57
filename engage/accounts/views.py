"""Sign in, sign out, accept an invitation, choose a new password."""

from __future__ import annotations

import math
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from engage.accounts import remember
from engage.accounts import services as users
from engage.accounts.forms import LoginForm, ResetPasswordForm, SignupForm
from engage.accounts.loader import (
    end_session,
    forget_device,
    remember_device,
    remember_lifetime,
    remembered_cookie,
    start_session,
)
from engage.accounts.throttle import login_throttle
from engage.admin.forms import role_choices
from engage.errors import render_error
from engage.extensions import db, limiter
from engage.models import AccountToken, User
from engage.permissions import public, signed_in
from engage.web.forms import ActionForm
from engage.web.messages import account_error_message
from engage.web.unit_of_work import keep_changes

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


def _throttled(wait: int) -> Response:
    """429 before the password is looked at, saying when to try again."""
    minutes = max(1, math.ceil(wait / 60))
    detail = ngettext(
        "Too many failed sign-in attempts. Please try again in %(num)d minute.",
        "Too many failed sign-in attempts. Please try again in %(num)d minutes.",
        minutes,
    )
    response = render_error(429, detail=detail)
    response.headers["Retry-After"] = str(wait)
    return response


def _signed_in(user: User, *, remember_me: bool) -> Response:
    """A new session for ``user`` (and a new remember-me token if asked), then onwards."""
    start_session(user)
    response = redirect(_safe_next(request.args.get("next")) or url_for("campaigns.home"))
    if remember_me:
        value = remember.issue_remember_token(db.session, user=user, lifetime=remember_lifetime())
        remember_device(response, value)
    return response


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")) or url_for("campaigns.home"))
    form = LoginForm()
    if form.validate_on_submit():
        email, throttle = form.email.data or "", login_throttle()
        wait = throttle.retry_after(email, request.remote_addr)
        if wait:
            return _throttled(wait)
        user = users.authenticate(db.session, email, form.password.data or "")
        if user is not None:
            throttle.record_success(email)
            return _signed_in(user, remember_me=bool(form.remember.data))
        throttle.record_failure(email, request.remote_addr)
        keep_changes()  # the failed attempt stays in the audit log
        form.form_errors.append(_("The email address or password is not right."))
        status = 401
    else:
        status = 400 if form.errors else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@public
def logout() -> ResponseReturnValue:
    if current_user.is_authenticated:
        user = current_user._get_current_object()  # the audit log names its class
        users.sign_out(db.session, user=user, remembered=remembered_cookie())
    end_session()
    flash(_("You have signed out."), "success")
    response = redirect(url_for("accounts.login"))
    forget_device(response)
    return response


@bp.get("/account")
@signed_in
def account() -> ResponseReturnValue:
    return render_template(
        "accounts/account.html",
        role_label=dict(role_choices())[current_user.role],
        devices=remember.count_remembered_devices(db.session, current_user),
        form=ActionForm(),
    )


@bp.post("/account/sign-out-everywhere")
@signed_in
def sign_out_everywhere() -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        return render_error(400)
    user = current_user._get_current_object()  # the audit log names its class
    users.sign_out_everywhere(db.session, user=user, actor=user)
    end_session()
    flash(_("You have signed out on every device. Please sign in again."), "success")
    response = redirect(url_for("accounts.login"))
    forget_device(response)
    return response


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
            start_session(user)
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
            end_session()
            flash(_("Your new password is set. Please sign in with it."), "success")
            return redirect(url_for("accounts.login"))
    status = 400 if form.errors else 200
    return render_template("accounts/reset.html", form=form, email=record.email), status
