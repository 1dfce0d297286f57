"""Interviewer mode on a phone and on a tablet, in English and Arabic: start, answer for a
resident in their language, start the next one in one tap; axe-checked, no sideways
scrolling."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from engage.extensions import db
from engage.models import Answer, Response, ResponseDraft
from tests.browser.signin import sign_in
from tests.browser.test_resident_survey import _violations


def _complete_answers(app) -> dict:
    """A demo resident's stored answers: a complete, valid set for the demo survey."""
    with app.app_context():
        first = db.session.scalar(sa.select(Response.id).order_by(Response.id))
        rows = db.session.execute(
            sa.select(Answer.question_code, Answer.value).where(Answer.response_id == first)
        )
        return dict(rows.all())


# Interviewers work on a phone or a tablet (landscape).
SIZES = {"phone": {"width": 360, "height": 740}, "tablet": {"width": 1024, "height": 768}}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_an_interviewer_takes_down_answers_on_a_phone_or_tablet(page, live_app, lang, size):
    width = SIZES[size]["width"]
    page.set_viewport_size(SIZES[size])
    sign_in(page, "interviewer@example.org", lang)
    page.locator("a[href='/staff/interviews']").click()
    problems = {"start": _violations(page)}
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    card = page.locator(".interview-card").first
    card.locator("select").select_option(lang)
    card.locator("input[type=text]").fill("Eastside library")
    card.locator("button").click()
    page.wait_for_url("**/s/demo/p/**")
    assert page.evaluate("document.documentElement.lang") == lang
    problems["first page"] = _violations(page)
    with live_app.app_context():  # the interview's answers are complete: send them
        draft = db.session.scalar(sa.select(ResponseDraft).order_by(ResponseDraft.id.desc()))
        draft.answers = _complete_answers(live_app)
        db.session.commit()
    last = page.url.rsplit("/p/", 1)[0] + "/p/anything_else"
    page.goto(last)
    page.locator("button[value=next]").click()
    page.wait_for_url("**/s/demo/thanks")
    button = page.locator("form.next-interview button")
    expect(button).to_be_visible()
    problems["thanks"] = _violations(page)
    button.click()
    page.wait_for_url("**/s/demo/p/**")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert {k: v for k, v in problems.items() if v} == {}
