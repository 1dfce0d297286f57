"""The campaign dashboard: who has been heard against the community's make-up, what
they answered, with small groups hidden; and the make-up itself, typed or imported."""

from __future__ import annotations

import io
import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from engage.models import Campaign, Response
from engage.responses.services import submit_response
from tests.factories import full_definition, make_campaign, make_survey

EAST = {"value": "east", "label": {"en": "East", "es": "Este"}}


def _definition():
    definition = full_definition("heard")
    area = definition["pages"][-1]["questions"][0]
    area["options"].insert(2, EAST)
    return definition


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def campaign(session):
    campaign = make_campaign(session, baseline={"area": {"North": 40, "South": 40, "East": 20}})
    survey = make_survey(session, campaign=campaign, definition=_definition())
    version = survey.versions[0]
    base = {"agree": True, "lives_here": "no", "obstacle": "Buses", "bus_importance": 8}
    people = [("north", "en")] * 20 + [("south", "es")] * 12 + [("east", "en")] * 3
    for number, (area, language) in enumerate(people):
        answers = {**base, "area": area, "topics": ["bus"] if number % 2 else ["rent"]}
        submit_response(session, version=version, answers=answers, language=language)
    spam = submit_response(
        session, version=version, answers={**base, "area": "east"}, language="en"
    )
    spam.response.exclude("spam", "", by=None)
    session.commit()
    return SimpleNamespace(id=campaign.id, survey_id=survey.id)


def test_the_dashboard_names_who_we_have_heard_less_from(staff, campaign):
    page = _text(staff.get(f"/staff/campaigns/{campaign.id}/dashboard"))
    assert "35 responses counted." in page  # the response set aside is not
    assert "Area: we have heard less from East." in page
    # East (3 people) is hidden, and South (12) with it, so East cannot be subtracted.
    assert re.search(r"East — — 20% ", page)
    assert re.search(r"South — — 40% ", page)
    assert re.search(r"North 20 57% 40% \+17 ", page)


def test_closed_questions_are_counted_and_demographics_only_as_groups(staff, campaign):
    page = _text(staff.get(f"/staff/campaigns/{campaign.id}/dashboard"))
    assert "Topics · 35 answers" in page
    assert "Buses 17 49%" in page and "Rent 18 51%" in page
    assert "How important are buses? · 35 answers · mean 8" in page
    assert "Area · 35 answers" not in page  # groups of people are only shown suppressed


def test_groups_compare_with_small_cells_hidden(staff, campaign):
    page = _text(
        staff.get(f"/staff/campaigns/{campaign.id}/dashboard?question=topics&dimension=area")
    )
    table = page[page.index("Answers by group") :]
    assert "Answer North South East Total" in table
    assert "Buses 10 — — 17" in table


def test_a_bad_choice_in_the_address_is_named_not_a_500(staff, campaign):
    response = staff.get(f"/staff/campaigns/{campaign.id}/dashboard?question=nope&dimension=x")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)


def test_the_make_up_is_typed_or_imported_all_or_nothing(staff, campaign, session):
    url = f"/staff/campaigns/{campaign.id}/baseline"
    bad = staff.submit(url, {"text": "dimension,group,share\narea,North,lots\narea,,3\n"})
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "Line 2: “lots” is not a share" in page and "Line 3: Name both" in page
    session.expire_all()
    assert session.get(Campaign, campaign.id).baseline["area"]["North"] == 40

    census = b"dimension,group,share\nlanguage,en,50%\nlanguage,es,50%\n"
    done = staff.submit(
        url,
        {"text": "", "file": (io.BytesIO(census), "census.csv")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 303
    session.expire_all()
    assert session.get(Campaign, campaign.id).baseline == {"language": {"en": 50.0, "es": 50.0}}
    page = _text(staff.get(f"/staff/campaigns/{campaign.id}/dashboard"))
    assert "Language: we have heard less from Spanish." in page


def test_excluded_responses_stay_stored(session, campaign):
    assert session.scalar(sa.select(sa.func.count(Response.id))) == 36
