"""Translated error pages (and JSON errors under ``/api/``), never a stack trace.

A database that cannot be reached — at any point of a request: the view, the commit, the
user loader, a template, a hook — is answered 503 with ``Retry-After``: nothing was
stored, and the client may safely try again. Any other unexpected error is a 500 without
details. The page itself must not need the database: while it is down the visitor is
shown the page as an anonymous one, and if even the template fails a plain page is sent.
"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Flask, Response, current_app, g, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from markupsafe import escape
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from engage.extensions import db
from engage.logs import USER_ID_KEY

log = logging.getLogger(__name__)

ERROR_TEXTS = {
    400: (
        _l("The request could not be understood"),
        _l("Something in what was sent did not make sense to us. Please go back and try again."),
    ),
    403: (
        _l("You do not have access to this page"),
        _l("Your account does not allow this. Ask an administrator if you think it should."),
    ),
    404: (
        _l("Page not found"),
        _l("If you typed the web address, check it is correct. The page may also have moved."),
    ),
    405: (
        _l("That action is not possible here"),
        _l("This page cannot be used that way. Please go back and try again."),
    ),
    413: (
        _l("What you sent is too large"),
        _l("Please send a smaller file or a shorter text."),
    ),
    429: (
        _l("Too many attempts"),
        _l("Please wait a minute before trying again."),
    ),
    500: (
        _l("Sorry, something went wrong on our side"),
        _l("Nothing you entered has been lost. Please try again in a moment."),
    ),
    503: (
        _l("The service is temporarily unavailable"),
        _l("Nothing you entered has been lost. Please try again in a few minutes."),
    ),
}

# ``error.code`` of the JSON errors not raised by a view with a code of its own.
ERROR_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}

CSRF_TEXT = (
    _l("This form has expired"),
    _l(
        "For your security the form could not be accepted. Please go back, reload the page and send it again."  # noqa: E501
    ),
)


RETRY_AFTER_SECONDS = 30

# What the database driver raises when the server is gone, restarting, or out of
# connections (``OperationalError``), when a connection it had is closed
# (``InterfaceError``), and when the pool waited too long for a free connection.
_UNAVAILABLE = (OperationalError, InterfaceError, DisconnectionError, PoolTimeout)


def is_database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` (or what it was raised from) means the database cannot be reached."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, _UNAVAILABLE):
            return True
        if isinstance(error, DBAPIError) and error.connection_invalidated:
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def wants_json(path: str, accept: str = "") -> bool:
    """API paths (and clients that ask only for JSON) get JSON errors."""
    return path.startswith("/api/") or accept.strip().startswith("application/json")


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def render_error(status: int, title: str | None = None, detail: str | None = None) -> Response:
    default_title, default_detail = ERROR_TEXTS.get(status, ERROR_TEXTS[500])
    try:
        title = str(title or default_title)
        detail = str(detail or default_detail)
        if _wants_json():
            code = ERROR_CODES.get(status, "error")
            error = {"status": status, "code": code, "title": title, "detail": detail}
            response = jsonify({"error": error})
        else:
            response = Response(
                render_template("errors/error.html", status=status, title=title, detail=detail),
                mimetype="text/html",
            )
    except Exception:  # the page itself failed (the database, a catalog): send a plain one
        log.exception("could not render the %s page", status)
        discard_session()
        response = plain_error_response(status, _wants_json())
    response.status_code = status
    return response


PLAIN_TEXTS = {
    500: ("Sorry, something went wrong on our side", "Please try again in a moment."),
    503: (
        "The service is temporarily unavailable",
        "Nothing you entered has been lost. Please try again in a few minutes.",
    ),
}


def plain_error_body(status: int, as_json: bool) -> tuple[str, str]:
    """A page that needs nothing (no template, no catalog): its body and content type."""
    title, detail = PLAIN_TEXTS.get(status, PLAIN_TEXTS[500])
    if as_json:
        import json

        body = json.dumps({"error": {"status": status, "title": title, "detail": detail}})
        return body, "application/json"
    page = (
        '<!doctype html>\n<html lang="en" dir="ltr"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title></head><body><main><h1>{escape(title)}</h1>"
        f"<p>{escape(detail)}</p><p>Error code: {status}</p></main></body></html>\n"
    )
    return page, "text/html; charset=utf-8"


def plain_error_response(status: int, as_json: bool) -> Response:
    body, content_type = plain_error_body(status, as_json)
    return Response(body, status=status, content_type=content_type)


def handle_http_exception(error: HTTPException) -> Response:
    if error.response is not None:
        # ``abort(response)``: the view already rendered the page to show.
        return error.response  # type: ignore[return-value]
    status = error.code or 500
    response = render_error(status)
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    if status == 503 or status == 429:
        response.headers.setdefault("Retry-After", "60")
    return response


def handle_csrf_error(error: CSRFError) -> Response:
    title, detail = CSRF_TEXT
    return render_error(400, str(title), str(detail))


def handle_database_unavailable(error: BaseException) -> Response:
    log.error("database unavailable: %s", str(error).splitlines()[0] if str(error) else error)
    _show_as_anonymous()
    discard_session()
    response = render_error(503)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _show_as_anonymous() -> None:
    """Render the error page as to a visitor: the signed-in user needs the database.

    (Loading the user, or reading an attribute the rollback expired, would query it.) The
    request log still gets the user's id, read from the identity map without a query.
    """
    user = g.get("_login_user")
    if user is not None and not isinstance(user, AnonymousUserMixin):
        identity = sa.inspect(user).identity
        if identity:
            request.environ[USER_ID_KEY] = identity[0]
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]


def handle_unexpected(error: Exception) -> Response:
    if isinstance(error, InternalServerError) and error.original_exception is not None:
        # Flask's last handler: an error from an after-request hook or an error handler.
        error = error.original_exception  # type: ignore[assignment]
    if is_database_unavailable(error):
        return handle_database_unavailable(error)
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled error on %s %s", request.method, request.path, exc_info=error)
    discard_session()
    return render_error(InternalServerError.code)


def discard_session() -> None:
    """Roll back the request's session after a failure, even if the database is gone.

    Never raises: when the rollback itself fails (the connection was killed), the
    session is closed and its connection thrown away, so that the pool replaces it.
    """
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone
        log.debug("rollback after error failed", exc_info=True)
        release_session()


def release_session() -> None:
    """End the request's session without ever raising (the end-of-request cleanup)."""
    session = db.session
    try:
        session.remove()
    except Exception:
        log.warning("closing the database session failed; its connection is discarded")
        try:
            session().invalidate()
        except Exception:
            log.debug("invalidating the session failed", exc_info=True)
        session.registry.clear()


def init_errors(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(ServiceUnavailable, handle_http_exception)
    app.register_error_handler(InternalServerError, handle_unexpected)
    app.register_error_handler(DBAPIError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)

    @app.teardown_appcontext
    def end_session(error: BaseException | None) -> None:
        # Registered after Flask-SQLAlchemy's own teardown, so it runs first and leaves
        # that one nothing to do: Flask-SQLAlchemy's raises when the rollback fails.
        release_session()
