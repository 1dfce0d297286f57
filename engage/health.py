"""``GET /healthz``: is the application up, and can it reach its database (and Redis, when
it is configured: the job queue and the shared rate limits live there)?"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, Response, current_app, jsonify

from engage.errors import discard_session
from engage.extensions import db, limiter
from engage.permissions import public

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
@public
def healthz() -> tuple[Response, int]:
    checks = {"database": _database()}
    if current_app.config.get("REDIS_URL"):
        checks["redis"] = _redis(current_app.config["REDIS_URL"])
    ready = all(state == "ok" for state in checks.values())
    return jsonify({"status": "ok" if ready else "unavailable", **checks}), 200 if ready else 503


def _database() -> str:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception as error:  # any failure to reach the database means "not ready"
        log.warning("health check: database unavailable: %s", error)
        discard_session()
        return "unavailable"
    return "ok"


def _redis(url: str) -> str:
    from redis import Redis
    from redis.exceptions import RedisError

    try:
        with Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2) as client:
            client.ping()
    except (RedisError, OSError) as error:
        log.warning("health check: redis unavailable: %s", error)
        return "unavailable"
    return "ok"
