"""The staff invitations page in Chromium: links, a CSV download that needs no script."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import expect

from engage.builder.publishing import get_survey_by_slug
from engage.extensions import db
from tests.browser.test_resident_survey import _violations


def _demo_survey_id(app) -> int:
    with app.app_context():
        survey_id = get_survey_by_slug(db.session, "demo").id
        db.session.remove()
        return survey_id


def test_staff_download_new_invitation_links_and_a_resident_uses_one(
    page, browser, live_server, live_app
):
    page.goto("/auth/login")
    page.get_by_label("Email address").fill("staff@example.org")
    page.get_by_label("Password", exact=True).fill("engage-demo")
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/staff/surveys/{_demo_survey_id(live_app)}/invites")
    page.get_by_role("button", name="Allow only invited residents").click()
    page.get_by_label("Labels (optional)").fill("Panel 1\nPanel 2")
    page.get_by_role("button", name="Create invitations").click()
    expect(page.locator("script")).to_have_count(0)  # the download is a plain link
    assert _violations(page) == []

    with page.expect_download() as info:
        page.get_by_role("link", name="Download the links (CSV)").click()
    download = info.value
    assert download.suggested_filename == "invitations-demo.csv"
    with open(download.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert rows[0] == ["link", "label"] and [r[1] for r in rows[1:]] == ["Panel 1", "Panel 2"]

    resident = browser.new_context(base_url=live_server).new_page()
    try:
        resident.goto("/s/demo")
        assert "This survey is by invitation" in resident.locator("h1").inner_text()
        resident.goto(rows[1][0])
        resident.locator("main form button[type=submit]").first.click()
        assert resident.url.endswith("/s/demo/p/welcome")
    finally:
        resident.context.close()
