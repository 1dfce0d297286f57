"""The partnership's scorecard (issue 14): the fewest, most critical measures of every
campaign a staff member may see, side by side and summed, printable and exported as
formula-safe CSV; a workgroup member sees only their workgroups' campaigns. On SQLite
and PostgreSQL."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from engage.models import Opportunity, Sprint, SprintStatus
from engage.reportback import services
from engage.responses.services import submit_response
from engage.scorecard.services import build_partnership_scorecard
from tests.factories import PASSWORD, make_campaign, make_member, make_survey, make_user


@pytest.fixture
def partnership(session):
    """Two campaigns: "Buses" (3 responses, 2 opportunities, one not now, a finished
    sprint, reported back) and "=Parks" (1 response, nothing decided); and a member of a
    workgroup that has only "Buses"."""
    staff = make_user(session, role="staff", email="lead@example.org")
    buses = make_campaign(session, slug="buses", title="Buses")
    parks = make_campaign(session, slug="parks", title="=Parks")
    for campaign, answers in ((buses, 3), (parks, 1)):
        survey = make_survey(session, campaign=campaign)
        for _ in range(answers):
            submit_response(
                session, version=survey.versions[0], answers={"obstacle": "x"}, language="en"
            )
    doing = Opportunity(campaign_id=buses.id, title="Bus signs")
    later = Opportunity(campaign_id=buses.id, title="Night buses")
    idea = Opportunity(campaign_id=parks.id, title="Benches")
    sprint = Sprint(
        campaign_id=buses.id, name="Signs", starts_on=date(2026, 11, 1),
        ends_on=date(2026, 11, 14), status=SprintStatus.FINISHED,
    )  # fmt: skip
    session.add_all([doing, later, idea, sprint])
    session.flush()
    later.set_aside("No budget", date(2027, 3, 1), today=date(2026, 12, 2))
    services.publish(session, buses, "opportunity", doing.id, by=staff)
    session.commit()
    member = make_member(session, buses)
    return {"staff": staff, "member": member, "buses": buses, "parks": parks}


def test_staff_see_every_campaign_and_the_partnerships_totals(pages, session, partnership):
    assert pages.login("lead@example.org", PASSWORD).status_code == 302
    response = pages.get("/staff/scorecard")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Partnership scorecard" in html and "All campaigns: 2 campaigns" in html
    assert ">Buses<" in html and ">=Parks<" in html
    assert 'Residents heard</th><td class="numeric">4<' in html
    assert "1 of 3" in html  # one opportunity of three decided (not now)
    assert "1 of 1" in html  # sprints completed
    assert "Campaigns that have reported back" in html
    assert 'href="/staff/campaigns/' in html  # each campaign's own scorecard
    home = pages.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/scorecard"' in home


def test_a_member_sees_only_their_workgroups_campaigns(pages, session, partnership):
    member = partnership["member"]
    assert pages.login(member.email, PASSWORD).status_code == 302
    html = pages.get("/staff/scorecard").get_data(as_text=True)
    assert "All campaigns: 1 campaign" in html and ">Buses<" in html and "Parks" not in html
    assert 'Residents heard</th><td class="numeric">3<' in html
    text = pages.get("/staff/scorecard.csv").get_data(as_text=True)
    assert "Parks" not in text and "Buses" in text
    card = build_partnership_scorecard(session, member, threshold_of=lambda c: 5)
    assert [c.campaign.slug for c in card.campaigns] == ["buses"]


def test_a_member_of_no_workgroup_is_told_so(pages, session, partnership):
    loner = make_user(session, role="member", email="loner@example.org")
    assert pages.login(loner.email, PASSWORD).status_code == 302
    response = pages.get("/staff/scorecard")
    assert response.status_code == 200
    assert "You cannot see any campaign yet" in response.get_data(as_text=True)
    assert pages.get("/staff/scorecard.csv").status_code == 200


def test_an_interviewer_may_not_see_it(pages, session, partnership):
    interviewer = make_user(session, role="interviewer", email="field@example.org")
    assert pages.login(interviewer.email, PASSWORD).status_code == 302
    assert pages.get("/staff/scorecard").status_code == 403
    assert pages.get("/staff/scorecard.csv").status_code == 403


def test_the_csv_has_a_row_per_campaign_and_the_total_and_is_formula_safe(
    pages, session, partnership
):
    assert pages.login("lead@example.org", PASSWORD).status_code == 302
    response = pages.get("/staff/scorecard.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "scorecard-partnership.csv" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    header = rows[0]
    assert header[:3] == ["Campaign", "Residents heard", "Themes reviewed"]
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    assert set(by_name) == {"Buses", "'=Parks", "All campaigns"}
    assert by_name["Buses"]["Residents heard"] == "3"
    assert by_name["Buses"]["Decided not now"] == "1"
    assert by_name["Buses"]["Sprints completed"] == "1"
    assert by_name["All campaigns"]["Residents heard"] == "4"
    assert by_name["All campaigns"]["Opportunities decided"] == "1"
    assert by_name["All campaigns"]["Opportunities"] == "3"
    # Buses reported back (a published opportunity); its days are counted, Parks' are not.
    assert by_name["Buses"]["Days from listening to reporting back"] == "0"
    assert by_name["'=Parks"]["Days from listening to reporting back"] == ""


def test_the_page_prints_without_the_staff_navigation(pages, session, partnership):
    assert pages.login("lead@example.org", PASSWORD).status_code == 302
    html = pages.get("/staff/scorecard").get_data(as_text=True)
    assert "css/reportback.css" in html  # its print rules hide the navigation
    css = pages.get("/static/css/reportback.css").get_data(as_text=True)
    assert "@media print" in css and ".staff-header" in css
