"""The demo survey in a real browser: without JavaScript, right-to-left, accessible."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.signin import sign_in

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DEMO_PAGES = [
    "welcome",
    "experience",
    "topics",
    "importance",
    "satisfaction",
    "about_you",
    "anything_else",
]


def _violations(page) -> list[str]:
    # A click that navigates returns once the new page has started loading: check the page
    # the user sees, with its styles applied, not one half-loaded.
    page.wait_for_load_state("load")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in results.response["violations"]
    ]


def test_demo_survey_answered_in_arabic_without_javascript(page_without_js, tmp_path):
    page = page_without_js
    page.goto("/s/demo?lang=ar")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    page.locator("main form button[type=submit]").first.click()
    page.locator("#consent").check()
    page.locator("button[value=next]").click()
    page.locator("#obstacle").fill("الحافلة لا تأتي في الوقت المحدد")
    page.locator("button[value=next]").click()
    page.screenshot(path=str(tmp_path / "topics-ar.png"), full_page=True)
    while "/thanks" not in page.url:
        page.locator("button[value=next]").click()
    expect(page.locator("h1")).to_have_count(1)
    assert page.evaluate("document.documentElement.lang") == "ar"


def test_progress_and_buttons_are_mirrored_in_arabic(page):
    page.goto("/s/demo?lang=ar")
    page.locator("main form button[type=submit]").first.click()
    next_box = page.locator("button[value=next]").bounding_box()
    back_box = page.locator("button[value=back]").bounding_box()
    # Reading right to left, "next" comes first: it is to the right of "back".
    assert next_box["x"] > back_box["x"]
    assert page.evaluate("getComputedStyle(document.querySelector('progress')).direction") == "rtl"


def test_missing_consent_focuses_nothing_but_links_to_the_box(page):
    page.goto("/s/demo")
    page.locator("main form button[type=submit]").first.click()
    page.locator("button[value=next]").click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()  # with the survey script the page is swapped in
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "consent"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_demo_page_passes_axe_wcag_checks(page, lang):
    page.goto(f"/s/demo?lang={lang}")
    problems = {"intro": _violations(page)}
    page.locator("main form button[type=submit]").first.click()
    for key in DEMO_PAGES:
        page.goto(f"/s/demo/p/{key}")
        problems[key] = _violations(page)
    page.goto("/s/demo/p/welcome")
    page.locator("button[value=next]").click()  # the page with an error summary
    expect(page.get_by_role("alert")).to_be_visible()
    problems["errors"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_staff_pages_pass_axe_wcag_checks(page):
    page.goto("/auth/login")
    problems = {"login": _violations(page)}
    page.get_by_label("Email address").fill("admin@example.org")
    page.get_by_label("Password", exact=True).fill("engage-demo")
    page.get_by_role("button", name="Sign in").click()
    for path in ("/staff/", "/admin/users", "/admin/users/invite"):
        page.goto(path)
        problems[path] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_survey_builder_pages_pass_axe_wcag_checks(page, lang):
    sign_in(page, "staff@example.org", lang)
    page.locator("a[href^='/staff/surveys/']").first.click()
    builder = page.url.split("#")[0]
    paths = [
        builder,
        f"{builder}/settings",
        f"{builder}/pages/welcome",
        f"{builder}/questions/consent",
        f"{builder}/questions/recent_task",
        f"{builder}/pages/welcome/questions/new",
        f"{builder}/pages/welcome/questions/new?type=matrix",
        f"{builder}/pages/welcome/questions/new?type=scale",
        f"{builder}/publish",
        f"{builder}/close",
        f"{builder}/preview?language=ar&page=2",
        "/staff/campaigns/new",
    ]
    problems = {}
    for path in paths:
        page.goto(path)
        problems[path] = _violations(page)
    page.goto(f"{builder}/pages/welcome/questions/new?type=single_choice")
    page.locator("form.question-form button[value=save]").last.click()  # errors shown
    problems["question errors"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_a_question_is_added_in_a_browser_without_javascript(page_without_js):
    page = page_without_js
    page.goto("/auth/login")
    page.get_by_label("Email address").fill("staff@example.org")
    page.get_by_label("Password", exact=True).fill("engage-demo")
    page.get_by_role("button", name="Sign in").click()
    page.locator("a[href^='/staff/surveys/']").first.click()
    page.get_by_role("link", name="Add a question to page 1").click()
    page.get_by_role("link", name="Multiple choice").click()
    page.get_by_label("Question", exact=True).fill("Which of these do you use?")
    page.get_by_label("Label 1").fill("Library")
    page.get_by_label("Label 2").fill("Clinic")
    page.get_by_role("button", name="Move 2 up").click()  # re-shown, nothing lost
    assert page.get_by_label("Label 1").input_value() == "Clinic"
    assert page.get_by_label("Question", exact=True).input_value() == ("Which of these do you use?")
    page.locator("form.question-form button[value=save]").last.click()
    expect(page.locator("body")).to_contain_text("The question is saved.")
    expect(page.locator("#q-which_of_these_do_you_use")).to_be_visible()


def test_the_accessibility_checker_does_find_problems(browser):
    """Guards the checks above: a page with an unlabelled field must fail."""
    page = browser.new_page()
    try:
        page.set_content('<html lang="en"><title>x</title><main><input type="text"></main></html>')
        assert any(v.startswith("label:") for v in _violations(page))
    finally:
        page.close()
