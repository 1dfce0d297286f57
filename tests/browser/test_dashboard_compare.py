"""Comparing grids, rankings and means by group, the whole campaign, the listening
sessions' head counts and the printed dashboard, in a real browser: laptop and 360-px
phone, English and Arabic, axe-checked, never scrolling sideways."""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from engage.exports.services import survey_by_slug
from engage.extensions import db
from tests.browser.test_dashboard import _sign_in
from tests.browser.test_resident_survey import _violations

SIZES = {"laptop": (1280, 800), "phone": (360, 740)}
COMPARE = "section[aria-labelledby=crosstab-title]"


def _compare(page, question: str) -> None:
    page.locator("#question").select_option(question)
    page.locator("#dimension").select_option("area")
    page.locator(f"{COMPARE} form:not(.download-form) button").click()
    page.wait_for_load_state("load")


def _shot(page, selector: str, name: str) -> None:
    shots = os.environ.get("ENGAGE_SCREENSHOTS")
    if shots:
        page.locator(selector).screenshot(path=f"{shots}/{name}.png")


@pytest.mark.parametrize("size", ["laptop", "phone"])
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_grids_means_and_the_whole_campaign_fit_and_pass_axe(page, live_app, lang, size):
    with live_app.app_context():
        campaign_id = survey_by_slug(db.session, "demo").campaign_id
    width, height = SIZES[size]
    page.set_viewport_size({"width": width, "height": height})
    _sign_in(page, "staff@example.org", lang)
    page.goto(f"/staff/campaigns/{campaign_id}/dashboard")
    problems = {}
    _compare(page, "places")  # a grid: a row per grid row and option
    rows = page.locator(f"{COMPARE} table").first.locator("tbody tr")
    assert rows.count() == 16
    expect(page.locator(f"{COMPARE} .download-form button")).to_be_visible()
    # A chart per grid row beside the table, each an image with its name.
    charts = page.locator(f"{COMPARE} svg[role=img]")
    assert charts.count() == 4
    expect(charts.first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(page, COMPARE, f"compare-grid-{lang}-{size}")
    problems["grid"] = _violations(page)
    _compare(page, "importance_reliable_bus")  # a scale: its mean by group
    means = page.locator(f"{COMPARE} table")
    expect(means).to_have_count(1)
    assert means.locator("tbody tr").count() == 2  # the mean, then the group sizes
    expect(page.locator(f"{COMPARE} svg[role=img]")).to_have_count(1)  # means by group
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(page, COMPARE, f"compare-means-{lang}-{size}")
    problems["means"] = _violations(page)
    page.locator("#survey").select_option("all")
    page.locator("main > form.inline-form button").click()
    page.wait_for_load_state("load")
    expect(page.locator("#sessions-heads-title")).to_be_visible()
    expect(page.locator("#results-title")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    _shot(page, "section[aria-labelledby=heard-title]", f"campaign-heard-{lang}-{size}")
    problems["campaign"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_printed_dashboard_keeps_charts_and_tables_not_the_navigation(page, live_app, lang):
    with live_app.app_context():
        campaign_id = survey_by_slug(db.session, "demo").campaign_id
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "staff@example.org", lang)
    page.goto(f"/staff/campaigns/{campaign_id}/dashboard?question=places&dimension=area")
    page.emulate_media(media="print")
    expect(page.locator(".staff-nav")).to_be_hidden()
    expect(page.locator(".staff-header")).to_be_hidden()
    expect(page.locator("main form").first).to_be_hidden()
    expect(page.locator("svg[role=img]").first).to_be_visible()
    expect(page.locator("#heard-title")).to_be_visible()
    tables = page.locator("main table")
    assert tables.count() > 5
    for index in range(tables.count()):
        expect(tables.nth(index)).to_be_visible()
    # The grid's results and its comparison by group are on paper too.
    grid = page.locator("section[aria-labelledby=results-title] table:has(tbody tr th)")
    assert grid.count() > 3
    expect(page.locator(f"{COMPARE} table")).to_be_visible()
