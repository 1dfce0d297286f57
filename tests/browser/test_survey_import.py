"""Importing an XLSForm in a real browser, on a laptop, in English and Arabic: the preview
lists what was left out or changed, nothing is created until it is confirmed, and the page
has no serious or critical accessibility finding (axe)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from engage.extensions import db
from engage.models import Campaign, Survey
from tests.browser.signin import sign_in
from tests.browser.test_privacy_pages import _serious
from tests.web.test_survey_import_preview import FORM, FROM_FILE, STOPS_CSV


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Survey.id)))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_staff_preview_then_confirm_an_xlsform_import(page, live_app, lang):
    with live_app.app_context():
        campaign_id = db.session.scalar(sa.select(Campaign.id).order_by(Campaign.id))
    before = _count(live_app)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "staff@example.org", lang)
    page.goto(f"/staff/campaigns/{campaign_id}/surveys/new")
    page.locator("#definition_file").set_input_files(
        files=[{"name": "bus.xlsx", "mimeType": "application/octet-stream", "buffer": FORM}]
    )
    page.locator("main form button[type=submit]").click()
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    rows = page.locator("main table tbody tr")
    assert rows.count() == 2  # the photo row, and the condition with string-length()
    assert "image" in rows.first.inner_text()
    problems = _serious(page)
    assert _count(live_app) == before

    page.locator("main form.actions button[type=submit]").click()
    page.wait_for_url("**/staff/surveys/*")
    assert _count(live_app) == before + 1
    assert problems == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_staff_upload_a_form_with_the_csv_of_its_choices(page, live_app, lang):
    with live_app.app_context():
        campaign_id = db.session.scalar(sa.select(Campaign.id).order_by(Campaign.id))
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "staff@example.org", lang)
    page.goto(f"/staff/campaigns/{campaign_id}/surveys/new")
    assert _serious(page) == []
    page.locator("#definition_file").set_input_files(
        files=[{"name": "stops.xlsx", "mimeType": "application/octet-stream", "buffer": FROM_FILE}]
    )
    page.locator("#media_files").set_input_files(
        files=[{"name": "stops.csv", "mimeType": "text/csv", "buffer": STOPS_CSV.encode()}]
    )
    page.locator("main form button[type=submit]").click()
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1  # lines.csv was not given: that question is left out
    assert "lines.csv" in rows.first.inner_text()
    assert "أي محطة؟" in page.content() or "Which stop?" in page.content()
    assert _serious(page) == []
