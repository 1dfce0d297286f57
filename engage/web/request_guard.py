"""The outermost layer of every request: its id, its log line, and a last line of defence.

:class:`RequestGuard` wraps the Flask application's WSGI callable. It gives each request
an id (a well-formed ``X-Request-ID`` from the proxy is kept, otherwise a new one) that
the response echoes, and logs one line per request on ``engage.requests``: method, path
(tokens in it replaced, no query string), status, duration, remote address, user id and
request id. Nothing a resident wrote, no token and no e-mail address goes in that line.

Flask's own error handlers answer every fault they can see (see :mod:`engage.errors`).
What escapes Flask — an exception from the end-of-request cleanup, or from an error
handler itself — would reach the server, which answers with its bare "Internal Server
Error". The guard answers instead: 503 with ``Retry-After`` when the database is the
cause, 500 otherwise, as JSON under ``/api/`` and a plain page elsewhere, with the
security headers. When Flask would propagate the exception (testing, debugging), so
does the guard.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Response, g, request

from engage.errors import (
    RETRY_AFTER_SECONDS,
    is_database_unavailable,
    plain_error_body,
    wants_json,
)
from engage.logs import REQUEST_ID_KEY, USER_ID_KEY
from engage.security import SECURITY_HEADERS, STRICT_TRANSPORT_SECURITY

log = logging.getLogger("engage.requests")

LOG_PATH_KEY = "engage.log_path"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:@/+=-]{1,128}")
# A URL segment that looks like a secret (a token in a link) when Flask could not say.
_TOKEN_LIKE = re.compile(r"[A-Za-z0-9_-]{20,}")

StartResponse = Callable[..., Callable[[bytes], object]]


def request_id_from(header: str | None) -> str:
    """The proxy's request id if it is well-formed, otherwise a new one."""
    if header and _REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestGuard:
    """WSGI middleware around a Flask application (``app.wsgi_app = RequestGuard(app)``)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wsgi_app = app.wsgi_app

    def _propagates(self) -> bool:
        propagate = self.app.config.get("PROPAGATE_EXCEPTIONS")
        if propagate is None:
            return bool(self.app.testing or self.app.debug)
        return bool(propagate)

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        started = time.perf_counter()
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID"))
        environ[REQUEST_ID_KEY] = request_id
        pending: dict[str, Any] = {}
        writer: list[Callable[[bytes], object]] = []

        def send_headers() -> Callable[[bytes], object]:
            if not writer:
                headers = list(pending["headers"])
                if not any(name.lower() == "x-request-id" for name, _ in headers):
                    headers.append(("X-Request-ID", request_id))
                writer.append(start_response(pending["status"], headers))
            return writer[0]

        def deferred_start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            if exc_info is not None and writer:
                raise exc_info[1].with_traceback(exc_info[2])
            pending["status"], pending["headers"] = status, headers

            def write(data: bytes) -> object:  # the legacy write(): headers go first
                return send_headers()(data)

            return write

        try:
            app_iter = self.wsgi_app(environ, deferred_start_response)
        except Exception as error:
            if writer or self._propagates():
                raise
            status, headers, body = self._fallback(environ, error)
            pending["status"], pending["headers"] = status, headers
            send_headers()
            self._log(environ, status, started, request_id)
            return [body]
        if "status" in pending:
            send_headers()
            self._log(environ, pending["status"], started, request_id)
        return app_iter

    def _fallback(
        self, environ: dict[str, Any], error: Exception
    ) -> tuple[str, list[tuple[str, str]], bytes]:
        unavailable = is_database_unavailable(error)
        if unavailable:
            log.error("database unavailable (after the response was made): %s", error)
        else:
            log.error("unhandled error outside the application", exc_info=error)
        status = 503 if unavailable else 500
        as_json = wants_json(environ.get("PATH_INFO", ""), environ.get("HTTP_ACCEPT", ""))
        text, content_type = plain_error_body(status, as_json)
        body = text.encode("utf-8")
        headers = [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
            *SECURITY_HEADERS.items(),
        ]
        if self.app.config.get("SESSION_COOKIE_SECURE"):
            headers.append(("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY))
        if unavailable:
            headers.append(("Retry-After", str(RETRY_AFTER_SECONDS)))
        reason = "Service Unavailable" if unavailable else "Internal Server Error"
        return f"{status} {reason}", headers, body

    def _log(self, environ: dict[str, Any], status: str, started: float, request_id: str) -> None:
        if not log.isEnabledFor(logging.INFO):
            return
        path = environ.get(LOG_PATH_KEY)
        if path is None:
            raw = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
            path = _TOKEN_LIKE.sub("[redacted]", raw)
        fields = {
            "method": environ.get("REQUEST_METHOD"),
            "path": path,
            "status": int(status.split(" ", 1)[0]),
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "remote_addr": environ.get("REMOTE_ADDR"),
            "user_id": environ.get(USER_ID_KEY),
            "request_id": request_id,
        }
        log.info("request", extra={"http": fields})


def _note_path() -> None:
    """The path to log: the value of any ``…token…`` URL part is replaced."""
    path = request.path
    for name, value in (request.view_args or {}).items():
        if "token" in name and value:
            path = path.replace(str(value), "[redacted]")
    request.environ[LOG_PATH_KEY] = path


def _note_user(response: Response) -> Response:
    # Only a user the request already loaded: logging must not query the database.
    user = g.get("_login_user")
    if user is not None and getattr(user, "is_authenticated", False):
        request.environ[USER_ID_KEY] = getattr(user, "id", None)
    return response


def init_request_guard(app: Flask) -> None:
    """Wrap ``app``'s WSGI callable; call it before the other request hooks are added."""
    app.before_request(_note_path)
    app.after_request(_note_user)
    app.wsgi_app = RequestGuard(app)  # type: ignore[method-assign]
