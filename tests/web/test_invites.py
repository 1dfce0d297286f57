"""Panel surveys: personal invitation links, one response each, on the web and the API."""

from __future__ import annotations

import re
import threading

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.extensions import db
from engage.invitations import services as invites
from engage.invitations.services import InviteError
from engage.models import Response, ResponseDraft, SurveyInvite
from tests.factories import make_survey, small_definition
from tests.support.client import csrf_token_from
from tests.support.databases import make_migrated_app
from tests.web.test_survey_pages import Resident


def _panel(session, *, invite_only: bool = True, count: int = 2, labels=()):
    survey = make_survey(session, definition=small_definition("panel"))
    survey.invite_only = invite_only
    created = invites.create_invites(session, survey, count=count, labels=list(labels))
    session.commit()
    return survey, [new.token for new in created]


def _responses(session) -> int:
    return session.scalar(sa.select(sa.func.count()).select_from(Response))


def _start_with_invite(resident: Resident, token: str):
    response = resident.open(f"/s/panel/i/{token}")
    assert response.status_code == 200
    assert f'name="invite" value="{token}"' in resident.page_html
    return resident.post({"invite": token}, "/s/panel/start")


def _answer(resident: Resident):
    assert resident.post({"obstacle": "The bus is late", "bus_importance": "7"}).status_code == 302
    assert "/p/about" in resident.location
    return resident.post({"area": "north"})


# The service


def test_invites_are_stored_as_hashes_with_labels(session):
    survey, tokens = _panel(session, count=3, labels=["P-001", "P-002"])
    stored = invites.list_invites(session, survey)
    assert [i.label for i in stored] == ["P-001", "P-002", ""]
    assert len(set(tokens)) == 3 and all(len(t) >= 20 for t in tokens)
    for token, invite in zip(tokens, stored, strict=True):
        assert invite.token_hash != token and token not in invite.token_hash
        assert invites.get_invite_by_token(session, survey, token) == invite
    assert invites.get_invite_by_token(session, survey, "not-a-token") is None
    other = make_survey(session, definition=small_definition("other"))
    assert invites.get_invite_by_token(session, other, tokens[0]) is None


def test_an_invitation_cannot_be_consumed_twice(session):
    survey, tokens = _panel(session, count=1)
    invite = invites.get_invite_by_token(session, survey, tokens[0])
    invites.consume_invite(session, invite.id)
    with pytest.raises(InviteError) as refused:
        invites.consume_invite(session, invite.id)
    assert refused.value.code == "used"
    assert invite.used_at is not None
    counts = invites.count_invites(session, survey)
    assert (counts.total, counts.used, counts.unused) == (1, 1, 0)


def test_two_transactions_cannot_both_consume_one_invitation(backend, database_factory):
    """The second transaction waits for the first, then finds the invitation used."""
    app = make_migrated_app(database_factory.create(backend))
    with app.app_context():
        engine = db.engine
    with Session(engine) as setup:
        survey, tokens = _panel(setup, count=1)
        invite_id = invites.get_invite_by_token(setup, survey, tokens[0]).id
    first, second = Session(engine), Session(engine)
    outcome: list[str] = []

    def consume_in_second() -> None:
        try:
            # The UPDATE is this transaction's first statement, as in a real submission
            # that lost the race (on SQLite a read before it would fail as "locked").
            invites.consume_invite(second, invite_id)
            second.commit()
            outcome.append("consumed")
        except InviteError:
            second.rollback()
            outcome.append("refused")

    try:
        invites.consume_invite(first, invite_id)
        other = threading.Thread(target=consume_in_second)
        other.start()
        other.join(timeout=0.5)
        assert other.is_alive(), "the second transaction should wait for the first"
        first.commit()
        other.join(timeout=10)
        assert outcome == ["refused"]
    finally:
        first.close()
        second.close()
    with Session(engine) as check:
        assert check.get(SurveyInvite, invite_id).used_at is not None


# Residents


def test_an_invitation_link_gives_one_response(session, client, app):
    survey, tokens = _panel(session)
    resident = Resident(client, "panel")
    _start_with_invite(resident, tokens[0])
    assert "/p/feedback" in resident.location
    response = _answer(resident)
    assert response.headers["Location"].endswith("/s/panel/thanks")
    assert _responses(session) == 1
    invite = invites.get_invite_by_token(session, survey, tokens[0])
    session.refresh(invite)
    assert invite.used_at is not None
    # The invitation is not linked to the answers, not even through the draft.
    assert session.scalar(sa.select(ResponseDraft.invite_id)) is None

    again = app.test_client().get(f"/s/panel/i/{tokens[0]}")
    assert again.status_code == 403
    assert "Your answers have already been received" in again.get_data(as_text=True)
    # The other invitation still works.
    assert app.test_client().get(f"/s/panel/i/{tokens[1]}").status_code == 200


def test_invite_only_survey_without_an_invitation_is_politely_refused(session, client):
    _panel(session)
    page = client.get("/s/panel")
    assert page.status_code == 403
    html = page.get_data(as_text=True)
    assert "This survey is by invitation" in html
    assert "/s/panel/resume" in html
    token = csrf_token_from(client.get("/s/panel/resume").get_data(as_text=True))
    start = client.post("/s/panel/start", data={"csrf_token": token})
    assert start.status_code == 403
    assert "This survey is by invitation" in start.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(ResponseDraft)) == 0


def test_refusal_pages_are_translated_pages_not_errors(session, client):
    _panel(session)
    page = client.get("/s/panel?lang=es")
    assert page.status_code == 403
    assert '<html lang="es"' in page.get_data(as_text=True)


def test_an_unknown_invitation_link_says_so(session, client):
    _panel(session)
    response = client.get("/s/panel/i/made-up-token")
    assert response.status_code == 403
    assert "This invitation link does not work" in response.get_data(as_text=True)
    token = csrf_token_from(client.get("/s/panel/resume").get_data(as_text=True))
    start = client.post("/s/panel/start", data={"csrf_token": token, "invite": "made-up"})
    assert start.status_code == 403


def test_a_double_submit_with_an_invitation_stores_one_response(session, client):
    _, tokens = _panel(session)
    resident = Resident(client, "panel")
    _start_with_invite(resident, tokens[0])
    resident.post({"obstacle": "Rent", "bus_importance": "3"})
    data = {"area": "south", "csrf_token": csrf_token_from(resident.page_html)}
    first = client.post(resident.location, data=data)
    second = client.post(resident.location, data=data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith("/thanks")
    assert _responses(session) == 1


def test_an_invitation_opened_on_two_phones_answers_once(session, app):
    _, tokens = _panel(session)
    phone, tablet = Resident(app.test_client(), "panel"), Resident(app.test_client(), "panel")
    _start_with_invite(phone, tokens[0])
    _start_with_invite(tablet, tokens[0])
    phone.post({"obstacle": "First", "bus_importance": "1"})
    tablet.post({"obstacle": "Second", "bus_importance": "2"})
    assert phone.post({"area": "north"}).headers["Location"].endswith("/thanks")
    refused = tablet.post({"area": "south"})
    assert refused.status_code == 403
    assert "Your answers have already been received" in tablet.page_html
    assert _responses(session) == 1
    # Nothing the second person entered is lost: the draft keeps every page.
    drafts = session.scalars(sa.select(ResponseDraft).where(ResponseDraft.response_id.is_(None)))
    kept = [d.answers for d in drafts]
    assert kept == [{"obstacle": "Second", "bus_importance": 2, "area": "south"}]


def test_a_resume_code_continues_an_invitation_draft(session, app):
    survey, tokens = _panel(session)
    phone = Resident(app.test_client(), "panel")
    _start_with_invite(phone, tokens[0])
    phone.post({"obstacle": "Late", "bus_importance": "4", "action": "save"})
    code = re.search(r'class="resume-code"[^>]*>([A-Z0-9-]+)<', phone.page_html).group(1)

    laptop = Resident(app.test_client(), "panel")
    laptop.open("/s/panel/resume")
    laptop.post({"code": code})
    assert "/p/feedback" in laptop.location
    laptop.post({"obstacle": "Late", "bus_importance": "4"})
    assert laptop.post({"area": "north"}).headers["Location"].endswith("/thanks")
    assert _responses(session) == 1
    invite = invites.get_invite_by_token(session, survey, tokens[0])
    session.refresh(invite)
    assert invite.used_at is not None


def test_an_invitation_also_limits_an_open_survey(session, client, app):
    _, (token, _other) = _panel(session, invite_only=False)
    anyone = Resident(client, "panel")
    anyone.open("/s/panel")
    assert anyone.post({}, "/s/panel/start").status_code == 302  # open to everyone
    invited = Resident(app.test_client(), "panel")
    _start_with_invite(invited, token)
    _answer(invited)
    assert app.test_client().get(f"/s/panel/i/{token}").status_code == 403


# The JSON API

ANSWERS = {"obstacle": "Buses are late", "bus_importance": 8}


def test_api_requires_an_invitation_for_invite_only_surveys(session, client):
    _panel(session)
    url = "/api/v1/surveys/panel/responses"
    missing = client.post(url, json={"answers": ANSWERS})
    assert missing.status_code == 403
    assert missing.get_json()["error"]["code"] == "invite_required"
    unknown = client.post(url, json={"answers": ANSWERS, "invite": "nope"})
    assert unknown.status_code == 403
    assert unknown.get_json()["error"]["code"] == "invite_invalid"
    assert _responses(session) == 0


def test_api_consumes_the_invitation_and_retries_are_idempotent(session, client):
    survey, tokens = _panel(session)
    url = "/api/v1/surveys/panel/responses"
    body = {"answers": ANSWERS, "invite": tokens[0]}
    first = client.post(url, json=body, headers={"Idempotency-Key": "k-1"})
    retry = client.post(url, json=body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201 and retry.status_code == 200
    assert first.get_json()["id"] == retry.get_json()["id"]
    reuse = client.post(url, json=body, headers={"Idempotency-Key": "k-2"})
    assert reuse.status_code == 403
    assert reuse.get_json()["error"]["code"] == "invite_used"
    by_header = client.post(url, json={"answers": ANSWERS}, headers={"Invite-Token": tokens[1]})
    assert by_header.status_code == 201
    assert _responses(session) == 2
    assert invites.count_invites(session, survey).used == 2


def test_api_invalid_answers_do_not_use_up_the_invitation(session, client):
    survey, tokens = _panel(session)
    url = "/api/v1/surveys/panel/responses"
    bad = client.post(url, json={"answers": {"bus_importance": 11}, "invite": tokens[0]})
    assert bad.status_code == 422
    assert invites.count_invites(session, survey).used == 0
    good = client.post(url, json={"answers": ANSWERS, "invite": tokens[0]})
    assert good.status_code == 201
