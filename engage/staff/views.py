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


# Each module registers its routes on bp.
from engage.staff import campaigns as _campaigns  # noqa: E402,F401
from engage.staff import invites as _invites  # noqa: E402,F401
from engage.staff import preview as _preview  # noqa: E402,F401
from engage.staff import questions as _questions  # noqa: E402,F401
from engage.staff import survey_pages as _survey_pages  # noqa: E402,F401
from engage.staff import surveys as _surveys  # noqa: E402,F401
from engage.staff import theme_links as _theme_links  # noqa: E402,F401
from engage.staff import themes as _themes  # noqa: E402,F401
from engage.staff import translations as _translations  # noqa: E402,F401
