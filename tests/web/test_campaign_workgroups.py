"""The campaign's page names the workgroups assigned to it (whose members see it),
read-only; administrators get a link to each workgroup and to the workgroups page."""

from __future__ import annotations

import re

from tests.factories import PASSWORD, make_campaign, make_user, make_workgroup


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_staff_see_the_assigned_workgroups_without_links(staff, session):
    campaign = make_campaign(session)
    other = make_campaign(session)
    member = make_user(session, role="member")
    make_workgroup(session, name="Transport", campaigns=[campaign], members=[member])
    make_workgroup(session, name="arts council", campaigns=[campaign])
    make_workgroup(session, name="Housing", campaigns=[other])
    response = staff.get(f"/staff/campaigns/{campaign.id}/edit")
    assert response.status_code == 200
    page = _text(response)
    part = page[page.index("Workgroups") :]
    # By name (whatever the case), each with how many members; not other campaigns'.
    assert "arts council (0 members) Transport (1 member)" in part
    assert "Housing" not in page
    assert "An administrator assigns workgroups to campaigns." in part
    assert "/admin/workgroups" not in response.get_data(as_text=True)


def test_administrators_get_links_to_the_workgroups(pages, session):
    admin = make_user(session, role="admin")
    assert pages.login(admin.email, PASSWORD).status_code == 302
    campaign = make_campaign(session)
    workgroup = make_workgroup(session, name="Transport", campaigns=[campaign])
    html = pages.get(f"/staff/campaigns/{campaign.id}/edit").get_data(as_text=True)
    assert f'href="/admin/workgroups/{workgroup.id}">Transport</a>' in html
    assert 'href="/admin/workgroups">Assign workgroups on the workgroups page</a>' in html


def test_a_campaign_without_workgroups_says_who_sees_it(staff, session):
    campaign = make_campaign(session)
    page = _text(staff.get(f"/staff/campaigns/{campaign.id}/edit"))
    assert "No workgroup is assigned to this campaign yet: only staff and administrators" in page


def test_a_refused_save_still_lists_the_workgroups(staff, session):
    campaign = make_campaign(session)
    make_workgroup(session, name="Transport", campaigns=[campaign])
    response = staff.submit(f"/staff/campaigns/{campaign.id}/edit", {"title": "", "slug": ""})
    assert response.status_code == 400
    assert "Transport (0 members)" in _text(response)
