"""Imports refused with a clear message, never a 500: oversized files (the IMPORT_MAX_*
settings), JSON nested too deep, and text no database keeps."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook

from tests.factories import PASSWORD, make_campaign, make_survey, make_user
from tests.support.client import csrf_token_from


@pytest.fixture
def signed_in(pages, session):
    make_user(session, email="staff@example.org", role="staff")
    pages.login("staff@example.org", PASSWORD)
    return pages


def _xlsform(rows: int) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("survey")
    sheet.append(["type", "name", "label"])
    for n in range(rows):
        sheet.append(["text", f"q{n}", f"Question {n}"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsform_with_too_many_rows_is_refused_with_the_bound(
    app, signed_in, session, monkeypatch
):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 20)
    campaign = make_campaign(session)
    url = f"/staff/campaigns/{campaign.id}/surveys/new"
    fits = signed_in.submit(
        url,
        {"definition_file": (io.BytesIO(_xlsform(19)), "form.xlsx")},
        content_type="multipart/form-data",
    )
    assert fits.status_code == 200  # the preview: nothing is created until confirmed
    assert "Check the import" in fits.get_data(as_text=True)
    response = signed_in.submit(
        url,
        {"definition_file": (io.BytesIO(_xlsform(20)), "form.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "The file has more than 20 rows" in response.get_data(as_text=True)


def test_a_translation_file_with_too_many_rows_is_refused(app, signed_in, session, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 5)
    survey = make_survey(session)
    base = f"/staff/surveys/{survey.id}/translations"
    token = csrf_token_from(signed_in.get(base).get_data(as_text=True))
    csv = ("key,source (en),translation (es)\n" + "title,Small survey,Encuesta\n" * 5).encode()
    response = signed_in.client.post(
        f"{base}/es/import",
        data={"es-csrf_token": token, "es-file": (io.BytesIO(csv), "es.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The file has more than 5 rows" in page
    assert "nothing has changed" in page


def test_a_workbook_that_unpacks_too_large_is_refused(app, signed_in, session, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_UNZIPPED_BYTES", 512 * 1024)
    campaign = make_campaign(session)
    response = signed_in.submit(
        f"/staff/campaigns/{campaign.id}/surveys/new",
        {"definition_file": (io.BytesIO(_xlsform(4_000)), "form.xlsx")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "unpacks to more than 0.5 MB" in response.get_data(as_text=True)


def _upload_definition(pages, campaign, body: bytes):
    return pages.submit(
        f"/staff/campaigns/{campaign.id}/surveys/new",
        {"definition_file": (io.BytesIO(body), "survey.json")},
        content_type="multipart/form-data",
    )


def test_a_json_survey_nested_too_deep_is_refused(signed_in, session):
    # Found by tests/fuzz: Python's JSON parser gave up with a RecursionError (a 500).
    campaign = make_campaign(session)
    for body in (b"[" * 100_000, b'{"a":' * 100_000):
        response = _upload_definition(signed_in, campaign, body)
        assert response.status_code == 400
        assert "nested too deeply" in response.get_data(as_text=True)


def test_a_json_survey_with_text_no_database_keeps_is_refused(signed_in, session):
    # Found by tests/fuzz: a label with a lone surrogate was imported, and then every view
    # of the survey's builder failed while encoding the page (a 500). NUL is refused too,
    # as it is in every form.
    campaign = make_campaign(session)
    definition = {
        "slug": "odd-text",
        "source_language": "en",
        "languages": ["en"],
        "title": {"en": "Title"},
        "pages": [{"key": "p", "questions": [{"code": "a", "type": "short_text"}]}],
    }
    for text in ("x\x00y", "x\ud800y"):
        definition["pages"][0]["questions"][0]["label"] = {"en": text}
        body = json.dumps(definition).encode()
        response = _upload_definition(signed_in, campaign, body)
        assert response.status_code == 400, text
        assert "characters that cannot be saved" in response.get_data(as_text=True)
    assert signed_in.get(f"/staff/campaigns/{campaign.id}/surveys/new").status_code == 200


def test_a_translation_file_with_a_nul_is_refused(signed_in, session):
    # Found by tests/fuzz: a NUL in a CSV translation was stored in the survey's draft.
    survey = make_survey(session)
    base = f"/staff/surveys/{survey.id}/translations"
    token = csrf_token_from(signed_in.get(base).get_data(as_text=True))
    csv = b"key,source (en),translation (es)\ntitle,Small survey,Encu\x00esta\n"
    response = signed_in.client.post(
        f"{base}/es/import",
        data={"es-csrf_token": token, "es-file": (io.BytesIO(csv), "es.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "characters that cannot be saved" in response.get_data(as_text=True)
    session.refresh(survey)
    assert survey.draft_definition["title"] == {"en": "Small survey", "es": "Encuesta pequeña"}
