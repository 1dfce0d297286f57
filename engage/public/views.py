"""Pages for residents that are not a survey: the front page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue

from engage.extensions import db
from engage.permissions import public
from engage.services.campaigns import list_open_surveys

bp = Blueprint("public", __name__)


@bp.get("/")
@public
def index() -> ResponseReturnValue:
    return render_template("public/index.html", surveys=list_open_surveys(db.session))
