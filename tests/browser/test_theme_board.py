"""The theme board in a real browser: a workgroup member on a laptop and on a phone, in
English and Arabic, free of serious accessibility findings; an edit made with a plain form."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe

from engage.exports.services import survey_by_slug
from engage.extensions import db
from engage.models import BoardTheme
from engage.themes import services as analysis
from engage.themes.engine import EngineSettings

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SIZES = {"laptop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


def _serious(page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.fixture
def analysed(live_app) -> int:
    """The demo campaign (its board reviewed, see engage.demo_data.themes) analysed again
    (word statistics: quick), with one theme hidden."""
    with live_app.app_context():
        campaign = survey_by_slug(db.session, "demo").campaign
        run = analysis.create_run(
            db.session, campaign=campaign, created_by=None, engine=EngineSettings("tfidf")
        )
        db.session.commit()
        analysis.run_analysis(db.session, run.id)
        hidden = db.session.scalars(
            sa.select(BoardTheme)
            .where(BoardTheme.campaign_id == campaign.id, BoardTheme.merged_into_id.is_(None))
            .order_by(BoardTheme.id)
        ).all()[-1]
        hidden.hide()
        db.session.commit()
        return campaign.id


def test_a_member_uses_the_board_on_a_laptop_and_a_phone_in_english_and_arabic(page, analysed):
    page.goto("/auth/login")
    page.locator("#email").fill("member@example.org")
    page.locator("#password").fill("engage-demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/")
    board = f"/staff/campaigns/{analysed}/themes"
    problems, wide = {}, {}
    for lang in ("en", "ar"):
        for size, viewport in SIZES.items():
            page.set_viewport_size(viewport)
            page.goto(f"{board}?lang={lang}")
            assert page.evaluate("document.documentElement.dir") == (
                "rtl" if lang == "ar" else "ltr"
            )
            first = page.locator("section.board-theme").first
            first.locator(".board-edit > summary").click()  # open "Edit this theme"
            assert first.locator("textarea[name=statement]").is_visible()
            assert page.locator(".board-hidden li").count() == 1
            if page.evaluate("document.documentElement.scrollWidth") > viewport["width"]:
                wide[(lang, size)] = page.evaluate("document.documentElement.scrollWidth")
            problems[(lang, size)] = _serious(page)
            if (lang, size) == ("en", "laptop"):
                # A plain form, answered with a redirect and a message.
                first.locator("input[name=name]").fill("Buses that never come")
                first.get_by_role("button", name="Rename").click()
                assert (
                    "The theme is now called “Buses that never come”."
                    in page.locator(".flashes").inner_text()
                )
                heading = page.locator("section.board-theme h2", has_text="Buses that never come")
                assert heading.count() == 1
                problems["after an edit"] = _serious(page)
    assert wide == {}
    assert {k: v for k, v in problems.items() if v} == {}
