"""The thank-you page links to what came of the campaign, when there is a safe link."""

from __future__ import annotations

import pytest

from engage.campaigns.services import get_report_back_url
from engage.models import Campaign
from tests.factories import make_survey, small_definition
from tests.web.test_survey_pages import Resident

LINK_TEXT = "See what we heard and what is being done"


def _thank_you_page(session, client, report_back_url):
    survey = make_survey(session, definition=small_definition("rb"))
    survey.campaign.report_back_url = report_back_url
    session.commit()
    resident = Resident(client, "rb")
    resident.start()
    resident.post({"obstacle": "Late buses", "bus_importance": "6"})
    resident.post({"area": "north"})
    assert resident.location == "/s/rb/thanks"
    return resident.page_html


def test_thank_you_page_links_to_the_report_back_page(session, client):
    html = _thank_you_page(session, client, "https://example.org/you-said-we-did")
    assert f'<a href="https://example.org/you-said-we-did">{LINK_TEXT}</a>' in html


def test_no_link_without_a_report_back_page(session, client):
    assert LINK_TEXT not in _thank_you_page(session, client, None)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x"])
def test_unsafe_addresses_are_never_rendered(session, client, url):
    html = _thank_you_page(session, client, url)
    assert LINK_TEXT not in html
    assert "alert(1)" not in html and "data:text/html" not in html


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("https://example.org/r/buses", "https://example.org/r/buses"),
        ("  http://example.org/r  ", "http://example.org/r"),
        ("/r/buses", "/r/buses"),
        ("", None),
        (None, None),
        ("javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("vbscript:msgbox", None),
        ("//evil.example/r", None),
        ("/\\evil.example/r", None),
        ("https:///no-host", None),
        ("ftp://example.org/r", None),
        ("example.org/r", None),
    ],
)
def test_report_back_url_is_checked_when_shown(stored, shown):
    assert get_report_back_url(Campaign(report_back_url=stored)) == shown
