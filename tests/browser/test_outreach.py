"""Tracked links in a real browser: add one, see its QR code, open its flyer in the
page's language; the printable survey on a laptop and a phone; the pages pass axe's WCAG
checks in English and Arabic."""

from __future__ import annotations

import pytest

from engage.exports.services import survey_by_slug
from engage.extensions import db
from tests.browser.signin import sign_in
from tests.browser.test_resident_survey import _violations


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_staff_add_a_link_and_print_its_flyer(page, live_app, lang):
    with live_app.app_context():
        survey_id = survey_by_slug(db.session, "demo").id
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "staff@example.org", lang)
    page.goto(f"/staff/surveys/{survey_id}")
    page.locator(f"a[href='/staff/surveys/{survey_id}/links']").click()
    page.locator("#label").fill("Eastside clinic flyers")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(f"**/staff/surveys/{survey_id}/links")
    qr = page.locator("main table img").first
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    problems = {"links": _violations(page)}
    page.locator(f"a[href$='/flyer/{lang}']").first.click()
    assert page.evaluate("document.documentElement.lang") == lang
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator(".address").inner_text().endswith("?source=eastside-clinic-flyers")
    problems["flyer"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("width", [360, 1280])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_printable_survey_passes_axe(page, live_app, lang, width):
    """Printed from a laptop, or opened by an interviewer on a phone."""
    with live_app.app_context():
        survey_id = survey_by_slug(db.session, "demo").id
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, "interviewer@example.org")
    page.goto(f"/staff/surveys/{survey_id}/paper/{lang}")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    assert page.locator(".paper-question").count() >= 20
    page.emulate_media(media="print")
    assert not page.locator(".print-hint").is_visible()
    page.emulate_media(media="screen")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert _violations(page) == []
