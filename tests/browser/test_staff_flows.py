from __future__ import annotations

import re

from playwright.sync_api import expect

from engage.demo_data.loader import DEMO_PASSWORD


def _sign_in(page, email="admin@example.org", password=DEMO_PASSWORD):
    page.goto("/auth/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_admin_signs_in_and_sees_the_demo_campaign(page, tmp_path):
    _sign_in(page)
    page.wait_for_url("**/staff/")
    expect(page.get_by_role("heading", name="Campaigns")).to_be_visible()
    campaign = page.get_by_role("cell", name="Eastside Neighbourhood Listening").first
    expect(campaign).to_be_visible()
    page.screenshot(path=str(tmp_path / "staff-home.png"), full_page=True)


def test_wrong_password_shows_an_error_summary_that_links_to_the_field(page):
    _sign_in(page, password="wrong password!")
    summary = page.get_by_role("alert")
    assert "The email address or password is not right." in summary.inner_text()
    assert page.title().startswith("Error:")
    assert page.get_by_label("Email address").input_value() == "admin@example.org"


def test_invitation_round_trip_in_the_browser(page):
    _sign_in(page)
    page.get_by_role("link", name="Users").click()
    page.get_by_role("link", name="Invite a user").click()
    page.get_by_label("Email address").fill("newcomer@example.org")
    page.get_by_label("Role").select_option("interviewer")
    page.get_by_role("button", name="Create the invitation link").click()
    link = page.get_by_label("One-time link").input_value()
    assert re.search(r"/auth/signup/[\w-]{20,}$", link)

    page.get_by_role("button", name="Sign out").click()
    page.goto(link)
    page.get_by_label("Your name").fill("Nadia Newcomer")
    page.get_by_label("New password").fill("a good long password")
    page.get_by_label("Repeat the password").fill("a good long password")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/staff/")
    assert "Welcome to Engage, Nadia Newcomer." in page.content()
    assert page.get_by_role("link", name="Users").count() == 0


def test_sign_in_works_without_javascript(page_without_js):
    _sign_in(page_without_js, email="member@example.org")
    page_without_js.wait_for_url("**/staff/")
    assert "Marco Member" in page_without_js.content()


def test_arabic_pages_are_right_to_left_and_mirrored(page, tmp_path):
    page.goto("/?lang=ar")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert page.evaluate("document.documentElement.lang") == "ar"
    header_name = page.locator(".site-name").bounding_box()
    switcher = page.locator(".languages").bounding_box()
    # In right-to-left the site name starts on the right and the switcher sits left of it.
    assert header_name["x"] > switcher["x"]
    page.screenshot(path=str(tmp_path / "front-ar.png"), full_page=True)
    # The choice is remembered for the next page.
    page.goto("/auth/login")
    assert page.evaluate("document.documentElement.dir") == "rtl"


def test_skip_link_is_the_first_tab_stop_and_becomes_visible(page):
    page.goto("/auth/login")
    first = page.evaluate(
        "document.querySelector('a[href], button, input:not([type=hidden]), select, textarea')"
        ".className"
    )
    assert first == "skip-link"
    page.locator(".skip-link").focus()
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_touch_targets_are_at_least_44_pixels(page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/auth/login")
    for selector in ["button[type=submit]", "#email", "#password"]:
        box = page.locator(selector).first.bounding_box()
        assert box["height"] >= 44, selector


def test_translation_pages_pass_axe_and_the_editor_is_right_to_left(page):
    from tests.browser.test_resident_survey import _violations

    _sign_in(page)
    page.wait_for_url("**/staff/")
    page.goto("/staff/surveys/1/translations")
    problems = {"overview": _violations(page)}
    page.goto("/staff/surveys/1/translations/ar")
    expect(page.get_by_role("heading", name="Translate into Arabic")).to_be_visible()
    problems["editor"] = _violations(page)
    title = page.locator("input[name='text-title']")
    assert title.evaluate("e => getComputedStyle(e).direction") == "rtl"
    source = page.locator("#tr-1-source")
    assert source.evaluate("e => getComputedStyle(e).direction") == "ltr"
    # Side by side on a laptop: the original starts before the translation.
    assert source.bounding_box()["x"] < title.bounding_box()["x"]

    page.goto("/staff/surveys/1/translations")
    page.set_input_files(
        "#ar-file", files=[{"name": "ar.csv", "mimeType": "text/csv", "buffer": b"nonsense"}]
    )
    page.get_by_role("button", name="Import the Arabic file").click()
    assert "The column “key” is missing." in page.get_by_role("alert").inner_text()
    problems["import errors"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_translation_editor_saves_without_javascript(page_without_js):
    page = page_without_js
    _sign_in(page)
    page.wait_for_url("**/staff/")
    page.goto("/staff/surveys/1/translations/es")
    page.locator("input[name='text-title']").fill("Eastside: ¿qué le facilitaría la vida?")
    page.get_by_role("button", name="Save translations").click()
    assert "Translations saved" in page.locator(".flash").inner_text()
    field = page.locator("input[name='text-title']")
    assert field.input_value() == "Eastside: ¿qué le facilitaría la vida?"


def test_a_member_links_themes_of_two_languages_without_javascript(page_without_js, page):
    from tests.browser.test_resident_survey import _violations

    _sign_in(page, email="staff@example.org")
    page.wait_for_url("**/staff/")
    page.get_by_role("link", name="Themes").first.click()
    # The demo's feedback is analysed already: analyse it again (inline, without Redis).
    page.get_by_role("button", name="Analyse again").click(timeout=120_000)
    expect(page.get_by_text("The analysis has started.")).to_be_visible()
    assert _violations(page) == []  # the themes page with its link forms

    member = page_without_js
    _sign_in(member, email="member@example.org")
    member.wait_for_url("**/staff/")
    member.goto(page.url)
    theme_section = member.locator("section.theme:has(.link-theme)").first
    options = theme_section.locator("option:not([value=''])")
    choice = options.first.get_attribute("value")
    label = options.first.inner_text()
    theme_section.get_by_label("Link to a theme in another language").select_option(choice)
    theme_section.get_by_role("button", name="Link the themes").click()
    assert "is now linked to" in member.locator(".flashes").inner_text()
    linked_section = member.locator(f"#board-{choice}")  # links are between board themes
    assert "linked by a workgroup" in linked_section.inner_text()
    assert label in member.locator(".theme-groups").inner_text()
