"""The history of runs and a theme in detail, in a real browser: a workgroup member on a
laptop, in English and Arabic, free of serious accessibility findings."""

from __future__ import annotations

import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe

from engage.exports.services import survey_by_slug
from engage.extensions import db
from engage.models import BoardTheme
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings
from engage.themes.runs import RunFilters
from tests.browser.signin import sign_in

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LAPTOP = {"width": 1280, "height": 800}


def _serious(page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def _analyse(live_app) -> tuple[int, int]:
    """The demo campaign analysed whole, then explored in Spanish only (word statistics)."""
    with live_app.app_context():
        campaign = survey_by_slug(db.session, "demo").campaign
        for filters in (None, RunFilters(language="es")):
            run = analysis.create_run(
                db.session,
                campaign=campaign,
                created_by=None,
                engine=EngineSettings("tfidf"),
                filters=filters,
            )
            db.session.commit()
            analysis.run_analysis(db.session, run.id)
        theme = db.session.scalars(  # a theme on the board (the demo merged one away)
            sa.select(BoardTheme)
            .where(BoardTheme.campaign_id == campaign.id, BoardTheme.merged_into_id.is_(None))
            .order_by(BoardTheme.id)
        ).first()
        return campaign.id, theme.id


def test_a_member_reads_the_runs_and_a_theme_in_detail_in_english_and_arabic(page, live_app):
    campaign_id, theme_id = _analyse(live_app)
    page.set_viewport_size(LAPTOP)
    sign_in(page, "member@example.org")
    problems, wide = {}, {}
    runs = f"/staff/campaigns/{campaign_id}/themes/runs"
    detail = f"/staff/campaigns/{campaign_id}/board/{theme_id}"
    for lang in ("en", "ar"):
        for name, path in (("runs", runs), ("detail", detail)):
            page.goto(f"{path}?lang={lang}")
            assert page.evaluate("document.documentElement.dir") == (
                "rtl" if lang == "ar" else "ltr"
            )
            if name == "runs":  # the demo's run, this one and the exploration
                assert page.locator("table tbody tr").count() == 3
            else:
                assert page.locator("svg.chart-svg").count() == 1
            if page.evaluate("document.documentElement.scrollWidth") > LAPTOP["width"]:
                wide[(lang, name)] = page.evaluate("document.documentElement.scrollWidth")
            problems[(lang, name)] = _serious(page)
    # The history links to the exploration's themes, read-only.
    page.goto(f"{runs}?lang=en")
    page.locator("table tbody tr").first.locator("a").click()
    assert "This analysis covers part of the feedback." in page.locator("main").inner_text()
    problems["run"] = _serious(page)
    assert wide == {}
    assert all(not found for found in problems.values()), problems
