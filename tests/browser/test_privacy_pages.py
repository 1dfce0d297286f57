"""The residents' data page in a real browser, at laptop size, in English and Arabic."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from engage.extensions import db
from engage.models import Campaign, ContactOptIn, Response
from tests.browser.signin import sign_in

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
LAPTOP = {"width": 1366, "height": 768}


def _serious(page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


@pytest.fixture
def resident_contact(live_app):
    with live_app.app_context():
        campaign = db.session.scalar(sa.select(Campaign).order_by(Campaign.id))
        db.session.add(
            ContactOptIn(
                campaign_id=campaign.id, name="Rosa", contact="rosa@example.org", language="es"
            )
        )
        db.session.commit()
        response_id = db.session.scalar(sa.select(sa.func.min(Response.id)))
        return campaign.id, response_id


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_staff_find_and_delete_a_residents_data(
    browser, live_server, live_app, resident_contact, lang, tmp_path
):
    campaign_id, response_id = resident_contact
    context = browser.new_context(base_url=live_server, viewport=LAPTOP, locale="en-GB")
    page = context.new_page()
    sign_in(page, "staff@example.org", lang)
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")

    page.locator("a[href='/staff/privacy/resident-data']").click()
    problems = {"search": _serious(page)}
    page.locator("main form button[type=submit]").first.click()  # nothing entered
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.title().startswith("خطأ:" if lang == "ar" else "Error:")
    problems["errors"] = _serious(page)

    page.locator("#contact").fill("rosa@example.org")
    page.locator("#reference").fill(str(response_id))
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("table")).to_have_count(2)  # her response, her contact details
    assert "rosa@example.org" in page.locator("main").inner_text()
    problems["found"] = _serious(page)
    page.screenshot(path=str(tmp_path / f"resident-data-{lang}.png"), full_page=True)

    page.locator("form[action$='/delete'] button[type=submit]").click()
    expect(page.locator(".flash--success")).to_be_visible()
    assert "rosa@example.org" not in page.content()
    problems["deleted"] = _serious(page)

    page.goto(f"/staff/campaigns/{campaign_id}/edit")
    expect(page.locator("#retention")).to_be_visible()
    problems["campaign"] = _serious(page)
    context.close()

    assert {k: v for k, v in problems.items() if v} == {}
    with live_app.app_context():
        assert db.session.get(Response, response_id) is None
        contacts = db.session.scalars(sa.select(ContactOptIn.contact)).all()
        assert "rosa@example.org" not in contacts
