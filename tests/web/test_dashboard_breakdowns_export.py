"""The dashboard's breakdowns as a CSV file: hidden exactly as on the page (small groups
and their complements), formula-safe, and recorded in the audit log."""

from __future__ import annotations

import csv
import io
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from engage.models.audit import AuditEvent
from engage.responses.services import submit_response
from tests.factories import make_campaign, make_survey
from tests.web.test_dashboard import _definition

BASELINE = {"area": {"North": 40, "South": 40, "East": 20, "=HYPERLINK(1)": 1}}


@pytest.fixture
def campaign(session):
    campaign = make_campaign(session, baseline=BASELINE)
    survey = make_survey(session, campaign=campaign, definition=_definition())
    version = survey.versions[0]
    base = {"agree": True, "lives_here": "no", "obstacle": "Buses", "bus_importance": 8}
    people = [("north", 7)] * 20 + [("south", 5)] * 12 + [("east", 9)] * 3
    for number, (area, importance) in enumerate(people):
        answers = {
            **base,
            "area": area,
            "bus_importance": importance,
            "topics": ["bus"] if number % 2 else ["rent"],
        }
        submit_response(session, version=version, answers=answers, language="en")
    session.commit()
    return SimpleNamespace(id=campaign.id, survey_id=survey.id)


def _download(staff, campaign, **choices):
    url = f"/staff/campaigns/{campaign.id}/dashboard/breakdowns.csv"
    query = "&".join(f"{k}={v}" for k, v in choices.items())
    page = f"/staff/campaigns/{campaign.id}/dashboard?{query}"
    response = staff.submit(url, choices, form_page=page)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "text/csv"
    assert "breakdowns.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True).lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_who_was_heard_is_hidden_as_on_the_page(staff, campaign, session):
    rows = _download(staff, campaign)
    heard = {r["group"]: r for r in rows if r["section"] == "representativeness"}
    assert heard["North"]["people"] == "20" and heard["North"]["share"] == "0.5714"
    assert heard["North"]["community_share"] == "0.3960"
    # East (3 people) is hidden, and South (12) with it: East cannot be worked out by
    # subtracting the others from the total.
    for group in ("East", "South"):
        assert heard[group]["people"] == "" and heard[group]["share"] == ""
        assert heard[group]["hidden"] == "yes"
    # A group named like a formula is written as text; a negative gap stays a number.
    assert "'=HYPERLINK(1)" in heard
    assert heard["'=HYPERLINK(1)"]["gap"].startswith("-0.")
    events = session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "exported")).all()
    assert [(e.subject_type, e.subject_id, e.detail["breakdowns"]) for e in events] == [
        ("campaign", campaign.id, True)
    ]


def test_a_comparison_is_written_with_its_complements_hidden(staff, campaign):
    rows = _download(
        staff, campaign, survey=campaign.survey_id, question="topics", dimension="area"
    )
    compare = {
        (r["answer"], r["group"]): r["people"] for r in rows if r["section"] == "compare_counts"
    }
    assert compare[("Buses", "North")] == "10"
    # East's 1 and 2 are hidden, and South's, so no hidden cell is alone on a line.
    assert compare[("Buses", "East")] == "" and compare[("Rent", "East")] == ""
    assert compare[("Buses", "South")] == "" and compare[("Rent", "South")] == ""


def test_means_by_group_hide_small_groups_and_one_more(staff, campaign):
    rows = _download(staff, campaign, question="bus_importance", dimension="area")
    means = {r["group"]: r for r in rows if r["section"] == "compare_mean"}
    assert means["North"]["mean"] == "7.0000" and means["North"]["people"] == "20"
    assert means["East"]["hidden"] == "yes" and means["East"]["mean"] == ""
    assert means["South"]["hidden"] == "yes" and means["South"]["mean"] == ""
    assert means["*"]["people"] == "35"


def _exports(session) -> int:
    found = sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action == "exported")
    return session.scalar(found)


def test_without_its_token_nothing_is_downloaded_or_recorded(staff, campaign, session):
    url = f"/staff/campaigns/{campaign.id}/dashboard/breakdowns.csv"
    response = staff.client.post(url, data={"question": "topics", "dimension": "area"})
    assert response.status_code == 400
    assert response.mimetype == "text/html"
    assert _exports(session) == 0


def test_a_bad_choice_goes_back_to_the_dashboard_with_a_message(staff, campaign, session):
    url = f"/staff/campaigns/{campaign.id}/dashboard/breakdowns.csv"
    form_page = f"/staff/campaigns/{campaign.id}/dashboard"
    response = staff.submit(url, {"question": "nope", "dimension": "area"}, form_page=form_page)
    assert response.status_code == 303
    assert "dimension=area" in response.headers["Location"]
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "The breakdowns could not be downloaded" in page
    assert _exports(session) == 0


def test_the_dashboard_offers_the_download(staff, campaign):
    page = staff.get(
        f"/staff/campaigns/{campaign.id}/dashboard?question=topics&dimension=area"
    ).get_data(as_text=True)
    assert "Download these groups (CSV)" in page
    assert "Download the groups and this comparison (CSV)" in page


@pytest.mark.parametrize(
    "odd",
    [
        {"question": "\x00", "dimension": "area"},
        {"survey": "abc"},
        {"wave": "999", "dimension2": "area", "dimension": "area"},
    ],
)
def test_odd_choices_are_refused_without_a_500(staff, campaign, session, odd):
    url = f"/staff/campaigns/{campaign.id}/dashboard/breakdowns.csv"
    response = staff.submit(url, odd, form_page=f"/staff/campaigns/{campaign.id}/dashboard")
    assert response.status_code in (200, 303)
    if response.status_code == 303:
        assert staff.get(response.headers["Location"]).status_code in (200, 400)
