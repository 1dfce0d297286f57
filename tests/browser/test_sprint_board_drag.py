"""The sprint board's optional script, in English and Arabic on a laptop: a member drags a
card from "to do" to "doing" and moves it on with the keyboard (Shift and the arrow key
towards the column, left in Arabic); the board changes in place, the move is announced in
the page's language, and the server has it after a reload. A reader sees no drag handle.
axe finds nothing serious."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from engage.extensions import db
from engage.models import Sprint, SprintItem
from tests.browser.test_backlog import _serious
from tests.browser.test_dashboard import _sign_in
from tests.factories import make_user


def _states(live_app, sprint_id: int) -> dict[int, str]:
    with live_app.app_context():
        rows = db.session.execute(
            sa.select(SprintItem.id, SprintItem.state).where(SprintItem.sprint_id == sprint_id)
        )
        return {item_id: str(state) for item_id, state in rows}


def _column(page, state: str):
    return page.locator(f".board-column[data-state={state}]")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_member_drags_a_card_and_moves_it_with_the_keyboard(page, live_app, lang):
    with live_app.app_context():
        sprint_id = db.session.scalar(sa.select(Sprint.id).where(Sprint.status == "running"))
    todo = [i for i, state in _states(live_app, sprint_id).items() if state == "todo"]
    assert todo, "the demo's running sprint has a card to do"
    item_id = todo[0]
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "member@example.org", lang)
    page.goto(f"/staff/sprints/{sprint_id}")
    expect(page.locator("#board-hint")).to_be_visible()
    card = page.locator(f"#card-{item_id}")
    expect(card).to_have_attribute("draggable", "true")
    problems = {"board": _serious(page)}
    url = page.url

    # The pointer: drag from "to do" to "doing"; the page stays, the board changes.
    card.drag_to(_column(page, "doing"))
    expect(_column(page, "doing").locator(f"#card-{item_id}")).to_be_visible()
    assert page.url == url
    moved = _column(page, "doing").get_attribute("data-moved")
    title = page.locator(f"#card-{item_id} a").inner_text().strip()
    expect(page.locator("#board-status")).to_have_text(f"{moved} {title}")
    assert ("قيد التنفيذ" if lang == "ar" else "Doing") in moved  # in the page's language
    assert _states(live_app, sprint_id)[item_id] == "doing"
    page.reload()
    expect(_column(page, "doing").locator(f"#card-{item_id}")).to_be_visible()
    expect(_column(page, "todo").locator(f"#card-{item_id}")).to_have_count(0)

    # The keyboard: Shift and the arrow towards "done" (right in English, left in Arabic).
    forwards, backwards = ["ArrowLeft", "ArrowRight"][:: -1 if lang == "en" else 1]
    page.locator(f"#card-{item_id} a").focus()
    page.keyboard.press(f"Shift+{forwards}")
    expect(_column(page, "done").locator(f"#card-{item_id}")).to_be_visible()
    expect(page.locator(f"#card-{item_id} a")).to_be_focused()
    done = _column(page, "done").get_attribute("data-moved")
    expect(page.locator("#board-status")).to_have_text(f"{done} {title}")
    assert _states(live_app, sprint_id)[item_id] == "done"
    # Done made the opportunity done: the decision log on the page says so already.
    expect(page.locator("#sprint-decision-log tbody tr")).not_to_have_count(0)
    page.keyboard.press(f"Shift+{forwards}")  # already in the last column: nothing happens
    page.keyboard.press(f"Shift+{backwards}")
    expect(_column(page, "doing").locator(f"#card-{item_id}")).to_be_visible()
    assert _states(live_app, sprint_id)[item_id] == "doing"
    problems["after the moves"] = _serious(page)

    # The buttons still post the ordinary way.
    page.locator(f"#card-{item_id} button[value=todo]").click()
    page.wait_for_url(f"**/staff/sprints/{sprint_id}#card-{item_id}")
    expect(_column(page, "todo").locator(f"#card-{item_id}")).to_be_visible()
    assert _states(live_app, sprint_id)[item_id] == "todo"
    assert {k: v for k, v in problems.items() if v} == {}


def test_a_reader_gets_no_drag_handle(page, live_app):
    with live_app.app_context():
        sprint_id = db.session.scalar(sa.select(Sprint.id).where(Sprint.status == "running"))
        make_user(db.session, email="reader@example.org", role="staff", password="engage-demo")
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "reader@example.org", "en")
    page.goto(f"/staff/sprints/{sprint_id}")
    expect(page.locator(".card").first).to_be_visible()
    expect(page.locator(".card[draggable=true]")).to_have_count(0)
    expect(page.locator("#board-hint")).to_have_count(0)
    expect(page.locator("script[src*=sprint-board]")).to_have_count(0)


def test_a_drag_the_server_refuses_shows_the_servers_message(page, live_app):
    with live_app.app_context():
        sprint_id = db.session.scalar(sa.select(Sprint.id).where(Sprint.status == "running"))
    item_id = next(i for i, s in _states(live_app, sprint_id).items() if s == "todo")
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "member@example.org", "en")
    page.goto(f"/staff/sprints/{sprint_id}")
    with live_app.app_context():  # meanwhile, somebody else finishes the sprint
        db.session.get(Sprint, sprint_id).finish()
        db.session.commit()
    page.locator(f"#card-{item_id}").drag_to(_column(page, "doing"))
    expect(page.get_by_role("alert")).to_be_visible()  # the ordinary post's translated error
    expect(_column(page, "todo").locator(f"#card-{item_id}")).to_be_visible()
    assert _states(live_app, sprint_id)[item_id] == "todo"


def test_without_javascript_the_board_is_as_before(page_without_js, live_app):
    page = page_without_js
    with live_app.app_context():
        sprint_id = db.session.scalar(sa.select(Sprint.id).where(Sprint.status == "running"))
    item_id = next(i for i, s in _states(live_app, sprint_id).items() if s == "todo")
    page.set_viewport_size({"width": 1280, "height": 800})
    _sign_in(page, "member@example.org", "en")
    page.goto(f"/staff/sprints/{sprint_id}")
    expect(page.locator("#board-hint")).to_be_hidden()
    expect(page.locator(".card[draggable=true]")).to_have_count(0)
    page.locator(f"#card-{item_id} button[value=doing]").click()
    expect(_column(page, "doing").locator(f"#card-{item_id}")).to_be_visible()
    assert _states(live_app, sprint_id)[item_id] == "doing"
