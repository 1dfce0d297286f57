"""Recording a listening session on a phone, in English and Arabic: the form, an error,
the notes; every page passes axe's WCAG checks and nothing scrolls sideways."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from engage.exports.services import survey_by_slug
from engage.extensions import db
from tests.browser.signin import sign_in
from tests.browser.test_resident_survey import _violations


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_interviewer_records_a_session_on_a_phone(page, live_app, lang):
    with live_app.app_context():
        campaign_id = survey_by_slug(db.session, "demo").campaign_id
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "interviewer@example.org", lang)
    page.goto(f"/staff/campaigns/{campaign_id}/sessions/new")
    problems = {"new": _violations(page)}
    page.locator("#place").fill("Eastside library")
    page.locator("main form button[type=submit]").click()  # no date yet
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.locator("#place").input_value() == "Eastside library"
    problems["error"] = _violations(page)
    page.locator("#held_on").fill("2026-11-20")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/staff/sessions/*")
    page.locator("#text").fill("The bus never comes.\n\nWe need a crossing by the school.")
    page.locator("form[action$='/notes'] button").click()
    expect(page.locator("#notes li")).to_have_count(2)
    problems["notes"] = _violations(page)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= 360
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_staff_read_the_sessions_languages_and_head_counts_on_a_laptop(page, live_app, lang):
    with live_app.app_context():
        campaign_id = survey_by_slug(db.session, "demo").campaign_id
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "staff@example.org", lang)
    page.goto(f"/staff/campaigns/{campaign_id}/sessions")
    rows = page.locator("main table tbody tr")
    expect(rows).to_have_count(4)
    # Interpreted sessions list both languages; small groups are hidden (—).
    assert "—" in page.locator("main table").inner_text()
    problems = {"list": _violations(page)}
    rows.first.locator("a").click()
    page.wait_for_url("**/staff/sessions/*")
    expect(page.locator("#who-title")).to_be_visible()
    assert page.locator("input[name=languages]:checked").count() >= 1
    problems["session"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
