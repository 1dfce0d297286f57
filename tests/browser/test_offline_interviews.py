"""Interviews without a connection, on a phone and a tablet, in English and Arabic: two interviews
taken down with the network off are kept on the phone and sent once it is back, each
stored exactly once; a refused one is corrected and sent; an ended session keeps the
queue until the interviewer signs in again. Axe-checked, no sideways scrolling."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
import sqlalchemy as sa

from engage.extensions import db
from engage.models import Answer, Response, Survey, User
from tests.browser.signin import sign_in
from tests.browser.test_interviews import SIZES
from tests.browser.test_resident_survey import _violations

# The number of interviews kept on the phone (the script's queue in localStorage).
QUEUE_LENGTH = (
    "JSON.parse(localStorage.getItem('engage:offline:' + "
    "document.querySelector('[data-survey]').dataset.survey) || '[]').length"
)


# Waits until the service worker is ready and the page's offline copies are kept.
# The paths the service worker keeps, once the page, its styles and its script are in
# (they are stored one by one as they arrive).
KEPT_FOR_OFFLINE = """navigator.serviceWorker.ready.then(async () => {
  const cache = await caches.open("engage-offline-v1");
  const paths = async () => (await cache.keys()).map((r) => new URL(r.url).pathname).sort();
  for (let i = 0; i < 50; i++) {
    const kept = await paths();
    const styled = kept.some((p) => p.startsWith("/static/css/"));
    if (styled && kept.includes("/static/js/offline.js") && kept.length >= 3) break;
    await new Promise((done) => setTimeout(done, 100));
  }
  return paths();
})"""


def _sign_in(page, lang: str, email: str = "interviewer@example.org") -> None:
    sign_in(page, email, lang)


def _open_offline_page(page, live_app, lang: str) -> int:
    with live_app.app_context():
        survey_id = db.session.scalar(sa.select(Survey.id).where(Survey.slug == "demo"))
    page.goto("/staff/interviews")
    page.locator(f"a[href='/staff/interviews/{survey_id}/offline']").click()
    page.goto(f"/staff/interviews/{survey_id}/offline?lang={lang}")
    page.locator("[data-queue] h2").wait_for()  # the script runs
    return survey_id


def _take_down(page, obstacle: str, *, consent: bool = True) -> None:
    if consent:
        page.locator("#consent").check()
    page.locator("#obstacle").fill(obstacle)
    page.locator("input[name=area]").first.check()
    page.locator("form[data-offline-form] button[type=submit]").click()


def _queued(page) -> int:
    return page.evaluate(QUEUE_LENGTH)


def _emptied(page, seconds: float) -> bool:
    """Whether the queue empties within ``seconds`` (polled: the page's CSP forbids the
    ``eval`` that ``wait_for_function`` needs)."""
    for _ in range(int(seconds * 5)):
        if _queued(page) == 0:
            return True
        page.wait_for_timeout(200)
    return _queued(page) == 0


def _send_when_back(page) -> None:
    """Back online the script sends by itself; tap "Send now" only if it has not yet."""
    if not _emptied(page, 5):
        page.locator("[data-send]").click()
        assert _emptied(page, 15)


def _interviews(live_app) -> list[tuple]:
    with live_app.app_context():
        interviewer = db.session.scalar(
            sa.select(User.id).where(User.email == "interviewer@example.org")
        )
        rows = db.session.execute(
            sa.select(Response.place, Response.language, Response.entered_by_id, Answer.value)
            .join(Answer, Answer.response_id == Response.id)
            .where(Response.channel == "interviewer", Answer.question_code == "obstacle")
            .order_by(Response.id)
        )
        return [(*row[:2], row[2] == interviewer, row[3]) for row in rows]


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_interviews_taken_down_offline_are_sent_once_when_back_online(page, live_app, lang, size):
    width = SIZES[size]["width"]
    page.set_viewport_size(SIZES[size])
    _sign_in(page, lang)
    _open_offline_page(page, live_app, lang)
    assert page.evaluate("document.documentElement.lang") == lang
    problems = {"empty": _violations(page)}
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    before = _interviews(live_app)

    # Kept for offline use: the page opens again without a connection.
    kept = page.evaluate(KEPT_FOR_OFFLINE)
    # The page itself (kept once or twice: opened with and without ``?lang=``).
    assert {p for p in kept if not p.startswith("/static/")} == {urlparse(page.url).path}
    assert "/static/js/offline.js" in kept
    assert any(p.startswith("/static/css/") for p in kept)  # its styles (which ones depends
    # on whether the worker already served the page when they were asked for)
    page.context.set_offline(True)
    reopened = page.reload()
    assert reopened.headers.get("x-engage-offline-copy") == "1"
    page.locator("[data-queue] h2").wait_for()
    page.locator("input[name='interview:place']").fill("Eastside library")
    _take_down(page, "The bus never comes on time")
    assert _queued(page) == 1
    # The form is blank again for the next resident, at the same place.
    assert page.locator("#obstacle").input_value() == ""
    assert not page.locator("#consent").is_checked()
    assert page.locator("input[name='interview:place']").input_value() == "Eastside library"
    _take_down(page, "No shelter at the stop")
    assert _queued(page) == 2
    assert page.locator("[data-count]").inner_text().strip().endswith("2")
    problems["two kept"] = _violations(page)
    assert _interviews(live_app) == before  # nothing could be sent

    page.context.set_offline(False)
    _send_when_back(page)
    sent = _interviews(live_app)[len(before) :]
    assert sorted(sent) == sorted(
        [
            ("Eastside library", lang, True, "The bus never comes on time"),
            ("Eastside library", lang, True, "No shelter at the stop"),
        ]
    )

    # One without the required consent is refused, kept, corrected and sent.
    _take_down(page, "Too far to walk", consent=False)
    page.locator("[data-refused-list] li").first.wait_for()
    assert _queued(page) == 1
    problems["refused"] = _violations(page)
    page.locator("[data-refused-list] button").click()
    assert page.locator("#obstacle").input_value() == "Too far to walk"
    page.locator("#consent").check()
    page.locator("form[data-offline-form] button[type=submit]").click()
    _send_when_back(page)
    assert [row[3] for row in _interviews(live_app)[len(before) :]].count("Too far to walk") == 1
    assert len(_interviews(live_app)) == len(before) + 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert {k: v for k, v in problems.items() if v} == {}


def test_an_ended_session_keeps_the_queue_until_the_interviewer_signs_in(page, live_app):
    """Also: what is typed survives a reload."""
    page.set_viewport_size({"width": 360, "height": 740})
    _sign_in(page, "en")
    _open_offline_page(page, live_app, "en")
    before = _interviews(live_app)
    page.locator("#obstacle").fill("Buses are full in the morning")
    page.reload()  # a reload loses nothing typed
    page.locator("[data-queue] h2").wait_for()
    assert page.locator("#obstacle").input_value() == "Buses are full in the morning"
    page.context.set_offline(True)
    _take_down(page, "Buses are full in the morning")
    page.context.clear_cookies()  # the session ended while the phone was offline
    page.context.set_offline(False)
    page.locator("[data-send]").click()
    signin = page.locator("[data-signin] a")
    signin.wait_for()
    assert _queued(page) == 1 and _interviews(live_app) == before
    signin.click()
    page.locator("#email").fill("interviewer@example.org")
    page.locator("#password").fill("engage-demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/offline**")
    assert _emptied(page, 15)
    sent = _interviews(live_app)[len(before) :]
    assert [row[3] for row in sent] == ["Buses are full in the morning"]


def test_on_a_shared_phone_each_interviewer_sends_their_own_interviews(page, live_app):
    """An interview stays on the phone while another interviewer is signed in (it would
    name them as the one who entered it), and goes once its interviewer signs in."""
    page.set_viewport_size({"width": 360, "height": 740})
    _sign_in(page, "en")
    _open_offline_page(page, live_app, "en")
    before = _interviews(live_app)
    page.context.set_offline(True)
    _take_down(page, "No ramp at the library")
    # The interviewer leaves the page while still offline: back online, its script would
    # otherwise try to send at the moment the next person opens the sign-in page (a
    # race of two sessions that made that sign-in fail its CSRF check now and then).
    page.goto("about:blank")
    page.context.clear_cookies()
    page.context.set_offline(False)
    _sign_in(page, "en", email="staff@example.org")
    _open_offline_page(page, live_app, "en")
    held = page.locator("[data-held-count]")
    held.wait_for()
    assert "Taken down by another interviewer on this phone: 1." in held.inner_text()
    page.locator("[data-send]").click()
    page.wait_for_timeout(1000)
    assert _queued(page) == 1 and _interviews(live_app) == before
    assert _violations(page) == []
    page.context.clear_cookies()
    _sign_in(page, "en")
    _open_offline_page(page, live_app, "en")
    assert _emptied(page, 15)
    sent = _interviews(live_app)[len(before) :]
    assert [(row[2], row[3]) for row in sent] == [(True, "No ramp at the library")]


def _cascade_survey(live_app) -> int:
    """The cascading XLSForm (district → village; transport used → most used) as a
    survey of the demo campaign, which the demo interviewer works on."""
    from surveys.xlsform import import_xlsform
    from tests.factories import make_survey
    from tests.surveys.test_xlsform import workbook_bytes
    from tests.surveys.test_xlsform_defaults_and_filters import CASCADE, PLACES

    definition = import_xlsform(workbook_bytes(CASCADE, PLACES)).definition
    data = {**definition.to_dict(), "slug": "places", "title": {"en": "Places", "ar": "الأماكن"}}
    with live_app.app_context():
        demo = db.session.scalar(sa.select(Survey).where(Survey.slug == "demo"))
        return make_survey(db.session, definition=data, campaign=demo.campaign).id


VILLAGES = {"en": ("North", "South", "Hill", "Port"), "ar": ("الشمال", "الجنوب", "التل", "الميناء")}
LAKE = {"en": "Lake", "ar": "البحيرة"}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_offline_form_offers_the_villages_of_the_district_chosen(page, live_app, lang):
    """On the phone, with no server to ask: the village question offers the villages of
    the district chosen above it (none chosen: it is not asked), a village no longer
    offered is unticked, and the interview is stored as taken down."""
    north, south, hill, port = VILLAGES[lang]
    survey_id = _cascade_survey(live_app)
    page.set_viewport_size(SIZES["phone"])
    _sign_in(page, lang)
    page.goto(f"/staff/interviews/{survey_id}/offline?lang={lang}")
    page.locator("[data-queue] h2").wait_for()  # the script runs
    village = page.locator("[data-choice-filter]").filter(has=page.locator("input[name=village]"))
    assert not village.is_visible()  # no district yet: the village is not asked
    page.get_by_label(south, exact=True).check()
    assert page.get_by_label(port, exact=True).is_visible()
    assert not page.get_by_label(hill, exact=True).is_visible()
    assert not page.locator("#village-filter").is_visible()  # the no-script hint
    page.get_by_label(port, exact=True).check()
    assert _violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES["phone"]["width"]
    page.get_by_label(north, exact=True).check()  # Port is not in the north
    assert not page.get_by_label(port, exact=True).is_visible()
    assert page.locator("input[name=village]:checked").count() == 0
    page.get_by_label(hill, exact=True).check()
    # "most" offers only the transport ticked in "uses"
    most = page.locator("[data-choice-filter]").filter(has=page.locator("input[name=most]"))
    assert not most.is_visible()
    page.locator("input[name=uses][value=bus]").check()
    page.locator("input[name=uses][value=walk]").check()
    assert most.locator("input[name=most]:visible").count() == 2
    page.locator("input[name=most][value=walk]").check()
    page.locator("form[data-offline-form] button[type=submit]").click()
    _send_when_back(page)
    with live_app.app_context():
        response = db.session.scalar(sa.select(Response).order_by(Response.id.desc()))
        answers = {a.question_code: a.value for a in response.answers}
    assert (answers["district"], answers["village"], answers["most"]) == ("north", "hill", "walk")


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_a_filtered_dropdown_in_the_offline_form(page, live_app, lang):
    """The village as a dropdown (``appearance = minimal``): it lists only the villages
    of the district chosen, and a village no longer offered is cleared."""
    from surveys.xlsform import import_xlsform
    from tests.factories import make_survey
    from tests.surveys.test_xlsform import workbook_bytes
    from tests.surveys.test_xlsform_defaults_and_filters import CASCADE, PLACES

    rows = [[*CASCADE[0], "appearance"], *[[*r, *([None] * (6 - len(r)))] for r in CASCADE[1:]]]
    rows[3] = [*rows[3][:6], "minimal"]
    definition = import_xlsform(workbook_bytes(rows, PLACES)).definition
    assert definition.question("village").type == "dropdown"
    data = {**definition.to_dict(), "slug": "drop", "title": {"en": "Drop", "ar": "قائمة"}}
    with live_app.app_context():
        demo = db.session.scalar(sa.select(Survey).where(Survey.slug == "demo"))
        survey_id = make_survey(db.session, definition=data, campaign=demo.campaign).id
    north, south, hill, port = VILLAGES[lang]
    page.set_viewport_size(SIZES["phone"])
    _sign_in(page, lang)
    page.goto(f"/staff/interviews/{survey_id}/offline?lang={lang}")
    page.locator("[data-queue] h2").wait_for()
    select = page.locator("select#village")
    assert not select.is_visible()
    page.get_by_label(south, exact=True).check()
    offered = select.locator("option:not([disabled])")
    assert offered.all_inner_texts()[1:] == [port]  # after "Choose…"
    select.select_option(label=port)
    assert _violations(page) == []
    page.get_by_label(north, exact=True).check()
    assert select.input_value() == ""
    assert offered.all_inner_texts()[1:] == [hill, LAKE[lang]]
