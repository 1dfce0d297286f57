"""The quote explorer in a real browser, as a workgroup member reads it on a laptop in a
meeting: search, narrow by group and by sentiment, page; English and Arabic, axe-checked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from engage.exports.services import survey_by_slug
from engage.extensions import db
from engage.themes.sentiment import score_sentiment
from tests.browser.test_dashboard import _sign_in
from tests.browser.test_resident_survey import _violations


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_member_searches_the_feedback_on_a_laptop(page, live_app, lang):
    with live_app.app_context():
        campaign_id = survey_by_slug(db.session, "demo").campaign_id
        score_sentiment(db.session, campaign_id)  # what analysing the campaign does
        db.session.commit()
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "member@example.org", lang)
    page.goto(f"/staff/campaigns/{campaign_id}/quotes")
    assert _violations(page) == []
    everything = page.locator("ol.quote-results > li")
    expect(everything).to_have_count(50)  # a page of the demo's hundreds of answers
    page.locator("#q").fill("bus")
    page.locator("main form[role=search] button[type=submit]").click()
    results = page.locator("ol.quote-results blockquote")
    expect(results.first).to_be_visible()
    assert all("bus" in text.lower() for text in results.all_inner_texts()[:10])
    assert _violations(page) == []  # the results, with quotes in several languages
    page.locator("#group").select_option(index=1)
    page.locator("main form[role=search] button[type=submit]").click()
    expect(page.get_by_role("status")).to_be_visible()
    assert _violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    page.locator("#group").select_option("")
    page.locator("#sentiment").select_option("negative")
    page.locator("main form[role=search] button[type=submit]").click()
    expect(page.locator("#sentiment-note")).to_be_visible()  # English answers only
    expect(page.locator("#sentiment")).to_have_value("negative")
    expect(results.first).to_be_visible()  # the demo's negative English answers about buses
    assert _violations(page) == []
