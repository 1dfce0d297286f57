"""An XLSForm with a cascading select and defaults, answered on a 360-px phone, with and
without JavaScript, in English and Arabic: the district is filled in beforehand and can be
changed, the next page offers only that district's villages, the page fits the phone and
has no serious WCAG finding. Staff then read the response with its calculation, on a
laptop, also without a serious finding."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from engage.extensions import db
from engage.models import Response
from surveys.xlsform import import_xlsform
from tests.browser.signin import sign_in
from tests.browser.test_ranking import PHONE, _serious
from tests.factories import make_survey
from tests.surveys.test_xlsform import workbook_bytes
from tests.surveys.test_xlsform_defaults_and_filters import CASCADE, PLACES

LABELS = {
    "en": {
        "north": "North",
        "south": "South",
        "port": "Port",
        "hill": "Hill",
        "train": "Train",
        "bus": "Bus",
    },
    "ar": {
        "north": "الشمال",
        "south": "الجنوب",
        "port": "الميناء",
        "hill": "التل",
        "train": "قطار",
        "bus": "حافلة",
    },
}


@pytest.fixture
def slug(live_app) -> str:
    definition = import_xlsform(workbook_bytes(CASCADE, PLACES)).definition
    data = {
        **definition.to_dict(),
        "slug": "places",
        "title": {"en": "Places", "ar": "الأماكن"},
        "calculations": [{"code": "twice", "expression": "${years} * 2"}],
    }
    with live_app.app_context():
        make_survey(db.session, definition=data)
    return "places"


def _fits(page) -> None:
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def _answer(page, slug: str, lang: str, *, axe: bool) -> None:
    words = LABELS[lang]
    page.goto(f"/s/{slug}?lang={lang}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(f"**/s/{slug}/p/where")
    _fits(page)
    assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
    expect(page.get_by_label(words["north"], exact=True)).to_be_checked()  # the default
    if axe:
        assert _serious(page) == []
    page.get_by_label(words["south"], exact=True).check()
    page.locator("button[value=next]").click()
    page.wait_for_url(f"**/s/{slug}/p/where_2")
    _fits(page)
    expect(page.get_by_label(words["port"], exact=True)).to_be_visible()
    expect(page.get_by_label(words["hill"], exact=True)).to_have_count(0)
    expect(page.locator("#years")).to_have_value("5")
    if axe:
        assert _serious(page) == []
    page.get_by_label(words["port"], exact=True).check()
    page.locator("#years").fill("12")
    page.locator("button[value=next]").click()
    expect(page.get_by_label(words["bus"], exact=True)).to_be_checked()  # bus and walking
    page.get_by_label(words["bus"], exact=True).uncheck()
    page.get_by_label(words["train"], exact=True).check()
    page.locator("button[value=next]").click()
    page.wait_for_url(f"**/s/{slug}/p/page_3_2")
    expect(page.locator("input[name=most]")).to_have_count(2)  # train and walking, as chosen
    page.get_by_label(words["train"], exact=True).check()
    page.locator("button[value=next]").click()
    expect(page).to_have_url(re.compile(r"/thanks(#.*)?$"))


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_cascading_choices_on_a_phone_without_javascript(browser, live_server, slug, lang):
    context = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    try:
        _answer(context.new_page(), slug, lang, axe=False)
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_cascading_choices_on_a_phone_with_the_script_pass_axe(
    browser, live_server, live_app, slug, lang
):
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    try:
        _answer(context.new_page(), slug, lang, axe=True)
    finally:
        context.close()
    # Staff read the response, with the calculation worked out when it was sent.
    with live_app.app_context():
        response_id = db.session.scalar(sa.select(sa.func.max(Response.id)))
    staff = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800})
    try:
        page = staff.new_page()
        sign_in(page, "staff@example.org", lang)
        page.goto(f"/staff/responses/{response_id}")
        expect(page.locator("main")).to_contain_text("${years} * 2")
        # 12 years, twice: a value of its own (a time sent such as 08:24 is not it)
        expect(page.locator("main dd", has_text=re.compile(r"^\s*24\s*$"))).to_have_count(1)
        assert _serious(page) == []
    finally:
        staff.close()


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_paper_and_preview_group_the_villages_under_their_district(
    browser, live_server, live_app, slug, lang
):
    """Where the district is not known (a printed form, the builder's preview on a
    laptop) the villages are grouped under their district, in the survey's language and
    direction, with how to choose; no serious WCAG finding."""
    words = LABELS[lang]
    with live_app.app_context():
        from engage.models import Survey

        survey_id = db.session.scalar(sa.select(Survey.id).where(Survey.slug == slug))
    staff = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 800})
    try:
        page = staff.new_page()
        sign_in(page, "staff@example.org", lang)
        page.goto(f"/staff/surveys/{survey_id}/paper/{lang}")
        assert page.evaluate("document.documentElement.dir") == ("rtl" if lang == "ar" else "ltr")
        expect(page.locator(".paper-group")).to_have_text([words["north"], words["south"]])
        expect(page.locator(".paper-filter").first).to_be_visible()
        assert _serious(page) == []
        page.goto(f"/staff/surveys/{survey_id}/preview?page=2&language={lang}")
        groups = page.locator("fieldset.choice-group legend")
        expect(groups).to_have_text([words["north"], words["south"]])
        south = page.locator("fieldset.choice-group", has_text=words["south"])
        expect(south.get_by_label(words["port"], exact=True)).to_be_visible()
        expect(page.locator("#village-filter")).to_be_visible()
        assert _serious(page) == []
    finally:
        staff.close()
