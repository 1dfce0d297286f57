"""Workgroup administration and the audit log in a real browser, on a laptop, in English
and Arabic: free of serious accessibility findings, and usable without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from engage.demo_data.loader import DEMO_WORKGROUP
from tests.browser.signin import sign_in
from tests.browser.test_resident_survey import _violations

LAPTOP = {"width": 1366, "height": 768}


def _sign_in_as_admin(page, lang: str = "en") -> None:
    page.set_viewport_size(LAPTOP)
    sign_in(page, "admin@example.org", lang)
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_workgroup_and_audit_pages_pass_axe_on_a_laptop(page, lang, tmp_path):
    _sign_in_as_admin(page, lang)
    problems = {}
    page.goto("/admin/workgroups")
    problems["list"] = _violations(page)
    page.goto("/admin/workgroups/new")
    problems["new"] = _violations(page)
    page.locator("main form button[type=submit]").click()  # no name: errors shown
    expect(page.locator(".error-summary")).to_be_visible()
    problems["new with errors"] = _violations(page)
    page.goto("/admin/workgroups")
    page.locator("table a", has_text=DEMO_WORKGROUP).click()
    problems["workgroup"] = _violations(page)
    page.locator("form[action$='/members'] button[type=submit]").click()  # nobody chosen
    expect(page.locator("#user_id[aria-invalid=true]")).to_have_count(1)
    problems["workgroup with errors"] = _violations(page)

    page.goto("/admin/audit")
    problems["audit log"] = _violations(page)
    page.locator("#action").select_option("campaign_assigned")
    page.locator("#actor").fill("admin@")
    page.locator(".filter-buttons button[type=submit]").click()
    assert "action=campaign_assigned" in page.url and "actor=admin%40" in page.url
    assert page.locator("#actor").input_value() == "admin@"
    problems["audit log filtered"] = _violations(page)
    page.screenshot(path=str(tmp_path / f"audit-{lang}.png"), full_page=True)
    page.goto("/admin/audit?since=2026-13-45")  # what a hand-edited address can hold
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    summary.locator("a").first.click()
    assert page.evaluate("document.activeElement.id") == "since"
    problems["audit log with errors"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


def test_workgroups_are_managed_without_javascript(page_without_js):
    page = page_without_js
    _sign_in_as_admin(page)
    page.goto("/admin/workgroups/new")
    page.locator("#name").fill("Parks")
    page.locator("#description").fill("Parks and green spaces.")
    page.locator("main form button[type=submit]").click()
    assert page.locator("h1").inner_text() == "Parks"
    page.locator("#user_id").select_option(label="Marco Member (member@example.org)")
    page.locator("form[action$='/members'] button[type=submit]").click()
    assert "member@example.org" in page.locator("#members table").inner_text()
    page.locator("#campaign_id").select_option(label="Eastside Neighbourhood Listening")
    page.locator("form[action$='/campaigns'] button[type=submit]").click()
    assert "Eastside Neighbourhood Listening" in page.locator("#campaigns table").inner_text()
    page.get_by_role("button", name="Remove Marco Member").click()
    expect(page.locator("#members table")).to_have_count(0)

    page.goto("/admin/audit?action=member_removed")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1
    assert "Parks" in rows.first.inner_text()
    assert "Person: member@example.org" in rows.first.inner_text()
