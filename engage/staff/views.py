"""The staff home page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from engage.extensions import db
from engage.permissions import Permission, requires
from engage.services.campaigns import list_campaign_summaries

bp = Blueprint("staff", __name__)


@bp.get("/")
@requires(Permission.USE_STAFF_AREA)
def home() -> ResponseReturnValue:
    return render_template("staff/home.html", campaigns=list_campaign_summaries(db.session))


from engage.staff import invites as _invites  # noqa: E402,F401  (registers its routes on bp)
from engage.staff import themes as _themes  # noqa: E402,F401  (registers its routes on bp)
