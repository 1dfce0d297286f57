"""The report-back page on a phone without JavaScript, and its approval page and the
scorecard on a laptop, in English and Arabic: axe finds nothing serious or critical."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from engage.extensions import db
from engage.models import Campaign
from tests.browser.test_dashboard import _sign_in
from tests.browser.test_resident_survey import _violations

SLUG = "eastside-listening"


def _phone(browser, live_server, *, javascript: bool):
    return browser.new_context(
        base_url=live_server,
        java_script_enabled=javascript,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_public_report_back_page_on_a_phone(browser, live_server, lang):
    """Read without JavaScript (the content, the direction); axe, which needs a script,
    checks the same page in a second phone context."""
    without_js = _phone(browser, live_server, javascript=False)
    page = without_js.new_page()
    page.goto(f"/r/{SLUG}?lang={lang}")
    assert page.locator("html").get_attribute("dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator("h1").count() == 1
    assert page.locator(".rb-timeline li").count() == 3
    # What we heard: two themes of the demo board, and a quote from each bus theme.
    assert page.locator(".rb-themes li").count() == 2
    assert page.locator(".rb-quote").count() == 3
    assert page.locator("script").count() == 0
    page.goto("/r/no-such-campaign")
    assert page.locator("h1").count() == 1
    without_js.close()
    with_axe = _phone(browser, live_server, javascript=True)
    page = with_axe.new_page()
    page.goto(f"/r/{SLUG}?lang={lang}")
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    problems = _violations(page)
    with_axe.close()
    assert problems == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_approval_page_and_the_scorecard_on_a_laptop(page, live_app, lang):
    with live_app.app_context():
        campaign_id = db.session.scalar(sa.select(Campaign.id).where(Campaign.slug == SLUG))
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "staff@example.org", lang)
    page.goto(f"/staff/campaigns/{campaign_id}/report-back")
    problems = {"approval": _violations(page)}
    page.locator("form[action$='/updates'] button[type=submit]").click()  # empty update
    assert page.get_by_role("alert").first.is_visible()
    problems["refused update"] = _violations(page)
    page.goto(f"/staff/campaigns/{campaign_id}/scorecard")
    assert page.locator("table.scorecard").is_visible()
    problems["scorecard"] = _violations(page)
    assert problems == {k: [] for k in problems}
