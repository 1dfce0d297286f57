"""The campaign scorecard: one printable page, and its CSV export."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.extensions import db
from engage.permissions import Permission, requires
from engage.scorecard.services import build_scorecard, scorecard_csv
from engage.web.guards import get_campaign_or_404

bp = Blueprint("scorecard", __name__)
REVIEW = Permission.REVIEW_FEEDBACK


def _card(campaign_id: int):  # type: ignore[no-untyped-def]
    campaign = get_campaign_or_404(campaign_id, for_user=current_user, permission=REVIEW)
    threshold = campaign.threshold(current_app.config["SUPPRESSION_THRESHOLD"])
    return campaign, build_scorecard(db.session, campaign, threshold=threshold), threshold


@bp.get("/campaigns/<int:campaign_id>/scorecard")
@requires(REVIEW)
def scorecard(campaign_id: int) -> ResponseReturnValue:
    campaign, card, threshold = _card(campaign_id)
    return render_template(
        "scorecard/scorecard.html", campaign=campaign, card=card, threshold=threshold
    )


@bp.get("/campaigns/<int:campaign_id>/scorecard.csv")
@requires(REVIEW)
def scorecard_export(campaign_id: int) -> ResponseReturnValue:
    campaign, card, _threshold = _card(campaign_id)
    labels = {
        "measure": _("Measure"), "value": _("Value"), "out_of": _("Out of"),
        "residents_heard": _("Residents heard"), "themes_reviewed": _("Themes reviewed"),
        "opportunities_decided": _("Opportunities decided"), "not_now": _("Decided not now"),
        "sprints_completed": _("Sprints completed"), "rounds_held": _("Co-design rounds held"),
        "round_residents": _("Residents who took part in co-design rounds"),
        "days_to_report_back": _("Days from listening to reporting back"),
        "gap": _("Representativeness gap"), "wave": _("Residents heard in wave"),
    }  # fmt: skip
    return Response(
        scorecard_csv(card, labels),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="scorecard-{campaign.slug}.csv"'},
    )
