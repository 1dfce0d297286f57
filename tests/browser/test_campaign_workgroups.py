"""The campaign's page lists its workgroups, in a real browser at laptop size, in
English and Arabic, for an administrator (with links) and for staff, axe-checked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from engage.exports.services import survey_by_slug
from engage.extensions import db
from tests.browser.test_dashboard import _sign_in
from tests.browser.test_resident_survey import _violations

SECTION = "section[aria-labelledby=workgroups-title]"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_campaign_page_lists_its_workgroups(browser, live_server, live_app, lang):
    with live_app.app_context():
        campaign_id = survey_by_slug(db.session, "demo").campaign_id
    problems = {}
    for email in ("admin@example.org", "staff@example.org"):
        context = browser.new_context(base_url=live_server, locale="en-GB")
        page = context.new_page()
        page.set_viewport_size({"width": 1280, "height": 800})
        _sign_in(page, email, lang)
        page.goto(f"/staff/campaigns/{campaign_id}/edit")
        section = page.locator(SECTION)
        expect(section).to_be_visible()
        assert section.locator("li").count() >= 1  # the demo's workgroup
        links = section.locator("a[href^='/admin/workgroups']")
        if email.startswith("admin"):
            assert links.count() == section.locator("li").count() + 1
        else:
            expect(links).to_have_count(0)
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        problems[email] = _violations(page)
        context.close()
    assert {k: v for k, v in problems.items() if v} == {}
