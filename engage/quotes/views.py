"""The quote explorer: search a campaign's feedback, in residents' own (masked) words."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_login import current_user

from engage.extensions import db
from engage.permissions import Permission, requires
from engage.quotes import page
from engage.web.guards import get_campaign_or_404

bp = Blueprint("quotes", __name__)


@bp.get("/campaigns/<int:campaign_id>/quotes")
@requires(Permission.REVIEW_FEEDBACK)
def quote_explorer(campaign_id: int) -> ResponseReturnValue:
    campaign = get_campaign_or_404(
        campaign_id, for_user=current_user, permission=Permission.REVIEW_FEEDBACK
    )
    found = page.build_page(
        db.session,
        campaign,
        request.args,
        lang=str(get_locale()),
        default_threshold=current_app.config["SUPPRESSION_THRESHOLD"],
    )
    return render_template("quotes/quotes.html", **found.context()), found.status
