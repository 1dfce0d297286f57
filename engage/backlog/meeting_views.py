"""The meeting view: board, backlog and "not now" list in large type for a projector."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from engage.backlog import pages
from engage.backlog.guards import REVIEW, get_backlog_campaign_or_404
from engage.backlog.opportunity_views import threshold_of
from engage.extensions import db
from engage.permissions import requires


@requires(REVIEW)
def meeting(campaign_id: int) -> ResponseReturnValue:
    campaign = get_backlog_campaign_or_404(campaign_id, for_user=current_user)
    page = pages.meeting_page(db.session, campaign, threshold_of(campaign))
    return render_template("backlog/meeting.html", **page)
