"""The public report-back page with its co-design round results and the resident round
page on a 360-px phone (nothing scrolls sideways), the report-back page printed as a
one-page A4 summary, and the partnership scorecard on a laptop; English and Arabic,
every page checked with axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_dashboard import _sign_in
from tests.browser.test_resident_survey import _violations

SLUG = "eastside-listening"
PHONE = {"width": 360, "height": 740}
WIDTH = "document.scrollingElement.scrollWidth"
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _phone(browser, live_server, lang: str):
    return browser.new_context(
        base_url=live_server, viewport=PHONE, is_mobile=True, has_touch=True,
        locale="ar" if lang == "ar" else "en-GB",
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_report_back_page_with_round_results_on_a_360_px_phone(browser, live_server, lang):
    context = _phone(browser, live_server, lang)
    page = context.new_page()
    page.goto(f"/r/{SLUG}?lang={lang}")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    changed = page.locator("section.rb-changed")
    expect(changed).to_be_visible()
    # The closed demo round: two prototypes, each with its five reactions.
    assert changed.locator("table.rb-reactions").count() == 2
    assert changed.locator("table.rb-reactions tbody tr").count() == 10
    bar = changed.locator("svg.rb-bar").first
    bar.scroll_into_view_if_needed()
    assert bar.bounding_box()["width"] > 0
    if lang == "ar":  # the bars grow from the right
        transform = bar.evaluate("e => getComputedStyle(e).transform")
        assert transform.startswith("matrix(-1")
    assert page.locator("script").count() == 0
    width = page.evaluate(WIDTH)
    problems = _violations(page)
    context.close()
    assert width <= PHONE["width"]
    assert problems == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_resident_round_page_on_a_360_px_phone(browser, live_server, lang):
    context = _phone(browser, live_server, lang)
    page = context.new_page()
    page.goto(f"/s/demo-round-2?lang={lang}")
    widths, problems = {"intro": page.evaluate(WIDTH)}, {"intro": _violations(page)}
    page.locator("main form button[type=submit]").first.click()
    picture = page.locator("img.page-image")
    expect(picture).to_be_visible()
    expect(picture).to_have_js_property("complete", True)
    assert picture.evaluate("image => image.naturalWidth") > 0
    widths["prototype"] = page.evaluate(WIDTH)
    problems["prototype"] = _violations(page)
    page.locator("input[value=mostly_works]").check()
    page.locator("button[value=next]").click()
    page.wait_for_url("**/thanks**")
    widths["thanks"] = page.evaluate(WIDTH)
    problems["thanks"] = _violations(page)
    context.close()
    assert {k: w for k, w in widths.items() if w > PHONE["width"]} == {}
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_report_back_page_prints_on_one_a4_page(browser, live_server, lang, tmp_path):
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"/r/{SLUG}?lang={lang}")
    page.emulate_media(media="print")
    expect(page.locator("section.rb-changed")).to_be_visible()
    expect(page.locator("nav.languages")).to_be_hidden()
    pdf = page.pdf(format="A4")
    context.close()
    (tmp_path / f"report-back-{lang}.pdf").write_bytes(pdf)
    assert pdf.startswith(b"%PDF")
    assert len(PAGE_OBJECT.findall(pdf)) == 1


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_partnership_scorecard_on_a_laptop(page, lang):
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "staff@example.org", lang)
    page.locator("a[href='/staff/scorecard']").click()
    page.wait_for_url("**/staff/scorecard")
    expect(page.locator("table.scorecard")).to_be_visible()
    expect(page.locator("table.scorecard-campaigns tbody tr")).to_have_count(1)
    problems = {"scorecard": _violations(page)}
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_member_reads_the_partnership_scorecard_on_a_360_px_phone(page, lang):
    page.set_viewport_size(PHONE)
    _sign_in(page, "member@example.org", lang)
    page.goto("/staff/scorecard")
    expect(page.locator("table.scorecard")).to_be_visible()
    width = page.evaluate(WIDTH)
    problems = _violations(page)
    assert width <= PHONE["width"]
    assert problems == []
