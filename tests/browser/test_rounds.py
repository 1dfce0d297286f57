"""Co-design rounds in a real browser: a resident reacts to the demo's open round on a
phone (with JavaScript on), staff read a round's results on a laptop; English and
Arabic, every page checked with axe, nothing scrolling sideways on the phone."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from engage.exports.services import survey_by_slug
from engage.extensions import db
from engage.models import CodesignRound, FeedbackItem, Response, SurveyVersion
from tests.browser.test_dashboard import _sign_in
from tests.browser.test_resident_survey import _violations


def _responses(app, slug: str) -> list[Response]:
    with app.app_context():
        survey = survey_by_slug(db.session, slug)
        return db.session.scalars(
            sa.select(Response)
            .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
            .where(SurveyVersion.survey_id == survey.id)
        ).all()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_resident_reacts_to_a_prototype_on_a_phone(page, live_app, lang):
    before = len(_responses(live_app, "demo-round-2"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/s/demo-round-2?lang={lang}")
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    problems = {"intro": _violations(page)}
    page.locator("main form button[type=submit]").first.click()
    picture = page.locator("img.page-image")
    expect(picture).to_be_visible()
    picture.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('img.page-image').naturalWidth > 0")
    assert picture.get_attribute("alt")
    problems["prototype"] = _violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.locator("input[value=works]").check()
    comment = "ضعوا كاميرا في المظلة" if lang == "ar" else "Add a camera for safety"
    page.locator("main textarea").fill(comment)
    page.locator("button[value=next]").click()
    page.wait_for_url("**/thanks**")
    problems["thanks"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
    stored = _responses(live_app, "demo-round-2")
    assert len(stored) == before + 1
    with live_app.app_context():
        item = db.session.scalar(sa.select(FeedbackItem).where(FeedbackItem.text == comment))
        assert item is not None and item.language == lang


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_round_results_on_a_laptop(page, live_app, lang):
    with live_app.app_context():
        second = db.session.scalar(
            sa.select(CodesignRound).order_by(CodesignRound.id.desc()).limit(1)
        )
        round_id, prototype_id = second.id, second.prototypes[0].id
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "staff@example.org", lang)
    page.goto(f"/staff/rounds/{round_id}/results")
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("main table").first).to_be_visible()
    assert page.locator("h3").count() >= 2  # the change since version 1, the comments
    problems = {"results": _violations(page)}
    page.goto(f"/staff/rounds/{round_id}")
    problems["round"] = _violations(page)
    page.goto(f"/staff/rounds/{round_id}/prototypes/{prototype_id}")
    expect(page.locator("main img")).to_be_visible()
    problems["prototype"] = _violations(page)
    assert {k: v for k, v in problems.items() if v} == {}
