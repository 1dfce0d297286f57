"""Staff read a campaign's contact opt-ins and download them as a file of their own,
audited; interviewers and workgroup members never see them."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from engage.models import AuditEvent, Campaign, ContactOptIn
from engage.web.messages import audit_action_label, audit_detail_text
from tests.factories import PASSWORD, make_campaign, make_survey, make_user, make_workgroup

FORMULA_NAME = '=HYPERLINK("http://evil.example","x")'


@pytest.fixture
def campaign(session):
    campaign = make_campaign(session, title="Buses in Riverside", slug="buses")
    make_survey(session, campaign=campaign, slug="buses-survey")
    other = make_campaign(session, title="Parks")
    rows = [
        (campaign, "Rosa", "rosa@example.org", "es", 3),
        (campaign, FORMULA_NAME, "+447700900123", "ar", 4),
        (campaign, "", "-1+1@example.org", "en", 5),
        (other, "Elsewhere", "else@example.org", "en", 6),
    ]
    for owner, name, contact, language, day in rows:
        session.add(
            ContactOptIn(
                campaign_id=owner.id,
                name=name,
                contact=contact,
                language=language,
                created_at=datetime(2026, 11, day, 10, tzinfo=UTC),
            )
        )
    session.commit()
    return SimpleNamespace(id=campaign.id)


def test_staff_see_the_campaigns_contact_opt_ins_only(staff, campaign):
    response = staff.get(f"/staff/campaigns/{campaign.id}/contacts")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 residents left contact details." in page
    assert "rosa@example.org" in page and "+447700900123" in page and "Rosa" in page
    assert "Spanish" in page and "Arabic" in page
    assert "Nov 3, 2026" in page
    assert "else@example.org" not in page  # another campaign's


def test_the_campaign_pages_link_to_the_contacts(staff, campaign):
    link = f'href="/staff/campaigns/{campaign.id}/contacts"'
    assert link in staff.get(f"/staff/campaigns/{campaign.id}/edit").get_data(as_text=True)
    assert link in staff.get("/staff/").get_data(as_text=True)


def test_the_download_is_a_formula_safe_csv_apart_from_the_answers_and_audited(
    staff, campaign, session
):
    response = staff.submit(
        f"/staff/campaigns/{campaign.id}/contacts/export",
        {},
        form_page=f"/staff/campaigns/{campaign.id}/contacts",
    )
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="buses-contacts.csv"'
    text = response.get_data(as_text=True)
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert list(rows[0]) == ["name", "contact", "kind", "language", "created_at", "purpose"]
    assert [(r["name"], r["contact"], r["kind"], r["language"]) for r in rows] == [
        ("Rosa", "rosa@example.org", "email", "es"),
        ("'" + FORMULA_NAME, "'+447700900123", "phone", "ar"),  # a spreadsheet keeps the +
        ("", "'-1+1@example.org", "email", "en"),
    ]
    assert rows[0]["created_at"].startswith("2026-11-03T10:00")
    event = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "contacts_exported"))
    assert (event.subject_label, event.detail) == ("Buses in Riverside", {"count": 3})
    assert audit_action_label("contacts_exported") == "Contact details downloaded"


def test_an_empty_list_says_so_and_offers_no_download(staff, session):
    empty = make_campaign(session)
    page = staff.get(f"/staff/campaigns/{empty.id}/contacts").get_data(as_text=True)
    assert "No resident has left contact details" in page
    assert "/contacts/export" not in page


@pytest.mark.parametrize("role", ["member", "interviewer"])
def test_members_and_interviewers_of_the_campaign_are_refused(pages, session, campaign, role):
    user = make_user(session, role=role)
    own = session.get(Campaign, campaign.id)
    workgroup = make_workgroup(session, campaigns=[own])
    workgroup.members.append(user)
    session.commit()
    assert pages.login(user.email, PASSWORD).status_code == 302
    assert pages.get(f"/staff/campaigns/{campaign.id}/contacts").status_code == 403
    home = pages.get("/staff/").get_data(as_text=True)
    assert "/contacts" not in home


def test_the_audit_log_says_how_many_contacts_and_how_responses_were_exported():
    assert audit_detail_text("contacts_exported", {"count": 3}) == "3 residents' contact details."
    assert audit_detail_text("contacts_exported", {"count": 1}) == "1 resident's contact details."
    detail = {"format": "csv", "channel": "paper", "labels": "es", "codebook": True}
    assert audit_detail_text("exported", detail) == (
        "Format: CSV. Options: channel=paper, labels=es, codebook."
    )
    assert audit_detail_text("exported", {"format": "json"}) == "Format: JSON."
