"""Campaigns are scoped to workgroups: a member sees, and reaches, only the campaigns
assigned to one of their workgroups; staff and administrators see every campaign."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from engage.campaigns.services import can_see_campaign, visible_campaigns
from engage.models import AnalysisRun, BoardLink, BoardTheme, Theme
from tests.factories import PASSWORD, make_campaign, make_member, make_user, make_workgroup


@pytest.fixture
def campaigns(session):
    """Two campaigns with a finished run each: "Buses" (workgroup Transport) and "Rent"."""
    buses = make_campaign(session, title="Buses in Riverside")
    rent = make_campaign(session, title="Rent in Old Market")
    themes = {}
    for campaign in (buses, rent):
        run = AnalysisRun(campaign=campaign, status="done")
        session.add(run)
        session.flush()
        en = Theme(run=run, key=0, parent_key=None, language="en", label="Late buses", size=3)
        es = Theme(run=run, key=1, parent_key=None, language="es", label="Autobuses", size=2)
        session.add_all([en, es])
        session.flush()
        themes[campaign.id] = (en, es)
    make_workgroup(session, name="Transport", campaigns=[buses])
    session.commit()
    return buses, rent, themes


def _home(pages) -> str:
    return pages.get("/staff/").get_data(as_text=True)


def test_a_member_sees_only_the_campaigns_of_their_workgroups(session, pages, campaigns):
    buses, rent, _themes = campaigns
    make_member(session, buses, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    home = _home(pages)
    assert "Buses in Riverside" in home and "Rent in Old Market" not in home
    assert f'href="/staff/campaigns/{buses.id}/themes"' in home
    assert pages.get(f"/staff/campaigns/{buses.id}/themes").status_code == 200
    response = pages.get(f"/staff/campaigns/{rent.id}/themes")
    assert response.status_code == 404
    assert "Rent in Old Market" not in response.get_data(as_text=True)


def test_a_member_cannot_link_or_unlink_themes_of_another_workgroups_campaign(
    session, pages, campaigns
):
    buses, rent, themes = campaigns
    en, es = (
        BoardTheme(campaign_id=rent.id, language=t.language, label=t.label, theme_id=t.id)
        for t in themes[rent.id]
    )
    session.add_all([en, es])
    session.flush()
    link = BoardLink(campaign_id=rent.id, board_theme_id=en.id, linked_board_theme_id=es.id)
    session.add(link)
    session.commit()
    make_member(session, buses, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    board = f"/staff/campaigns/{rent.id}/board"
    unlink = f"{board}/{en.id}/links/{link.id}/delete"
    assert pages.submit(unlink, {}, form_page="/staff/").status_code == 404
    session.delete(link)
    session.commit()
    link_url = f"{board}/{en.id}/links"
    linked = pages.submit(link_url, {"linked_theme_id": es.id}, form_page="/staff/")
    assert linked.status_code == 404
    assert session.scalar(sa.select(sa.func.count(BoardLink.id))) == 0


def test_a_member_of_no_workgroup_sees_no_campaign_and_is_told_why(session, pages, campaigns):
    buses, _rent, _themes = campaigns
    make_user(session, email="m@example.org", role="member")
    pages.login("m@example.org", PASSWORD)
    home = _home(pages)
    assert "Buses in Riverside" not in home
    assert "No campaign is assigned to your workgroups yet." in home
    assert pages.get(f"/staff/campaigns/{buses.id}/themes").status_code == 404


def test_leaving_the_workgroup_closes_the_campaign_at_once(session, pages, campaigns):
    buses, _rent, _themes = campaigns
    member = make_member(session, buses, email="m@example.org")
    pages.login("m@example.org", PASSWORD)
    assert pages.get(f"/staff/campaigns/{buses.id}/themes").status_code == 200
    for workgroup in list(member.workgroups):
        workgroup.members.remove(member)
    session.commit()
    assert pages.get(f"/staff/campaigns/{buses.id}/themes").status_code == 404
    assert "Buses in Riverside" not in _home(pages)


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_and_administrators_see_every_campaign(session, pages, campaigns, role):
    _buses, rent, _themes = campaigns
    make_user(session, email="s@example.org", role=role)
    pages.login("s@example.org", PASSWORD)
    home = _home(pages)
    assert "Buses in Riverside" in home and "Rent in Old Market" in home
    assert pages.get(f"/staff/campaigns/{rent.id}/themes").status_code == 200


def test_interviewers_list_only_the_campaigns_of_their_workgroups(session, pages, campaigns):
    buses, _rent, _themes = campaigns
    make_member(session, buses, email="i@example.org", role="interviewer")
    pages.login("i@example.org", PASSWORD)
    home = _home(pages)
    assert "Buses in Riverside" in home and "Rent in Old Market" not in home
    assert "/themes" not in home  # interviewers still do not read themes
    assert pages.get(f"/staff/campaigns/{buses.id}/themes").status_code == 403


def test_the_rule_is_the_same_for_lists_and_single_campaigns(session, campaigns):
    buses, rent, _themes = campaigns
    member = make_member(session, buses)
    nobody = make_user(session, role="member")
    staff = make_user(session, role="staff")
    for user, expected in ((member, {buses.id}), (nobody, set()), (staff, {buses.id, rent.id})):
        listed = {c.id for c in session.scalars(visible_campaigns(user))}
        assert listed & {buses.id, rent.id} == expected
        assert {c for c in (buses.id, rent.id) if can_see_campaign(session, user, c)} == expected
