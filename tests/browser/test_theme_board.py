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
from tests.browser.signin import sign_in

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
    sign_in(page, "member@example.org")
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


def _login(page) -> None:
    sign_in(page, "member@example.org")


def test_a_member_links_a_theme_just_split_off_and_undoes_a_merge_in_english_and_arabic(
    page, analysed, live_app
):
    _login(page)
    board = f"/staff/campaigns/{analysed}/themes"
    page.set_viewport_size(SIZES["laptop"])
    page.goto(f"{board}?lang=en")
    problems = {}
    # Split the biggest theme; the theme it makes can be linked at once (no re-run).
    first = page.locator("section.board-theme").first
    first.locator(".board-edit > summary").click()
    first.get_by_role("button", name="Split into sub-themes").click()
    assert "is split:" in page.locator(".flashes").inner_text()
    with live_app.app_context():
        made = db.session.scalars(sa.select(BoardTheme).where(BoardTheme.origin == "split")).first()
        made_id = made.id
    card = page.locator(f"#board-{made_id}")
    choice = card.locator(f"#link-{made_id} option:not([value=''])").first
    card.locator(f"#link-{made_id}").select_option(choice.get_attribute("value"))
    card.get_by_role("button", name="Link the themes").click()
    assert "is now linked to" in page.locator(".flashes").inner_text()
    assert "linked by a workgroup" in page.locator(f"#board-{made_id} .theme-links").inner_text()
    problems["linked"] = _serious(page)
    # Merge one theme into another, then undo it from the theme it went into.
    cards = page.locator("section.board-theme")
    source, target = cards.nth(1), cards.nth(2)
    source_id = int(source.get_attribute("id").split("-")[1])
    target_id = int(target.get_attribute("id").split("-")[1])
    source.locator(".board-edit > summary").click()
    source.locator(f"#merge-{source_id}").select_option(str(target_id))
    source.get_by_role("button", name="Merge", exact=True).click()
    merged = page.locator(f"#board-{target_id} .board-merged")
    assert merged.count() == 1
    problems["merged"] = _serious(page)
    merged.get_by_role("button", name="Undo merge").click()
    assert "is back on the board" in page.locator(".flashes").inner_text()
    assert page.locator(f"section#board-{source_id}").count() == 1
    problems["undone"] = _serious(page)
    # In Arabic, on a laptop and on a phone: the same blocks, right to left, no findings.
    source = page.locator(f"#board-{source_id}")
    source.locator(".board-edit > summary").click()
    source.locator(f"#merge-{source_id}").select_option(str(target_id))
    source.get_by_role("button", name="Merge", exact=True).click()
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.goto(f"{board}?lang=ar")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert page.locator(f"#board-{target_id} .board-merged button").count() == 1
        assert page.locator(f"#board-{made_id} .theme-links li").count() >= 1
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        problems[("ar", size)] = _serious(page)
    page.locator(f"#board-{target_id} .board-merged button").click()
    assert page.locator(".flash--success, .flashes .flash").count() >= 1
    assert page.locator(f"section#board-{source_id}").count() == 1
    assert {k: v for k, v in problems.items() if v} == {}
