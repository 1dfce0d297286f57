"""Flask-Login wiring: how a session finds its user, and where anonymous visitors go.

A session keeps ``User.get_id()``, ``"<user id>:<session generation>"``: bumping an
account's generation (sign out everywhere, a new password, another role, deactivation)
makes every session holding the old one anonymous at its next request.

"Keep me signed in" is not Flask-Login's remember cookie (the user id, signed, the same
at every sign-in and valid for a year whatever happens): it is our own cookie holding a
revocable token (see :mod:`engage.accounts.remember`), read by a request loader when
the session has no user, which then starts a session for the device.
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, Request, Response, current_app, g, request, session
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user, session_protected
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from engage.accounts import remember
from engage.extensions import db, login_manager
from engage.models import RememberToken, User
from engage.orm import utcnow

log = logging.getLogger(__name__)

REMEMBER_COOKIE = "engage_remember"
# Flask-Login's own remember cookie, which Engage no longer sets: removed where found.
LEGACY_REMEMBER_COOKIE = "remember_token"
SESSION_ID_KEY = "engage_session_id"
SESSION_TOKEN_KEY = "engage_remember_id"


def load_user(session_id: str) -> User | None:
    """The active user whose current session generation ``session_id`` names."""
    user_id, _, generation = session_id.partition(":")
    if not (user_id.isdigit() and generation.isdigit()):
        return None  # a session from before generations, or a forged one
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_active_account:
        return None
    return user if user.session_generation == int(generation) else None


def load_remembered_user(req: Request) -> User | None:
    """A device that chose "keep me signed in" and has no session: start one."""
    value = req.cookies.get(REMEMBER_COOKIE)
    if not value:
        return None
    token = remember.get_remembered_token(db.session, value)
    if token is None:
        g.engage_forget_device = True
        return None
    start_session(token.user, fresh=False)
    session[SESSION_TOKEN_KEY] = token.id
    g.engage_remembered_token = token.id
    return token.user


def _note_remembered_use(error: BaseException | None) -> None:
    """Note when a remembered device came back, after the request's unit of work.

    Restoring a session may happen on a GET, which must not write through the request's
    session: this small bookkeeping write has its own short transaction, once the
    request's session has let go of the database (SQLite would otherwise be locked).
    """
    token_id = g.pop("engage_remembered_token", None)
    if token_id is None:
        return
    db.session.close()
    try:
        with Session(bind=db.engine) as bookkeeping, bookkeeping.begin():
            bookkeeping.execute(
                sa.update(RememberToken)
                .where(RememberToken.id == token_id)
                .values(last_used_at=utcnow())
            )
    except SQLAlchemyError:
        log.warning("could not note the use of remember-me token %s", token_id, exc_info=True)


def _clear_session() -> None:
    """Empty the session, and the CSRF token Flask-WTF cached from it for this request."""
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def start_session(user: User, *, fresh: bool = True) -> None:
    """Sign ``user`` in with a new session: nothing from before (CSRF token) carries over."""
    _clear_session()
    session[SESSION_ID_KEY] = secrets.token_urlsafe(16)
    login_user(user, remember=False, fresh=fresh)


def end_session() -> None:
    """Sign out of this session and forget everything it held."""
    logout_user()
    _clear_session()


def remember_device(response: Response, value: str) -> None:
    """Give the browser the remember-me cookie ``value``."""
    config = current_app.config
    response.set_cookie(
        REMEMBER_COOKIE,
        value,
        max_age=int(remember_lifetime().total_seconds()),
        secure=config["REMEMBER_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


def forget_device(response: Response) -> None:
    response.delete_cookie(
        REMEMBER_COOKIE,
        secure=current_app.config["REMEMBER_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )


def remember_lifetime() -> timedelta:
    return timedelta(days=current_app.config["REMEMBER_ME_DAYS"])


def remembered_cookie() -> str | None:
    """This device's remember-me cookie, if it has one."""
    return request.cookies.get(REMEMBER_COOKIE)


def _drop_stale_cookies(response: Response) -> Response:
    if g.pop("engage_start_afresh", False):
        _clear_session()
    if g.pop("engage_forget_device", False):
        forget_device(response)
    if LEGACY_REMEMBER_COOKIE in request.cookies:
        response.delete_cookie(LEGACY_REMEMBER_COOKIE)
    return response


def _start_afresh(sender: Flask, **extra: object) -> None:
    """A signed-in session used from another address or browser ends entirely.

    Flask-Login ("strong" protection) has just dropped its user; the rest of the session
    goes too, at the end of this request, so the next request starts clean: a remembered
    device that changed networks comes back through its token, and a copied session
    cookie carries nothing.
    """
    if SESSION_ID_KEY in session:
        g.engage_start_afresh = True


def init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    login_manager.request_loader(load_remembered_user)
    app.after_request(_drop_stale_cookies)
    app.teardown_request(_note_remembered_use)
    session_protected.connect(_start_afresh)  # once per process: blinker keeps one
