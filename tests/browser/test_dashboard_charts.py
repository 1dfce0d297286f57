"""The dashboard's charts, intersections, weighting and outreach targeting in a real
browser: on a laptop and on a 360-px phone, in English and Arabic, axe-checked, and the
page never scrolls sideways (wide tables scroll in their own region)."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from engage.exports.services import survey_by_slug
from engage.extensions import db
from tests.browser.test_dashboard import _sign_in
from tests.browser.test_resident_survey import _violations

SIZES = {"laptop": (1280, 800), "phone": (360, 740)}


@pytest.mark.parametrize("size", ["laptop", "phone"])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_dashboard_charts_fit_and_pass_axe(page, live_app, lang, size, tmp_path):
    with live_app.app_context():
        campaign_id = survey_by_slug(db.session, "demo").campaign_id
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    _sign_in(page, "staff@example.org", lang)
    page.goto(f"/staff/campaigns/{campaign_id}/dashboard")
    page.locator("#dimension").select_option("area")
    page.locator("#dimension2").select_option("language")
    page.locator("#question").select_option("bus_problems")
    page.locator("section[aria-labelledby=crosstab-title] button").click()
    expect(page).to_have_url(re.compile("dimension2=language"))
    page.wait_for_load_state("load")
    compare = page.locator("section[aria-labelledby=crosstab-title] table")
    assert compare.locator("thead th").count() > 3  # columns are pairs of groups
    expect(page.locator("#targeting-title")).to_be_visible()  # Riverside is heard less
    expect(page.locator("section[aria-labelledby=weighting-title] dl")).to_be_visible()
    # Beside each weighted table, its raw and weighted shares drawn.
    weighted = page.locator("section[aria-labelledby=weighting-title] .chart-pair svg[role=img]")
    expect(weighted.first).to_be_visible()
    charts = page.locator("svg[role=img]")
    assert charts.count() >= 4
    first = charts.first.bounding_box()
    assert first is not None and 0 < first["width"] <= width
    assert page.locator("svg[role=img] title").first.text_content()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shots = os.environ.get("ENGAGE_SCREENSHOTS")
    if shots:
        for number in (0, 3, 6):
            pair = page.locator(".chart-pair").nth(number)
            pair.screenshot(path=f"{shots}/dashboard-{lang}-{size}-{number}.png")
        for number in (0, 5):
            svg = page.locator("svg[role=img]").nth(number)
            svg.screenshot(path=f"{shots}/dashboard-{lang}-{size}-svg{number}.png")
        weighted.first.screenshot(path=f"{shots}/dashboard-{lang}-{size}-weighted-svg.png")
        for name in ("heard", "weighting", "crosstab"):
            section = page.locator(f"section[aria-labelledby={name}-title]")
            section.screenshot(path=f"{shots}/dashboard-{lang}-{size}-{name}.png")
    assert _violations(page) == []
