"""A resident ranks options on a 360-px phone, with and without JavaScript, in English
and Arabic: usable, right-to-left where it should be, and with no serious WCAG finding."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from engage.extensions import db
from tests.factories import make_survey
from tests.web.test_ranking import ranking_definition

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 360, "height": 740}


def _serious(page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.fixture
def slug(live_app) -> str:
    with live_app.app_context():
        make_survey(db.session, definition=ranking_definition("rank-phone"))
    return "rank-phone"


def _rank(page, slug: str, lang: str, *, axe: bool) -> None:
    """Open the survey, give two options the same rank, then put it right and send."""
    label = "" if lang == "en" else " (ar)"
    page.goto(f"/s/{slug}?lang={lang}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/s/{slug}/p/**")
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    if axe:
        assert _serious(page) == []
    page.get_by_label(f"Parks{label}", exact=True).select_option("1")
    page.get_by_label(f"Housing{label}", exact=True).select_option("1")
    page.locator("button[value=next]").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    if axe:
        assert _serious(page) == []
    # The summary's link leads to the first select; nothing chosen is lost.
    summary.get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"#priorities__parks$"))
    assert page.locator("#priorities__parks").input_value() == "1"
    page.locator("#priorities__housing").select_option("2")
    page.locator("#priorities__buses").select_option("3")
    page.locator("button[value=next]").click()
    expect(page).to_have_url(re.compile(r"/thanks(#.*)?$"))


@pytest.mark.parametrize(("lang", "direction"), [("en", "ltr"), ("ar", "rtl")])
@pytest.mark.parametrize("javascript", [False, True], ids=["no-js", "js"])
def test_a_resident_ranks_on_a_phone(browser, live_server, slug, lang, direction, javascript):
    context = browser.new_context(
        base_url=live_server, viewport=PHONE, java_script_enabled=javascript, locale="en-GB"
    )
    page = context.new_page()
    try:
        _rank(page, slug, lang, axe=javascript)  # axe-core runs as a script
        assert page.locator("html").get_attribute("dir") == direction
    finally:
        context.close()
