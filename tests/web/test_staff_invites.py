"""The staff invitations page: invite-only switch, new links shown once, usage table."""

from __future__ import annotations

import csv
import io
import re
from html import unescape
from urllib.parse import unquote

import pytest
import sqlalchemy as sa

from engage.invitations import services as invites
from engage.models import SurveyInvite
from tests.factories import PASSWORD, make_survey, make_user, small_definition


@pytest.fixture
def survey(session):
    return make_survey(session, definition=small_definition("panel"))


@pytest.fixture
def staff(session, pages):
    make_user(session, email="staff@example.org", role="staff")
    pages.login("staff@example.org", PASSWORD)
    return pages


def _url(survey) -> str:
    return f"/staff/surveys/{survey.id}/invites"


def _csv_rows(html: str) -> list[list[str]]:
    href = unescape(re.search(r'href="(data:text/csv[^"]+)"', html).group(1))
    text = unquote(href.split(",", 1)[1])
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_staff_create_labelled_invitations_and_get_their_links_once(session, staff, survey):
    response = staff.submit(
        _url(survey), {"action": "create", "count": "", "labels": "P-001\n\nP-002\n=SUM(A1)\n"}
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "3 invitations created" in html
    assert 'download="invitations-panel.csv"' in html
    rows = _csv_rows(html)
    assert rows[0] == ["link", "label"]
    assert [label for _link, label in rows[1:]] == ["P-001", "P-002", "'=SUM(A1)"]
    links = [link for link, _label in rows[1:]]
    assert all(link.startswith("http://localhost/s/panel/i/") for link in links)
    for link in links:
        assert link in html  # also shown on the page, to copy
    # Only hashes are stored; each link opens the survey.
    token = links[0].rsplit("/", 1)[1]
    assert session.scalar(sa.select(sa.func.count()).where(SurveyInvite.token_hash == token)) == 0
    assert invites.get_invite_by_token(session, survey, token).label == "P-001"
    assert staff.get(links[0].removeprefix("http://localhost")).status_code == 200
    # Shown once: the page itself, loaded again, has no links.
    again = staff.get(_url(survey)).get_data(as_text=True)
    assert "/s/panel/i/" not in again and "data:text/csv" not in again
    assert "3 invitations: 0 used, 3 not used yet." in again


def test_staff_create_a_number_of_unlabelled_invitations(session, staff, survey):
    response = staff.submit(_url(survey), {"action": "create", "count": "5", "labels": ""})
    assert response.status_code == 200
    assert len(_csv_rows(response.get_data(as_text=True))) == 6
    assert invites.count_invites(session, survey).total == 5


@pytest.mark.parametrize(
    ("count", "labels", "message"),
    [
        ("", "", "Enter how many invitations to create"),
        ("two", "", "Enter a whole number from 1 to 1000"),
        ("0", "", "Enter a whole number from 1 to 1000"),
        ("1001", "", "Enter a whole number from 1 to 1000"),
        ("3", "a\nb", "The number of invitations (3) and the number of labels (2) differ"),
        ("", "x" * 121, "Label 1 is longer than 120 characters"),
    ],
)
def test_bad_input_is_explained_and_kept(session, staff, survey, count, labels, message):
    response = staff.submit(_url(survey), {"action": "create", "count": count, "labels": labels})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "<title>Error:" in html and message in unescape(html)
    if labels:  # nothing entered is lost
        assert labels in unescape(html)
    if count:
        assert f'value="{count}"' in html
    assert invites.count_invites(session, survey).total == 0


def test_staff_make_a_survey_invite_only_and_open_it_again(session, staff, survey, client):
    response = staff.submit(_url(survey), {"action": "invite_only", "invite_only": "yes"})
    assert response.status_code == 302
    session.refresh(survey)
    assert survey.invite_only is True
    page = staff.get(_url(survey)).get_data(as_text=True)
    assert "Only residents with an invitation can answer this survey now." in page
    assert client.get("/s/panel").status_code == 403
    staff.submit(_url(survey), {"action": "invite_only", "invite_only": "no"})
    session.refresh(survey)
    assert survey.invite_only is False


def test_the_table_shows_which_invitations_are_used(session, staff, survey):
    created = invites.create_invites(session, survey, count=2, labels=["Ana", "Ben"])
    invites.consume_invite(session, created[0].invite.id)
    session.commit()
    html = staff.get(_url(survey)).get_data(as_text=True)
    assert "2 invitations: 1 used, 1 not used yet." in html
    rows = re.findall(r"<tr>\s*<td>(\w+)</td>\s*<td>[^<]+</td>\s*<td>([^<]+)</td>", html)
    assert rows[0][0] == "Ana" and rows[0][1].startswith("Yes, on ")
    assert rows[1] == ("Ben", "No")


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("interviewer", 403)])
def test_only_campaign_managers_reach_the_page(session, pages, survey, role, status):
    make_user(session, email=f"{role}@example.org", role=role)
    pages.login(f"{role}@example.org", PASSWORD)
    assert pages.get(_url(survey)).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client, survey):
    assert client.get(_url(survey)).status_code == 302


def test_unknown_survey_is_404(staff):
    assert staff.get("/staff/surveys/999999/invites").status_code == 404


def test_a_long_table_of_invitations_comes_in_pages(session, staff, survey):
    invites.create_invites(session, survey, count=60, labels=[])
    session.commit()
    first = staff.get(_url(survey)).get_data(as_text=True)
    assert first.count("<tr>") == 1 + 50  # the heading and 50 invitations
    assert "Page 1 of 2" in first
    assert f'href="{_url(survey)}?page=2#invitations"' in first
    second = staff.get(f"{_url(survey)}?page=2").get_data(as_text=True)
    assert second.count("<tr>") == 1 + 10
    assert f'href="{_url(survey)}?page=1#invitations"' in second
    # A page number that is no page shows the first or the last page, never an error.
    assert "Page 1 of 2" in staff.get(f"{_url(survey)}?page=abc").get_data(as_text=True)
    assert "Page 2 of 2" in staff.get(f"{_url(survey)}?page=999999999999").get_data(as_text=True)
