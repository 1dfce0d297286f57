"""Importing a file of responses in a real browser: the error table and the success,
in English and Arabic, and both pages pass axe's WCAG checks."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from engage.exports.services import survey_by_slug
from engage.exports.writers import stream_export
from engage.extensions import db
from engage.models import Response, SurveyVersion
from tests.browser.signin import sign_in
from tests.browser.test_resident_survey import _violations


def _responses_to(survey_id: int) -> int:
    """The survey's responses (the demo campaign's co-design rounds have their own)."""
    return db.session.scalar(
        sa.select(sa.func.count(Response.id))
        .join(SurveyVersion, SurveyVersion.id == Response.survey_version_id)
        .where(SurveyVersion.survey_id == survey_id)
    )


def _demo_export(app) -> tuple[int, bytes, int]:
    with app.app_context():
        survey = survey_by_slug(db.session, "demo")
        data = b"".join(stream_export(db.session, survey, "csv"))
        return survey.id, data, _responses_to(survey.id)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_staff_import_paper_forms_after_fixing_the_file(page, live_app, lang):
    survey_id, exported, before = _demo_export(live_app)
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "staff@example.org", lang)
    page.goto(f"/staff/surveys/{survey_id}")
    page.locator(f"a[href='/staff/surveys/{survey_id}/responses/import']").click()
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    problems = {"form": _violations(page)}

    broken = exported.replace(b"\r\n", b"\r\nxx", 1)  # the first row gets a bad id cell
    broken += b"1,1,not a date,,en,web,,,,,\r\n"
    page.locator("#file").set_input_files(
        files=[{"name": "forms.csv", "mimeType": "text/csv", "buffer": broken}]
    )
    page.locator("main form button[type=submit]").click()
    alert = page.get_by_role("alert").last
    assert alert.locator("table tbody tr").count() >= 1
    problems["errors"] = _violations(page)
    with live_app.app_context():
        assert _responses_to(survey_id) == before

    page.locator("#file").set_input_files(
        files=[{"name": "forms.csv", "mimeType": "text/csv", "buffer": exported}]
    )
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/staff/surveys/{survey_id}")
    with live_app.app_context():
        assert _responses_to(survey_id) == 2 * before
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_staff_read_filter_and_set_aside_a_response(page, live_app, lang):
    with live_app.app_context():
        survey = survey_by_slug(db.session, "demo")
        campaign_id = survey.campaign_id
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, "staff@example.org", lang)
    page.locator(f"a[href='/staff/campaigns/{campaign_id}/responses']").click()
    problems = {"list": _violations(page)}
    page.locator("#channel").select_option("paper")
    page.locator("main form button[type=submit]").click()
    assert "channel=paper" in page.url
    page.locator("main table a").first.click()
    problems["detail"] = _violations(page)
    page.locator("#reason").select_option("spam")
    page.locator("#note").fill("test entry")
    page.locator("form[action$='/exclude'] button").click()
    expect(page.locator(".notice")).to_be_visible()
    problems["set aside"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
