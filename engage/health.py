"""``GET /healthz``: is the application up, and can it reach its database?"""

from __future__ import annotations

import logging

import sqlalchemy as sa
from flask import Blueprint, Response, jsonify

from engage.errors import discard_session
from engage.extensions import db, limiter
from engage.permissions import public

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
@public
def healthz() -> tuple[Response, int]:
    try:
        db.session.execute(sa.text("SELECT 1"))
    except Exception as error:  # any failure to reach the database means "not ready"
        log.warning("health check: database unavailable: %s", error)
        discard_session()
        return jsonify({"status": "unavailable", "database": "unavailable"}), 503
    return jsonify({"status": "ok", "database": "ok"}), 200
