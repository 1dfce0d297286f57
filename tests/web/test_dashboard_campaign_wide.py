"""The whole campaign on one dashboard: "All surveys of the campaign" counts every
survey's respondents in participation and in who has been heard, while the results of
closed questions stay with each survey."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from engage.models import Channel
from engage.responses.services import submit_response
from tests.factories import full_definition, make_campaign, make_survey
from tests.web.test_dashboard import _definition, _text


@pytest.fixture
def campaign(session):
    campaign = make_campaign(session, baseline={"area": {"North": 50, "South": 50}})
    first = make_survey(session, campaign=campaign, definition=_definition())
    second = make_survey(session, campaign=campaign, definition=full_definition("second"))
    base = {"agree": True, "lives_here": "no", "obstacle": "Buses", "bus_importance": 8}
    for _ in range(12):
        submit_response(
            session, version=first.versions[0], answers={**base, "area": "north"}, language="en"
        )
    for _ in range(9):
        submit_response(
            session,
            version=second.versions[0],
            answers={**base, "area": "south"},
            language="es",
            channel=Channel.INTERVIEWER,
        )
    session.commit()
    return SimpleNamespace(id=campaign.id, first=first.id, second=second.id)


def test_all_surveys_count_everybody_heard_in_the_campaign(staff, campaign):
    url = f"/staff/campaigns/{campaign.id}/dashboard"
    one = _text(staff.get(url))
    assert "12 responses counted." in one  # the first survey, by default
    page = _text(staff.get(f"{url}?survey=all"))
    assert "21 responses counted." in page
    assert re.search(r"North 12 57% 50% \+7 ", page)
    assert re.search(r"South 9 43% 50% -7 ", page)
    assert "Online 12 57%" in page and "Interview 9 43%" in page
    # Results of closed questions are per survey.
    assert "Answers to closed questions" not in page
    assert "choose one survey to see them" in page


def test_the_choice_is_offered_and_kept(staff, campaign):
    page = staff.get(f"/staff/campaigns/{campaign.id}/dashboard?survey=all").get_data(as_text=True)
    assert re.search(r'<option[^>]*selected[^>]*value="all"|<option value="all" selected', page)
    assert "All surveys of the campaign" in page
