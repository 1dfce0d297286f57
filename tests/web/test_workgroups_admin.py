"""Workgroup administration through its pages: create and rename, members, campaigns,
the refusals a person can run into, and the audit entries each change leaves."""

from __future__ import annotations

import html
import re

import pytest
import sqlalchemy as sa

from engage.models import AuditEvent, Workgroup
from tests.factories import PASSWORD, make_campaign, make_user, make_workgroup
from tests.support.client import PageClient


@pytest.fixture
def admin(session, pages):
    user = make_user(session, email="ada@example.org", name="Ada", role="admin")
    assert pages.login("ada@example.org", PASSWORD).status_code == 302
    return user


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _flash(response) -> str:
    return " ".join(re.findall(r'<p class="flash[^"]*"[^>]*>([^<]*)</p>', _text(response)))


def _entries(session) -> list[tuple[str, str, str, dict]]:
    session.expire_all()
    return [
        (e.action, e.actor_email, e.subject_label, e.detail)
        for e in session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action != "sign_in").order_by(AuditEvent.id)
        )
    ]


def test_an_admin_creates_a_workgroup_fills_it_and_a_member_then_sees_the_campaign(
    app, session, pages, admin
):
    buses = make_campaign(session, title="Buses in Riverside")
    make_campaign(session, title="Rent in Old Market")
    marco = make_user(session, email="marco@example.org", name="Marco", role="member")
    make_user(
        session, email="gone@example.org", name="Gone", role="member", is_active_account=False
    )

    assert pages.get("/admin/workgroups").status_code == 200
    response = pages.submit(
        "/admin/workgroups/new", {"name": "  Transport  ", "description": "Buses and trains."}
    )
    assert response.status_code == 302
    workgroup = session.scalar(sa.select(Workgroup))
    assert (workgroup.name, workgroup.description) == ("Transport", "Buses and trains.")
    page_url = f"/admin/workgroups/{workgroup.id}"
    assert response.headers["Location"] == page_url
    page = _text(pages.get(page_url))
    assert "The workgroup “Transport” is created." in page
    assert "The workgroup has no members yet." in page
    # Only active accounts are offered.
    assert f'<option value="{marco.id}">Marco (marco@example.org)</option>' in page
    assert "gone@example.org" not in page

    response = pages.submit(f"{page_url}/members", {"user_id": marco.id}, form_page=page_url)
    assert response.status_code == 302
    assert response.headers["Location"] == f"{page_url}#members"
    response = pages.submit(f"{page_url}/campaigns", {"campaign_id": buses.id}, form_page=page_url)
    assert response.headers["Location"] == f"{page_url}#campaigns"
    page = pages.get(page_url)
    assert "“Buses in Riverside” is assigned to the workgroup." in _flash(page)
    listing = _text(pages.get("/admin/workgroups"))
    assert "Transport" in listing and "Buses and trains." in listing

    response = pages.submit(
        page_url, {"name": "Transport and streets", "description": ""}, form_page=page_url
    )
    assert response.status_code == 302
    assert "The workgroup is saved." in _flash(pages.get(page_url))

    # The member now finds the campaign, and only that one.
    member = PageClient(app.test_client())
    assert member.login("marco@example.org", PASSWORD).status_code == 302
    home = member.get("/staff/").get_data(as_text=True)
    assert "Buses in Riverside" in home and "Rent in Old Market" not in home

    log = _text(pages.get("/admin/audit"))
    assert "Person: marco@example.org" in log and "Campaign: Buses in Riverside" in log
    assert "Renamed from “Transport” to “Transport and streets”." in log
    assert _entries(session) == [
        ("workgroup_created", "ada@example.org", "Transport", {}),
        ("member_added", "ada@example.org", "Transport",
         {"user_id": marco.id, "user_email": "marco@example.org"}),
        ("campaign_assigned", "ada@example.org", "Transport",
         {"campaign_id": buses.id, "campaign_title": "Buses in Riverside"}),
        ("workgroup_changed", "ada@example.org", "Transport and streets",
         {"old_name": "Transport", "new_name": "Transport and streets",
          "description_changed": True}),
    ]  # fmt: skip


def test_removing_a_member_and_unassigning_a_campaign_close_it_to_them(session, pages, admin):
    buses = make_campaign(session, title="Buses in Riverside")
    marco = make_user(session, email="marco@example.org", name="Marco", role="member")
    workgroup = make_workgroup(session, name="Transport", members=[marco], campaigns=[buses])
    page_url = f"/admin/workgroups/{workgroup.id}"
    page = _text(pages.get(page_url))
    assert 'Remove<span class="visually-hidden"> Marco</span>' in page
    assert 'Unassign<span class="visually-hidden"> Buses in Riverside</span>' in page

    remove = f"{page_url}/members/{marco.id}/remove"
    response = pages.submit(remove, {}, form_page=page_url, follow_redirects=True)
    assert "Marco is no longer a member." in _flash(response)
    response = pages.submit(remove, {}, form_page=page_url, follow_redirects=True)
    assert "Marco is not a member of this workgroup." in _flash(response)

    unassign = f"{page_url}/campaigns/{buses.id}/remove"
    response = pages.submit(unassign, {}, form_page=page_url, follow_redirects=True)
    assert "“Buses in Riverside” is no longer assigned to the workgroup." in _flash(response)
    response = pages.submit(unassign, {}, form_page=page_url, follow_redirects=True)
    assert "“Buses in Riverside” is not assigned to this workgroup." in _flash(response)

    session.refresh(workgroup)
    assert workgroup.members == [] and workgroup.campaigns == []
    assert [e[0] for e in _entries(session)] == ["member_removed", "campaign_unassigned"]
    assert _entries(session)[0][3] == {"user_id": marco.id, "user_email": "marco@example.org"}


def test_a_duplicate_name_is_refused_on_the_form_whatever_its_case(session, pages, admin):
    make_workgroup(session, name="Transport")
    other = make_workgroup(session, name="Housing")
    response = pages.submit("/admin/workgroups/new", {"name": "transport", "description": "x"})
    assert response.status_code == 400
    page = _text(response)
    assert "Another workgroup already has this name." in page
    assert page.count("Another workgroup already has this name.") == 2  # summary and field
    assert "<title>Error: New workgroup" in page
    assert 'value="transport"' in page  # what was typed is kept

    url = f"/admin/workgroups/{other.id}"
    response = pages.submit(url, {"name": "TRANSPORT", "description": ""}, form_page=url)
    assert response.status_code == 400
    assert "Another workgroup already has this name." in _text(response)
    session.refresh(other)
    assert other.name == "Housing"
    changes = sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action != "sign_in")
    assert session.scalar(changes) == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "description": ""}, "Enter a name for the workgroup."),
        ({"name": "x" * 121, "description": ""}, "Use at most 120 characters."),
        ({"name": "Bad\x00name", "description": ""}, "characters that cannot be saved"),
    ],
)
def test_a_workgroup_name_must_be_given_short_and_storable(session, pages, admin, data, message):
    response = pages.submit("/admin/workgroups/new", data)
    assert response.status_code == 400
    assert message in _text(response)
    assert session.scalar(sa.select(sa.func.count(Workgroup.id))) == 0


def test_unknown_or_unfit_people_and_campaigns_are_refused_with_a_reason(session, pages, admin):
    buses = make_campaign(session, title="Buses in Riverside")
    marco = make_user(session, email="marco@example.org", name="Marco", role="member")
    gone = make_user(session, email="gone@example.org", role="member", is_active_account=False)
    workgroup = make_workgroup(session, name="Transport", members=[marco], campaigns=[buses])
    url = f"/admin/workgroups/{workgroup.id}"

    def refused(path, data, message):
        response = pages.submit(f"{url}/{path}", data, form_page=url)
        assert response.status_code == 400, data
        page = _text(response)
        assert message in page, data
        assert "<title>Error: Transport" in page

    refused("members", {"user_id": ""}, "Choose a person to add.")
    refused("members", {"user_id": "424242"}, "Choose one of the active accounts offered.")
    refused("members", {"user_id": "99999999999999999999"}, "Choose one of the active accounts")
    refused("members", {"user_id": "abc"}, "Choose one of the active accounts offered.")
    refused("members", {"user_id": gone.id}, "Choose one of the active accounts offered.")
    refused("members", {"user_id": marco.id}, "Marco is already a member of this workgroup.")
    refused("campaigns", {"campaign_id": ""}, "Choose a campaign to assign.")
    refused("campaigns", {"campaign_id": "424242"}, "Choose one of the campaigns offered.")
    refused(
        "campaigns",
        {"campaign_id": buses.id},
        "“Buses in Riverside” is already assigned to this workgroup.",
    )
    session.refresh(workgroup)
    assert workgroup.members == [marco] and workgroup.campaigns == [buses]
    changes = sa.select(sa.func.count(AuditEvent.id)).where(AuditEvent.action != "sign_in")
    assert session.scalar(changes) == 0


def test_addresses_of_missing_workgroups_people_and_campaigns_are_404(session, pages, admin):
    workgroup = make_workgroup(session, name="Transport")
    url = f"/admin/workgroups/{workgroup.id}"
    assert pages.get("/admin/workgroups/424242").status_code == 404
    assert pages.get("/admin/workgroups/99999999999").status_code == 404
    assert pages.submit(f"{url}/members/424242/remove", {}, form_page=url).status_code == 404
    assert pages.submit(f"{url}/campaigns/424242/remove", {}, form_page=url).status_code == 404


def test_changes_without_the_form_token_are_refused(session, client, admin, pages):
    workgroup = make_workgroup(session, name="Transport")
    marco = make_user(session, role="member")
    response = client.post(f"/admin/workgroups/{workgroup.id}/members", data={"user_id": marco.id})
    assert response.status_code == 400
    session.refresh(workgroup)
    assert workgroup.members == []


def test_a_long_list_of_workgroups_is_paginated(session, pages, admin):
    session.add_all(Workgroup(name=f"Group {n:03d}", description="") for n in range(55))
    session.commit()
    first = _text(pages.get("/admin/workgroups"))
    assert "Group 000" in first and "Group 049" in first and "Group 050" not in first
    assert "Page 1 of 2" in first
    second = _text(pages.get("/admin/workgroups?page=2"))
    assert "Group 050" in second and "Group 000" not in second


@pytest.mark.parametrize("role", ["staff", "member", "interviewer"])
def test_only_administrators_manage_workgroups(session, pages, role):
    workgroup = make_workgroup(session, name="Transport")
    make_user(session, email="x@example.org", role=role)
    pages.login("x@example.org", PASSWORD)
    assert pages.get("/admin/workgroups").status_code == 403
    assert pages.get(f"/admin/workgroups/{workgroup.id}").status_code == 403
    assert 'href="/admin/workgroups"' not in pages.get("/staff/").get_data(as_text=True)
