"""Waves in a real browser, on a laptop: staff start the demo survey's next wave after
confirming, read one wave's responses, and compare a wave with the one before on the
dashboard; axe-checked, in English and Arabic."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from engage.exports.services import survey_by_slug
from engage.extensions import db
from tests.browser.test_dashboard import _sign_in
from tests.browser.test_resident_survey import _violations


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_waves_start_filter_and_compare(page, live_app, lang):
    with live_app.app_context():
        survey = survey_by_slug(db.session, "demo")
        survey_id, campaign_id = survey.id, survey.campaign_id
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "staff@example.org", lang)
    problems = {}

    # The demo has two waves: the dashboard compares the second with the first.
    page.goto(f"/staff/campaigns/{campaign_id}/dashboard?survey={survey_id}")
    section = page.locator("section[aria-labelledby=waves-title]")
    expect(section).to_be_visible()
    assert section.locator("table").count() > 3
    # Beside each compared question's table, a chart of both waves named in words.
    charts = section.locator(".chart-pair svg[role=img]")
    expect(charts.first).to_be_visible()
    assert charts.count() >= 1
    # Its legend names the two waves, and its words give each wave's figure by name.
    names = charts.first.locator(".chart-legend").all_text_contents()
    words = charts.first.locator("desc").text_content() or ""
    assert len(names) == 2 and all(f"{name}: " in words for name in names)
    if shots := os.environ.get("ENGAGE_SCREENSHOTS"):
        charts.first.screenshot(path=f"{shots}/waves-{lang}-svg.png")
    page.locator("#wave").select_option("2")
    page.locator("main form.inline-form button").click()
    assert "wave=2" in page.url and section.is_visible()
    problems["dashboard, wave 2"] = _violations(page)

    # The responses of one wave, and the wave on a response's page.
    page.goto(f"/staff/campaigns/{campaign_id}/responses?survey={survey_id}")
    page.locator("#wave").select_option("1")
    page.locator("main form button[type=submit]").click()
    assert "wave=1" in page.url
    problems["responses, wave 1"] = _violations(page)
    page.locator("main table tbody a").first.click()
    wave = page.locator("dl.values-list dd").nth(1).inner_text()  # after the survey
    assert "1" in wave and "2" not in wave
    problems["response"] = _violations(page)

    # Starting wave 3 asks first, then says so on the builder.
    page.goto(f"/staff/surveys/{survey_id}")
    page.locator(f"a[href='/staff/surveys/{survey_id}/waves/new']").click()
    expect(page.locator("h1")).to_be_visible()
    problems["confirm"] = _violations(page)
    page.locator("#label").fill("Autumn 2025")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/staff/surveys/{survey_id}")
    expect(page.locator(".flash--success")).to_be_visible()
    with live_app.app_context():
        assert survey_by_slug(db.session, "demo").wave_count == 3
    assert {k: v for k, v in problems.items() if v} == {}
