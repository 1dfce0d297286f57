"""An imported ``geopoint``, answered on a 360-px phone without JavaScript, in English and
Arabic: the resident chooses "somewhere else" in the list of the campaign's areas and
types the place; the page fits the phone and has no serious WCAG finding (axe)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from engage.extensions import db
from engage.models import Response
from surveys.xlsform import import_xlsform
from tests.browser.test_ranking import PHONE, _serious
from tests.factories import make_survey
from tests.surveys.test_xlsform import workbook_bytes
from tests.surveys.test_xlsform_location import AREAS, SURVEY

ELSEWHERE = {"en": "Somewhere else (type the place)", "ar": "مكان آخر (اكتب اسم المكان)"}
PLACE = {"en": "If somewhere else, type the place", "ar": "إذا كان في مكان آخر، فاكتب اسم المكان"}


def _last_answers(live_app) -> dict:
    """The newest response's answers, by question code."""
    with live_app.app_context():
        response = db.session.scalar(sa.select(Response).order_by(Response.id.desc()))
        return {a.question_code: a.value for a in response.answers}


@pytest.fixture
def slug(live_app) -> str:
    definition = import_xlsform(workbook_bytes(SURVEY), areas=AREAS).definition
    data = {**definition.to_dict(), "slug": "where", "title": {"en": "Where", "ar": "أين"}}
    with live_app.app_context():
        make_survey(db.session, definition=data)
    return "where"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_location_on_a_phone_without_javascript(browser, live_server, live_app, slug, lang):
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/s/{slug}?lang={lang}")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.locator("select#where").select_option(label=ELSEWHERE[lang])
        page.get_by_label(PLACE[lang], exact=True).fill("Bridge St")  # the label says so
        page.locator("#what").fill("pothole")
        page.locator("button[value=next]").click()
        expect(page).to_have_url(re.compile(r"/thanks(#.*)?$"))
    finally:
        context.close()
    answers = _last_answers(live_app)
    assert answers["where"] == "elsewhere" and answers["what"] == "pothole"


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_location_page_passes_axe(browser, live_server, slug, lang):
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"/s/{slug}?lang={lang}")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        expect(page.locator("select#where option")).to_have_count(len(AREAS) + 2)
        assert _serious(page) == []
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_place_box_belongs_to_somewhere_else(browser, live_server, live_app, slug, lang):
    """With the script, the box to type the place shows only with "somewhere else";
    without it, its label says it is for somewhere else. An area chosen is stored
    without the place typed before it was chosen."""
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(f"/s/{slug}?lang={lang}")
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        box = page.get_by_label(PLACE[lang], exact=True)
        expect(box).to_be_hidden()
        page.locator("select#where").select_option(label=ELSEWHERE[lang])
        expect(box).to_be_visible()
        box.fill("Bridge St")
        assert _serious(page) == []
        page.locator("select#where").select_option(label="Riverside")
        expect(box).to_be_hidden()
        page.locator("#what").fill("flood")
        page.locator("button[value=next]").click()
        expect(page).to_have_url(re.compile(r"/thanks(#.*)?$"))
    finally:
        context.close()
    answers = _last_answers(live_app)
    assert answers == {"where": "riverside", "what": "flood"}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_staff_edit_the_label_of_the_place_box(browser, live_server, live_app, slug, lang):
    """On a laptop, the question editor shows the box's label in the survey language
    being edited; changed, the resident page shows it. No serious WCAG finding."""
    from engage.models import Survey
    from tests.browser.signin import sign_in

    with live_app.app_context():
        survey_id = db.session.scalar(sa.select(Survey.id).where(Survey.slug == slug))
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        sign_in(page, "staff@example.org", lang)
        page.goto(f"/staff/surveys/{survey_id}/questions/where?language=en")
        box = page.locator("#specify_label")
        expect(box).to_have_value(PLACE["en"])
        assert _serious(page) == []
        box.fill("Type the street")
        page.locator("button.button--primary[name=action][value=save]").click()
        page.wait_for_load_state()
        page.goto(f"/staff/surveys/{survey_id}/preview?language=en")
        page.locator("select#where").select_option(label=ELSEWHERE["en"])
        expect(page.get_by_label("Type the street", exact=True)).to_be_visible()
    finally:
        context.close()
