"""Staff pages on a 360-px phone: nothing scrolls sideways (a wide table scrolls in its
own focusable region), in English and Arabic."""

from __future__ import annotations

import pytest

from engage.exports.services import survey_by_slug
from engage.extensions import db
from tests.browser.signin import sign_in
from tests.browser.test_resident_survey import _violations


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_staff_pages_fit_a_phone(page, live_app, lang):
    with live_app.app_context():
        campaign_id = survey_by_slug(db.session, "demo").campaign_id
    page.set_viewport_size({"width": 360, "height": 740})
    sign_in(page, "staff@example.org", lang)
    wide, problems = {}, {}
    for path in (
        "/staff/",
        f"/staff/campaigns/{campaign_id}/themes",
        f"/staff/campaigns/{campaign_id}/dashboard",
        f"/staff/campaigns/{campaign_id}/responses",
        f"/staff/campaigns/{campaign_id}/sessions",
    ):
        page.goto(path)
        page.wait_for_load_state()
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide[path] = width
        problems[path] = _violations(page)
    assert wide == {}
    assert {k: v for k, v in problems.items() if v} == {}
