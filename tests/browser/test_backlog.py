"""The backlog, the sprint board and the meeting view in a real browser, on a laptop (and
the meeting view on a projector), in English and Arabic: axe finds nothing serious, a
"not now" without a reason is refused with a message, the board works without
JavaScript, the meeting view is navigable with the keyboard."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from engage.extensions import db
from engage.models import Campaign, Opportunity, Sprint
from tests.browser.test_dashboard import _sign_in
from tests.browser.test_resident_survey import _violations


def _serious(page) -> list[str]:
    return [v for v in _violations(page) if v]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_backlog_sprint_board_and_meeting_view_pass_axe(page, live_app, lang):
    with live_app.app_context():
        campaign = db.session.scalar(
            sa.select(Campaign).where(Campaign.slug == "eastside-listening")
        )
        campaign_id = campaign.id
        scored = db.session.scalar(
            sa.select(Opportunity).where(Opportunity.outcome == "reliable_bus")
        )
        opportunity_id = scored.id
        running = db.session.scalar(sa.select(Sprint).where(Sprint.status == "running")).id
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "member@example.org", lang)
    page.locator(f"a[href='/staff/campaigns/{campaign_id}/backlog']").click()
    assert page.locator("#not-now li").count() >= 1
    problems = {"backlog": _serious(page)}
    page.goto(f"/staff/opportunities/{opportunity_id}")
    # Its evidence: the demo board's themes, in the workgroup's words, in two languages.
    evidence = page.locator(".evidence-themes li")
    assert evidence.count() == 2 and "Buses we can count on" in evidence.first.inner_text()
    problems["opportunity"] = _serious(page)
    page.locator("#status").select_option("not_now")
    page.locator("form[action$='/status'] button[type=submit]").click()
    assert page.get_by_role("alert").is_visible()
    assert page.title().startswith("Error:") or page.title().startswith("خطأ")
    problems["not now refused"] = _serious(page)
    page.goto(f"/staff/sprints/{running}")
    problems["sprint board"] = _serious(page)
    card = page.locator(".board-column").nth(0).locator(".card").first
    card.locator("button").first.click()  # to do → doing, a plain form post
    page.wait_for_load_state()
    assert page.locator(".board-column").nth(1).locator(".card").count() >= 1
    for url in (
        f"/staff/campaigns/{campaign_id}/backlog/impact-effort",
        f"/staff/campaigns/{campaign_id}/decisions?q=SMS",
        f"/staff/campaigns/{campaign_id}/voting",
        f"/staff/campaigns/{campaign_id}/sprints",
        f"/staff/campaigns/{campaign_id}/backlog/new",
    ):
        page.goto(url)
        problems[url] = _serious(page)
    page.goto(f"/staff/campaigns/{campaign_id}/meeting")
    problems["meeting"] = _serious(page)
    page.locator(".meeting-nav a[href='#top']").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#top"
    page.keyboard.press("PageDown")
    assert page.evaluate("location.hash") == "#not-now"
    assert page.evaluate("document.activeElement.id") == "not-now"
    page.set_viewport_size({"width": 1920, "height": 1080})
    problems["meeting on a projector"] = _serious(page)
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.meeting')).fontSize)"
    )
    assert size >= 24
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920
    assert {k: v for k, v in problems.items() if v} == {}
