"""Log lines the operators read: one JSON object a line (``LOG_FORMAT=json``) or text.

The application logs through the ``logging`` module under the ``engage`` logger. When
nothing else configured a handler for it (gunicorn does not; a test run does),
:func:`init_logging` sends it to standard error in the configured format. Each request
is one line from ``engage.requests`` (see :mod:`engage.web.request_guard`), with the
request id that every other line logged during that request carries too.

Never put what residents wrote, tokens or e-mail addresses in a log line.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

LOG_FORMATS = ("json", "text")
REQUEST_ID_KEY = "engage.request_id"  # in the WSGI environ
USER_ID_KEY = "engage.user_id"  # in the WSGI environ: the signed-in user, for the log
_HANDLER_NAME = "engage"


def _request_id() -> str | None:
    from flask import has_request_context, request

    if has_request_context():
        return request.environ.get(REQUEST_ID_KEY)
    return None


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    fields: dict[str, Any] = dict(getattr(record, "http", None) or {})
    if "request_id" not in fields:
        request_id = _request_id()
        if request_id:
            fields["request_id"] = request_id
    return fields


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, then the request's fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            **_fields(record),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """``time level logger: message key=value …`` for reading in a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        fields = _fields(record)
        if not fields:
            return text
        extra = " ".join(f"{key}={value}" for key, value in fields.items() if value is not None)
        head, newline, rest = text.partition("\n")  # a traceback stays below the line
        return f"{head} {extra}{newline}{rest}"


def make_formatter(log_format: str) -> logging.Formatter:
    return JsonFormatter() if log_format == "json" else TextFormatter()


def init_logging(log_format: str) -> None:
    """Send the ``engage`` logger to standard error unless a handler is already there."""
    logger = logging.getLogger("engage")
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    ours = [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]
    for handler in ours:  # a second app in the process may ask for another format
        handler.setFormatter(make_formatter(log_format))
    if ours or logger.hasHandlers():
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(make_formatter(log_format))
    logger.addHandler(handler)
