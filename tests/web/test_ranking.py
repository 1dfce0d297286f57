"""The ranking question end to end: builder, preview, resident page without JavaScript,
the JSON API and the XLSForm download, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from engage.models import Answer, Response
from tests.factories import make_survey
from tests.support.client import csrf_token_from
from tests.web.test_survey_builder import add_question, draft, new_survey

OPTIONS = [
    ("parks", "Parks", "Parques"),
    ("housing", "Housing", "Vivienda"),
    ("buses", "Buses", "Autobuses"),
]


def ranking_definition(slug: str = "priorities") -> dict:
    return {
        "slug": slug,
        "source_language": "en",
        "languages": ["en", "es", "ar"],
        "title": {"en": "Priorities", "es": "Prioridades", "ar": "الأولويات"},
        "pages": [
            {
                "key": "order",
                "questions": [
                    {
                        "code": "priorities",
                        "type": "ranking",
                        "required": True,
                        "label": {
                            "en": "What should the city do first?",
                            "es": "¿Qué debería hacer primero la ciudad?",
                            "ar": "ماذا يجب أن تفعل المدينة أولًا؟",
                        },
                        "options": [
                            {"value": v, "label": {"en": en, "es": es, "ar": f"{en} (ar)"}}
                            for v, en, es in OPTIONS
                        ],
                    }
                ],
            }
        ],
    }


@pytest.fixture
def survey(session):
    return make_survey(session, definition=ranking_definition())


def _start(client, slug: str, lang: str = "en") -> tuple[str, str]:
    intro = client.get(f"/s/{slug}?lang={lang}")
    token = csrf_token_from(intro.get_data(as_text=True))
    started = client.post(f"/s/{slug}/start", data={"csrf_token": token})
    page = client.get(started.headers["Location"])
    return started.headers["Location"], page.get_data(as_text=True)


def test_a_resident_ranks_without_javascript(client, session, survey):
    url, html = _start(client, survey.slug)
    for value, label, _es in OPTIONS:
        assert f'<label for="priorities__{value}">{label}</label>' in html
        assert f'<select id="priorities__{value}" name="priorities__{value}"' in html
    token = csrf_token_from(html)
    refused = client.post(
        url,
        data={"csrf_token": token, "priorities__parks": "1", "priorities__housing": "1",
              "priorities__buses": "2", "action": "next"},
    )  # fmt: skip
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Give each option a different rank." in page
    assert 'href="#priorities__parks"' in page  # the error summary links to the first select
    assert re.search(r'<option value="2" selected>2</option>', page)  # nothing typed is lost
    sent = client.post(
        url,
        data={"csrf_token": token, "priorities__parks": "3", "priorities__housing": "1",
              "priorities__buses": "2", "action": "next"},
    )  # fmt: skip
    assert sent.status_code == 302 and sent.headers["Location"].endswith("/thanks")
    stored = session.scalar(sa.select(Answer).where(Answer.question_code == "priorities"))
    assert stored.value == ["housing", "buses", "parks"]


def test_the_ranking_page_speaks_spanish_and_arabic(app, survey):
    _url, spanish = _start(app.test_client(), survey.slug, "es")
    assert "Parques" in spanish and "Dé un puesto a cada opción" in spanish
    _url, arabic = _start(app.test_client(), survey.slug, "ar")
    assert 'dir="rtl"' in arabic and "أعطِ كل خيار ترتيبًا" in arabic


def test_the_api_takes_an_order_and_refuses_an_incomplete_one(client, session, survey):
    url = f"/api/v1/surveys/{survey.slug}/responses"
    definition = client.get(f"/api/v1/surveys/{survey.slug}").get_json()
    question = definition["pages"][0]["questions"][0]
    assert question["type"] == "ranking"
    assert [o["value"] for o in question["options"]] == ["parks", "housing", "buses"]
    refused = client.post(url, json={"answers": {"priorities": ["buses", "parks"]}})
    assert refused.status_code == 422
    error = refused.get_json()["error"]["errors"][0]
    assert (error["code"], error["message"]) == ("rank_missing", "Give every option a rank.")
    created = client.post(url, json={"answers": {"priorities": ["buses", "parks", "housing"]}})
    assert created.status_code == 201
    response = session.get(Response, created.get_json()["id"])
    assert [a.value for a in response.answers] == [["buses", "parks", "housing"]]


def test_staff_add_a_ranking_in_the_builder_and_preview_it(staff, session):
    from tests.factories import make_campaign

    campaign = make_campaign(session, languages=["en", "es"])
    survey = new_survey(staff, campaign, session, slug="rank-build")
    picker = staff.get(f"/staff/surveys/{survey.id}/pages/page_1/questions/new")
    assert "Ranking" in picker.get_data(as_text=True)
    assert "Put the options in order, from the most to the least preferred." in (
        picker.get_data(as_text=True)
    )
    editor = staff.get(f"/staff/surveys/{survey.id}/pages/page_1/questions/new?type=ranking")
    assert 'name="option-0-label"' in editor.get_data(as_text=True)
    assert 'name="option-0-specify"' not in editor.get_data(as_text=True)
    saved = add_question(
        staff,
        survey,
        {"type": "ranking", "label": "What first?", "code": "first", "required": "y",
         "option-0-label": "Parks", "option-1-label": "Housing"},
    )  # fmt: skip
    assert saved.status_code == 302, saved.get_data(as_text=True)
    question = draft(session, survey.id)["pages"][0]["questions"][0]
    assert question["type"] == "ranking"
    assert [o["value"] for o in question["options"]] == ["parks", "housing"]
    preview = staff.submit(
        f"/staff/surveys/{survey.id}/preview",
        {"first__parks": "1", "first__housing": "1"},
    )
    assert preview.status_code == 400
    assert "Give each option a different rank." in preview.get_data(as_text=True)
    workbook = staff.get(f"/staff/surveys/{survey.id}/export.xlsx")
    rows = list(load_workbook(io.BytesIO(workbook.data))["survey"].iter_rows(values_only=True))
    assert any(row[0] == "rank first" for row in rows)
