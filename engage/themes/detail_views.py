"""A board theme in detail: size over time and across waves, who raised it, how they rate
the outcomes next to everyone, sentiment. Registered by ``engage.themes.views``."""

from __future__ import annotations

from flask import current_app, render_template
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engage.dashboard.charts import week_chart
from engage.dashboard.labels import LABELS
from engage.extensions import db
from engage.i18n import describe_language
from engage.permissions import Permission, requires
from engage.themes.detail import theme_detail as build_detail
from engage.web.guards import get_board_theme_or_404, get_campaign_or_404

REVIEW = Permission.REVIEW_FEEDBACK


@requires(REVIEW)
def theme_detail(campaign_id: int, board_theme_id: int) -> ResponseReturnValue:
    theme = get_board_theme_or_404(campaign_id, board_theme_id, for_user=current_user)
    campaign = get_campaign_or_404(campaign_id, for_user=current_user, permission=REVIEW)
    lang = str(get_locale())
    threshold = campaign.threshold(current_app.config["SUPPRESSION_THRESHOLD"])
    detail = build_detail(db.session, campaign, theme, threshold, lang)
    rtl = describe_language(lang).direction == "rtl"
    week = week_chart("theme-week", _("Answers per week"), detail.by_week, rtl=rtl)
    return render_template(
        "themes/theme.html", campaign=campaign, detail=detail, week=week, lang=lang, **LABELS
    )
