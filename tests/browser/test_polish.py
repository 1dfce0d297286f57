"""Small things a new user noticed, in real Chromium on a 360-px phone (en and ar)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_resident_survey import _violations


def _to_topics(page, lang: str) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/s/demo?lang={lang}")
    page.locator("main form button[type=submit]").first.click()
    page.locator("#consent").check()
    page.locator("button[value=next]").click()
    expect(page).to_have_url(re.compile(r"/s/demo/p/experience$"))
    page.goto("/s/demo/p/topics")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_question_for_bus_riders_appears_only_once_they_say_they_ride(page, lang):
    _to_topics(page, lang)
    problems = page.locator("#bus_problems-condition")
    expect(problems).to_be_hidden()
    page.locator("#uses_bus-0").check()  # yes
    expect(problems).to_be_visible()
    assert _violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#uses_bus-1").check()  # no
    expect(problems).to_be_hidden()


def test_without_the_script_the_question_says_when_to_answer_it(page_without_js):
    page = page_without_js
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/s/demo?lang=en")
    page.locator("main form button[type=submit]").first.click()
    page.locator("#consent").check()
    page.locator("button[value=next]").click()
    page.goto("/s/demo/p/topics")
    hint = page.locator("#bus_problems-condition")
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("Answer this only if your answer to")
    expect(page.locator("#bus_problems-0")).to_be_visible()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_after_an_error_the_script_takes_focus_to_the_error_summary(page, lang):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/s/demo?lang={lang}")
    page.locator("main form button[type=submit]").first.click()
    page.locator("button[value=next]").click()  # consent is required
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    assert _violations(page) == []
    # Once the page is right, the next page starts at its content, as before.
    page.locator("#consent").check()
    page.locator("button[value=next]").click()
    expect(page).to_have_url(re.compile(r"/s/demo/p/experience$"))
    expect(page.locator("#main")).to_be_focused()
