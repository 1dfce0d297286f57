"""In Chromium, with axe, English and Arabic: the thank-you page's contact boxes with an
error on a 360-px phone, and on a laptop the staff's contact list and export form."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from engage.exports.services import survey_by_slug
from engage.extensions import db
from engage.models import ContactOptIn, Response
from engage.resident import drafts
from tests.browser.signin import sign_in
from tests.browser.test_resident_survey import _violations


def _answers_sent(page, live_app, live_server, lang):
    """Make the browser one whose answers to the demo survey were sent."""
    with live_app.app_context():
        survey = survey_by_slug(db.session, "demo")
        new = drafts.start_draft(db.session, version=survey.current_version, language=lang)
        response = Response(version=survey.current_version, language=lang)
        db.session.add(response)
        db.session.flush()
        new.draft.response_id = response.id
        db.session.commit()
        name, token = f"draft_{survey.id}", new.token
    page.context.add_cookies([{"name": name, "value": token, "url": f"{live_server}/s/demo"}])


def _sign_in_as_staff(page, lang):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "staff@example.org", lang)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_bad_phone_number_on_a_phone_keeps_what_was_typed(page, live_app, live_server, lang):
    _answers_sent(page, live_app, live_server, lang)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/s/demo/thanks?lang={lang}")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    problems = {"form": _violations(page)}
    page.locator("#name").fill("سارة" if lang == "ar" else "Sara")
    page.locator("#method-phone").check()
    page.locator("#phone").fill("0770 900 123")
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.locator("#phone").input_value() == "0770 900 123"
    assert page.locator("#method-phone").is_checked()
    assert page.locator("#phone").get_attribute("aria-invalid") == "true"
    problems["error"] = _violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.locator("#phone").fill("+44 7700 900123")
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("status")).to_be_visible()
    with live_app.app_context():
        assert db.session.query(ContactOptIn.contact).all()[-1] == ("+447700900123",)
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_staff_read_the_contact_opt_ins_on_a_laptop(page, live_app, lang):
    with live_app.app_context():
        campaign_id = survey_by_slug(db.session, "demo").campaign_id
        for name, contact, language in [
            ("Rosa", "rosa@example.org", "es"),
            ("سارة", "+966551234567", "ar"),
        ]:
            db.session.add(
                ContactOptIn(
                    campaign_id=campaign_id,
                    name=name,
                    contact=contact,
                    language=language,
                    created_at=datetime(2026, 11, 20, tzinfo=UTC),
                )
            )
        db.session.commit()
    _sign_in_as_staff(page, lang)
    page.goto(f"/staff/campaigns/{campaign_id}/contacts")
    assert page.locator("table tbody tr").count() >= 2
    expect(page.locator("a[href='tel:+966551234567']")).to_be_visible()
    with page.expect_download() as download:
        page.locator("form[action$='/contacts/export'] button").click()
    assert download.value.suggested_filename.endswith("-contacts.csv")
    assert _violations(page) == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_export_form_on_a_laptop_with_an_error(page, live_app, lang):
    with live_app.app_context():
        survey_id = survey_by_slug(db.session, "demo").id
    _sign_in_as_staff(page, lang)
    page.goto(f"/staff/surveys/{survey_id}/responses/export")
    problems = {"form": _violations(page)}
    page.locator("#submitted_from").fill("2026-11-20")
    page.locator("#submitted_to").fill("2026-11-01")
    page.locator("#values").select_option("labels:ar")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.locator("#submitted_from").input_value() == "2026-11-20"
    assert page.locator("#values").input_value() == "labels:ar"
    problems["error"] = _violations(page)
    page.locator("#submitted_to").fill("")
    with page.expect_download() as download:
        page.locator("main form button[type=submit]").click()
    assert download.value.suggested_filename == "demo-responses.zip"
    assert {k: v for k, v in problems.items() if v} == {}
