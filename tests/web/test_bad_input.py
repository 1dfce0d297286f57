"""Odd input gets a clear answer, never a 500, on SQLite and PostgreSQL (issue 10's
reproductions): NUL characters and lone surrogates, deep JSON, long source tags, ids no
database column holds, and workbooks whose XML is broken."""

from __future__ import annotations

import io
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from engage.models import Campaign, FeedbackItem, Response, ResponseDraft
from tests.factories import PASSWORD, make_campaign, make_survey, make_user, small_definition
from tests.support.client import csrf_token_from
from tests.support.resident import answers_sent_from

NUL = "\x00"
LONE_SURROGATE = '"\\ud800"'  # as a client sends it in JSON


@pytest.fixture
def survey(session):
    return make_survey(session, definition=small_definition("odd"))


def _api(client, survey, body: str):
    return client.post(
        f"/api/v1/surveys/{survey.slug}/responses", data=body, content_type="application/json"
    )


def _errors(response) -> list[tuple[str, str]]:
    return [(e["code"], e["question"]) for e in response.get_json()["error"]["errors"]]


def test_api_text_that_cannot_be_stored_is_refused_with_the_question_named(client, survey):
    for text in ['"bus\\u0000stop"', LONE_SURROGATE]:
        response = _api(client, survey, '{"answers": {"obstacle": ' + text + "}}")
        assert response.status_code == 422, text
        assert _errors(response) == [("unstorable_text", "obstacle")]
        assert "cannot be saved" in response.get_json()["error"]["errors"][0]["message"]


def test_api_odd_source_and_invite_never_fail(client, session, survey):
    body = '{"answers": {"obstacle": "Buses"}, "source": "flyer\\u0000' + "x" * 200 + '"}'
    response = _api(client, survey, body)
    assert response.status_code == 201
    stored = session.get(Response, response.get_json()["id"])
    assert stored.source_tag == "flyer" + "x" * 75
    invite = _api(client, survey, '{"answers": {"obstacle": "Buses"}, "invite": "x\\u0000"}')
    assert invite.status_code == 403
    assert invite.get_json()["error"]["code"] == "invite_invalid"
    surrogate = _api(client, survey, '{"answers": {"obstacle": "Buses"}, "invite": "\\ud800"}')
    assert surrogate.status_code == 403


def test_api_json_nested_too_deep_is_a_bad_request(client, survey):
    deep = "[" * 5000 + "]" * 5000
    response = _api(client, survey, '{"answers": {}, "extra": ' + deep + "}")
    assert response.status_code == 400
    assert response.get_json()["error"]["status"] == 400


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/s/%00", 404),
        ("/s/%00/resume", 404),
        ("/api/v1/surveys/%00", 404),
        ("/s/odd/i/%00", 403),  # "this invitation is not valid"
        ("/auth/reset/%00", 404),  # "this link is not valid"
    ],
)
def test_addresses_with_a_nul_get_their_ordinary_answer(client, survey, path, status):
    assert client.get(path).status_code == status


def test_a_long_source_tag_does_not_stop_a_resident_from_starting(client, session, survey):
    intro = client.get(f"/s/{survey.slug}")
    token = csrf_token_from(intro.get_data(as_text=True))
    source = "qr-" + "x" * 200
    started = client.post(f"/s/{survey.slug}/start?source={source}", data={"csrf_token": token})
    assert started.status_code == 302 and "/p/" in started.headers["Location"]
    draft = session.scalar(sa.select(ResponseDraft))
    assert draft.source_tag == source[:80]


def test_a_resident_who_typed_a_nul_is_told_and_can_still_send(client, session, survey):
    intro = client.get(f"/s/{survey.slug}")
    started = client.post(
        f"/s/{survey.slug}/start", data={"csrf_token": csrf_token_from(intro.get_data(True))}
    )
    page_url = started.headers["Location"]
    page = client.get(page_url).get_data(as_text=True)
    token = csrf_token_from(page)
    refused = client.post(
        page_url,
        data={"csrf_token": token, "obstacle": f"The bus{NUL} never came", "bus_importance": "7"},
    )
    assert refused.status_code == 400
    html = refused.get_data(as_text=True)
    assert "This answer contains characters that cannot be saved" in html
    assert 'href="#obstacle"' in html
    assert 'value="7" checked' in html  # what was typed elsewhere is kept
    sent = client.post(
        page_url,
        data={"csrf_token": token, "obstacle": "The bus never came", "bus_importance": "7"},
    )
    assert sent.status_code == 302
    about = client.get(sent.headers["Location"])
    done = client.post(
        sent.headers["Location"],
        data={"csrf_token": csrf_token_from(about.get_data(True)), "area": "north"},
    )
    assert done.status_code == 302 and done.headers["Location"].endswith("/thanks")
    assert session.scalar(sa.select(FeedbackItem.text)) == "The bus never came"


def test_forms_refuse_text_that_cannot_be_stored_on_the_field(client, pages, session, survey):
    login = pages.submit("/auth/login", {"email": f"ana{NUL}@example.org", "password": "x" * 12})
    assert login.status_code == 400
    assert "cannot be saved" in login.get_data(as_text=True)
    answers_sent_from(pages.client, session, survey)
    thanks = pages.submit(
        f"/s/{survey.slug}/thanks", {"name": f"Ana{NUL}", "email": "ana@example.org"}
    )
    assert thanks.status_code == 400
    assert "cannot be saved" in thanks.get_data(as_text=True)


def test_staff_forms_and_addresses_with_odd_input(pages, session):
    make_user(session, email="admin@example.org", role="admin")
    pages.login("admin@example.org", PASSWORD)
    created = pages.submit(
        "/staff/campaigns/new",
        {"title": f"West{NUL}side", "slug": "westside", "languages": ["en"], "status": "open"},
    )
    assert created.status_code == 400
    assert "cannot be saved" in created.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Campaign.id))) == 0
    invited = pages.submit(
        "/admin/users/invite", {"email": f"new{NUL}@example.org", "role": "staff"}
    )
    assert invited.status_code == 400
    too_big = 2**31
    assert pages.get(f"/staff/surveys/{too_big}").status_code == 404
    assert pages.get(f"/staff/campaigns/{too_big}/themes").status_code == 404
    assert pages.get(f"/admin/users/{too_big}/role").status_code in (404, 405)
    assert pages.client.post(f"/admin/users/{too_big}/role").status_code == 404


def _broken_workbook() -> bytes:
    book = Workbook()
    book.active.title = "survey"
    book.active.append(["type", "name", "label"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = data.replace(b"<", b"<<", 3)  # XML no parser reads
            target.writestr(item, data)
    return out.getvalue()


def test_a_workbook_with_broken_xml_is_refused_with_a_reason(pages, session):
    make_user(session, email="staff@example.org", role="staff")
    pages.login("staff@example.org", PASSWORD)
    campaign = make_campaign(session)
    response = pages.submit(
        f"/staff/campaigns/{campaign.id}/surveys/new",
        {"definition_file": (io.BytesIO(_broken_workbook()), "form.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "This is not an Excel workbook" in response.get_data(as_text=True)


def test_a_translation_workbook_with_broken_xml_is_refused_with_a_reason(pages, session, survey):
    make_user(session, email="staff@example.org", role="staff")
    pages.login("staff@example.org", PASSWORD)
    base = f"/staff/surveys/{survey.id}/translations"
    token = csrf_token_from(pages.get(base).get_data(as_text=True))
    response = pages.client.post(
        f"{base}/es/import",
        data={"es-csrf_token": token, "es-file": (io.BytesIO(_broken_workbook()), "es.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "The file is not an Excel workbook (.xlsx)." in response.get_data(as_text=True)
