"""In Chromium, with axe, English and Arabic, on a laptop: a large export prepared in the
background (its page while running and when ready, and the download), and the response
list and detail naming the interviewer, the place and the paper form number."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from engage.exports.services import survey_by_slug
from engage.extensions import db
from engage.models import ExportFile, Response, User
from tests.browser.test_contacts_and_exports import _sign_in_as_staff
from tests.browser.test_resident_survey import _violations


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_large_export_is_prepared_then_downloaded(page, live_app, tmp_path, lang):
    live_app.config.update(EXPORT_STREAM_LIMIT=10, EXPORT_FOLDER=str(tmp_path))
    with live_app.app_context():
        survey = survey_by_slug(db.session, "demo")
        survey_id = survey.id
        staff_id = db.session.scalar(sa.select(User.id).where(User.email == "staff@example.org"))
        running = ExportFile(
            survey_id=survey_id,
            created_by_id=staff_id,
            total=420,
            download_name="demo-responses.xlsx",
        )
        db.session.add(running)
        db.session.flush()
        running.start(420)
        running.advance(200)
        db.session.commit()
        running_id = running.id
    _sign_in_as_staff(page, lang)
    page.goto(f"/staff/exports/{running_id}")
    expect(page.locator("progress")).to_be_visible()
    problems = {"running": _violations(page)}

    page.goto(f"/staff/surveys/{survey_id}/responses/export")
    page.locator("#format").select_option("csv")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/staff/exports/*")
    assert page.url.rsplit("/", 1)[-1] != str(running_id)
    link = page.locator("a[href$='/download']")
    expect(link).to_be_visible()
    problems["ready"] = _violations(page)
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "demo-responses.zip"

    page.goto(f"/staff/surveys/{survey_id}/responses/export")
    expect(page.locator("#recent-title")).to_be_visible()
    problems["form"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_responses_name_their_interviewer_place_and_paper_form(page, live_app, lang):
    with live_app.app_context():
        survey = survey_by_slug(db.session, "demo")
        campaign_id = survey.campaign_id
        interviewer = db.session.scalar(
            sa.select(User).where(User.email == "interviewer@example.org")
        )
        response = db.session.scalar(
            sa.select(Response).where(~Response.is_excluded).order_by(Response.id.desc())
        )
        response.entered_by_id = interviewer.id
        response.place, response.form_number = "Northgate library", "P-0042"
        db.session.commit()
        response_id, name = response.id, interviewer.name
    _sign_in_as_staff(page, lang)
    page.goto(f"/staff/campaigns/{campaign_id}/responses?place=Northgate+library")
    expect(page.locator("table").get_by_text(name).first).to_be_visible()
    assert page.locator("#interviewer").count() == 1
    problems = {"list": _violations(page)}
    page.goto(f"/staff/responses/{response_id}")
    expect(page.get_by_text("P-0042")).to_be_visible()
    expect(page.get_by_text("Northgate library")).to_be_visible()
    problems["detail"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_purpose_of_contact_written_on_the_campaign_reaches_the_resident(
    page, live_app, live_server, lang
):
    from tests.browser.test_contacts_and_exports import _answers_sent

    with live_app.app_context():
        campaign_id = survey_by_slug(db.session, "demo").campaign_id
    _sign_in_as_staff(page, lang)
    page.goto(f"/staff/campaigns/{campaign_id}/edit")
    purpose = "سندعوك إلى ورشة الحافلات في مارس." if lang == "ar" else "To invite you in March."
    page.locator(f"#contact_purpose_{lang}").fill(purpose)
    problems = {"campaign": _violations(page)}
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator(f"#contact_purpose_{lang}")).to_have_value(purpose)
    page.context.clear_cookies()

    _answers_sent(page, live_app, live_server, lang)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"/s/demo/thanks?lang={lang}")
    expect(page.locator("#contact-purpose")).to_contain_text(purpose)
    problems["thanks"] = _violations(page)
    page.locator("#email").fill("rosa@example.org")
    page.locator("main form button[type=submit]").last.click()
    expect(page.get_by_role("status")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert {k: v for k, v in problems.items() if v} == {}
