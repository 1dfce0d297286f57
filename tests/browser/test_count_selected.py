"""A question asked only while fewer than two problems are chosen, on a 360-px phone in
English and Arabic: the optional script hides and shows it as boxes are ticked on the
same page, with no serious WCAG finding; without the script it says when to answer it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from engage.extensions import db
from tests.browser.test_ranking import PHONE, _serious
from tests.factories import make_survey
from tests.web.test_count_selected import problems_definition


@pytest.fixture
def slug(live_app) -> str:
    with live_app.app_context():
        make_survey(db.session, definition=problems_definition("count-phone"))
    return "count-phone"


def _open(page, slug: str, lang: str) -> None:
    page.set_viewport_size(PHONE)
    page.goto(f"/s/{slug}?lang={lang}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/s/{slug}/p/problems")
    page.wait_for_load_state()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_question_hides_once_two_problems_are_ticked(page, slug, lang):
    _open(page, slug, lang)
    fine = page.locator("#fine")
    expect(fine).to_be_visible()  # none chosen: fewer than two
    page.locator("#problems-0").check()
    expect(fine).to_be_visible()
    page.locator("#problems-2").check()
    expect(fine).to_be_hidden()
    assert _serious(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator("#problems-0").uncheck()
    expect(fine).to_be_visible()
    assert _serious(page) == []
    page.locator("#problems-0").check()
    page.locator("button[value=next]").click()
    page.wait_for_url(f"**/s/{slug}/p/details")
    expect(page.locator("#worst")).to_be_visible()
    expect(page.locator("#one")).to_have_count(0)


def test_without_the_script_the_question_says_when_to_answer_it(page_without_js, slug):
    page = page_without_js
    _open(page, slug, "en")
    page.locator("#problems-0").check()
    page.locator("#problems-1").check()
    hint = page.locator("#fine-condition")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Answer this only if you chose at most 1 answer in")
    expect(page.locator("#fine")).to_be_visible()
