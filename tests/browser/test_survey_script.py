"""The optional survey script in real Chromium: drafts in localStorage, offline retries."""

from __future__ import annotations

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from engage.extensions import db
from engage.models import Response

OFFLINE_MESSAGE = "The connection was lost"


def _response_count(app) -> int:
    with app.app_context():
        count = db.session.scalar(sa.select(sa.func.count()).select_from(Response))
        db.session.remove()
        return count


def _consent(page) -> None:
    page.goto("/s/demo")
    page.locator("main form button[type=submit]").first.click()
    page.locator("#consent").check()
    page.locator("button[value=next]").click()
    expect(page).to_have_url(re.compile(r"/s/demo/p/experience$"))


def test_the_script_is_small_and_loaded_only_by_survey_pages(page):
    page.goto("/s/demo")
    assert page.locator("script").count() == 0
    page.locator("main form button[type=submit]").first.click()
    script = page.locator("script[src$='/static/js/survey.js'][defer]")
    assert script.count() == 1
    body = page.request.get("/static/js/survey.js").body()
    assert len(body) <= 5 * 1024


def test_typed_answers_survive_a_reload(page):
    _consent(page)
    text = "The bus never comes before eight"
    page.locator("#obstacle").fill(text)
    page.locator("#what_would_help").fill("A bus every ten minutes")
    page.reload()  # nothing was sent: only the phone remembers
    expect(page.locator("#obstacle")).to_have_value(text)
    expect(page.locator("#what_would_help")).to_have_value("A bus every ten minutes")
    assert page.evaluate("localStorage.getItem('engage:demo/experience')") is not None

    page.locator("button[value=next]").click()
    expect(page).to_have_url(re.compile(r"/s/demo/p/topics$"))
    # Sent and stored by the server: the phone's copy is forgotten.
    assert page.evaluate("localStorage.getItem('engage:demo/experience')") is None
    page.locator("button[value=back]").click()
    expect(page).to_have_url(re.compile(r"/s/demo/p/experience$"))
    expect(page.locator("#obstacle")).to_have_value(text)


def test_a_restored_draft_never_overwrites_what_the_page_shows(page):
    _consent(page)
    page.locator("#obstacle").fill("Saved on the server")
    page.locator("button[value=next]").click()
    expect(page).to_have_url(re.compile(r"/s/demo/p/topics$"))
    page.evaluate(
        "localStorage.setItem('engage:demo/experience',"
        " JSON.stringify({obstacle: ['Stale copy'], recent_task: ['Typed before']}))"
    )
    page.goto("/s/demo/p/experience")
    expect(page.locator("#obstacle")).to_have_value("Saved on the server")
    expect(page.locator("#recent_task")).to_have_value("Typed before")


def test_a_submission_made_offline_is_sent_once_back_online(page, live_app):
    _consent(page)
    page.goto("/s/demo/p/anything_else")
    page.locator("#anything_else").fill("Please light the park at night")
    before = _response_count(live_app)

    page.context.set_offline(True)
    page.locator("button[value=next]").click()
    status = page.locator("[data-status]")
    expect(status).to_contain_text(OFFLINE_MESSAGE)
    assert status.get_attribute("role") == "status"
    expect(page.locator("#anything_else")).to_have_value("Please light the park at night")
    assert page.url.endswith("/s/demo/p/anything_else")

    page.context.set_offline(False)
    expect(page).to_have_url(re.compile(r"/s/demo/thanks$"), timeout=20_000)
    expect(page.locator("h1")).to_contain_text("Thank you")
    assert _response_count(live_app) == before + 1
    # A later retry, a refresh or going back does not store it again.
    page.reload()
    page.go_back()
    expect(page.locator("h1")).to_contain_text("Thank you")
    assert _response_count(live_app) == before + 1


def test_tapping_the_button_again_retries_at_once(page, live_app):
    _consent(page)
    page.goto("/s/demo/p/anything_else")
    page.locator("#anything_else").fill("More buses")
    before = _response_count(live_app)
    page.context.set_offline(True)
    send = page.locator("button[value=next]")
    send.click()
    expect(page.locator("[data-status]")).to_contain_text(OFFLINE_MESSAGE)
    send.click()  # still offline: the message stays, the form too
    expect(page.locator("[data-status]")).to_contain_text(OFFLINE_MESSAGE)
    expect(page.locator("#anything_else")).to_have_value("More buses")
    page.context.set_offline(False)
    # Back online, the script may already be sending by itself; a tap then finds the
    # thank-you page instead of the button, so it taps only a button still there.
    page.evaluate("document.querySelector('button[value=next]')?.click()")
    expect(page).to_have_url(re.compile(r"/s/demo/thanks$"))
    assert _response_count(live_app) == before + 1


def test_an_answer_the_server_refuses_shows_its_page_not_the_offline_message(page):
    page.goto("/s/demo")
    page.locator("main form button[type=submit]").first.click()
    page.locator("button[value=next]").click()  # consent is required
    expect(page.get_by_role("alert")).to_be_visible()
    assert page.title().startswith("Error:")
    expect(page.locator("[data-status]")).to_be_empty()
