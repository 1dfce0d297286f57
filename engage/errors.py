"""Translated error pages (and JSON errors under ``/api/``), never a stack trace."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from engage.extensions import db

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


def _wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def render_error(status: int, title: str | None = None, detail: str | None = None) -> Response:
    default_title, default_detail = ERROR_TEXTS.get(status, ERROR_TEXTS[500])
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
    response.status_code = status
    return response


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


def handle_database_unavailable(error: Exception) -> Response:
    log.error("database unavailable: %s", error)
    discard_session()
    response = render_error(503)
    response.headers["Retry-After"] = "30"
    return response


def handle_unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    log.exception("unhandled error on %s %s", request.method, request.path)
    discard_session()
    return render_error(InternalServerError.code)


def discard_session() -> None:
    """Roll back the request's session after a failure, even if the database is gone."""
    try:
        db.session.rollback()
    except Exception:  # the connection itself may be gone
        log.debug("rollback after error failed", exc_info=True)


def init_errors(app: Flask) -> None:
    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(OperationalError, handle_database_unavailable)
    app.register_error_handler(ServiceUnavailable, handle_http_exception)
    app.register_error_handler(DBAPIError, handle_unexpected)
    app.register_error_handler(Exception, handle_unexpected)
