"""The account page and "sign out everywhere", in a real browser, English and Arabic."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from engage.demo_data.loader import DEMO_PASSWORD

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _violations(page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]
    ]


def _sign_in(page, lang: str, *, remember: bool) -> None:
    page.goto(f"/auth/login?lang={lang}")
    page.locator("#email").fill("staff@example.org")
    page.locator("#password").fill(DEMO_PASSWORD)
    if remember:
        page.locator("#remember").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_account_page_signs_out_everywhere(browser, live_server, lang, tmp_path):
    laptop = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800})
    phone = browser.new_context(base_url=live_server, viewport={"width": 375, "height": 740})
    try:
        on_laptop, on_phone = laptop.new_page(), phone.new_page()
        _sign_in(on_laptop, lang, remember=True)
        _sign_in(on_phone, lang, remember=True)
        on_phone.locator(".whoami").click()  # the name in the header leads to the account
        on_phone.wait_for_url("**/auth/account")
        assert on_phone.evaluate("document.documentElement.dir") == (
            "rtl" if lang == "ar" else "ltr"
        )
        assert on_phone.locator("dd").nth(3).inner_text() == "2"  # two remembered devices
        assert _violations(on_phone) == []
        on_phone.screenshot(path=str(tmp_path / f"account-{lang}.png"), full_page=True)

        on_phone.locator("main form button[type=submit]").click()
        on_phone.wait_for_url("**/auth/login")
        expect(on_phone.locator(".flash--success")).to_be_visible()
        on_laptop.goto("/staff/")
        assert "/auth/login" in on_laptop.url  # its session and its token are gone
        assert [c["name"] for c in laptop.cookies() if c["name"] == "engage_remember"] == []
    finally:
        laptop.close()
        phone.close()
