"""The campaign dashboard in a real browser: staff on a laptop read who has not been
heard yet, compare groups and edit the community's make-up; axe-checked, en and ar."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from engage.exports.services import survey_by_slug
from engage.extensions import db
from tests.browser.signin import sign_in
from tests.browser.test_resident_survey import _violations


def _sign_in(page, email: str, lang: str) -> None:
    sign_in(page, email, lang)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_dashboard_and_the_make_up_pass_axe(page, live_app, lang):
    with live_app.app_context():
        campaign_id = survey_by_slug(db.session, "demo").campaign_id
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "staff@example.org", lang)
    page.locator(f"a[href='/staff/campaigns/{campaign_id}/dashboard']").click()
    expect(page.locator(".notice").first).to_be_visible()  # somebody is under-heard
    problems = {"dashboard": _violations(page)}
    page.locator("#question").select_option("bus_problems")
    page.locator("#dimension").select_option("area")
    page.locator("section[aria-labelledby=crosstab-title] button").click()
    page.wait_for_load_state()
    expect(page.locator("section[aria-labelledby=crosstab-title] table")).to_be_visible()
    problems["compare"] = _violations(page)
    page.locator(f"a[href='/staff/campaigns/{campaign_id}/baseline']").click()
    page.locator("#text").fill("dimension,group,share\narea,Riverside,many\n")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    problems["baseline errors"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
