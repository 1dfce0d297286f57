"""The campaign scorecard and the partnership's (every campaign the user may see): one
printable page each, and their CSV exports."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from engage.extensions import db
from engage.models import Campaign
from engage.permissions import Permission, requires
from engage.scorecard.services import (
    build_partnership_scorecard,
    build_scorecard,
    partnership_csv,
    scorecard_csv,
)
from engage.web.guards import get_campaign_or_404

bp = Blueprint("scorecard", __name__)
REVIEW = Permission.REVIEW_FEEDBACK


def _threshold(campaign: Campaign) -> int:
    return campaign.threshold(current_app.config["SUPPRESSION_THRESHOLD"])


def _card(campaign_id: int):  # type: ignore[no-untyped-def]
    campaign = get_campaign_or_404(campaign_id, for_user=current_user, permission=REVIEW)
    threshold = _threshold(campaign)
    return campaign, build_scorecard(db.session, campaign, threshold=threshold), threshold


def _labels() -> dict[str, str]:
    """The CSV exports' headings, in the user's language."""
    return {
        "measure": _("Measure"), "value": _("Value"), "out_of": _("Out of"),
        "residents_heard": _("Residents heard"), "themes_reviewed": _("Themes reviewed"),
        "opportunities_decided": _("Opportunities decided"), "not_now": _("Decided not now"),
        "sprints_completed": _("Sprints completed"), "rounds_held": _("Co-design rounds held"),
        "round_residents": _("Residents who took part in co-design rounds"),
        "days_to_report_back": _("Days from listening to reporting back"),
        "gap": _("Representativeness gap"), "wave": _("Residents heard in wave"),
        "campaign": _("Campaign"), "themes": _("Themes on the board"),
        "opportunities": _("Opportunities"), "sprints": _("Sprints"),
        "gap_size": _("Share heard less the share of the community"),
        "all_campaigns": _("All campaigns"),
    }  # fmt: skip


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


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
    return _csv(scorecard_csv(card, _labels()), f"scorecard-{campaign.slug}")


@bp.get("/scorecard")
@requires(REVIEW)
def partnership() -> ResponseReturnValue:
    found = build_partnership_scorecard(db.session, current_user, threshold_of=_threshold)
    return render_template("scorecard/partnership.html", partnership=found)


@bp.get("/scorecard.csv")
@requires(REVIEW)
def partnership_export() -> ResponseReturnValue:
    found = build_partnership_scorecard(db.session, current_user, threshold_of=_threshold)
    return _csv(partnership_csv(found, _labels()), "scorecard-partnership")
