"""Cascading choices where the earlier answers are not known to the server when it draws
the page: the one-page offline interview (its script filters on the phone, and the server
refuses a village of another district when the interview is sent), the printed form
(villages grouped under their district, with how to choose, in the survey's language)
and the builder's preview (grouped, with a note for the designer)."""

from __future__ import annotations

import re
import uuid

import sqlalchemy as sa

from engage.models import Response
from surveys.xlsform import import_xlsform
from tests.factories import PASSWORD, make_survey, make_user, make_workgroup
from tests.surveys.test_xlsform import workbook_bytes
from tests.surveys.test_xlsform_defaults_and_filters import CASCADE, PLACES

HINT = "Choose from the list under your answer to “District”."


def _cascade(session):
    definition = import_xlsform(workbook_bytes(CASCADE, PLACES)).definition
    data = {**definition.to_dict(), "slug": "places", "title": {"en": "Places", "ar": "الأماكن"}}
    return make_survey(session, definition=data)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _groups(html: str, question: str) -> list[tuple[str, list[str]]]:
    """The option groups of ``question``'s radios: (group legend, option values)."""
    start = html.index(f'name="{question}"') - 2000
    part = html[max(start, 0) :]
    found = []
    for legend, body in re.findall(
        r'<fieldset class="choice-group" data-choice-group><legend>(.*?)</legend>(.*?)</fieldset>',
        part,
        flags=re.S,
    ):
        found.append((legend, re.findall(rf'name="{question}" type="radio" value="(\w+)"', body)))
    return found


def _interviewer(pages, session, survey):
    interviewer = make_user(session, email="field@example.org", role="interviewer")
    make_workgroup(session, members=[interviewer], campaigns=[survey.campaign])
    assert pages.login("field@example.org", PASSWORD).status_code == 302
    return interviewer


def _sync(pages, survey_id: int, fields: dict) -> object:
    token = pages.client.get(f"/staff/interviews/{survey_id}/sync").get_json()["csrf_token"]
    return pages.client.post(
        f"/staff/interviews/{survey_id}/sync",
        json={"language": "en", "fields": fields},
        headers={"Idempotency-Key": str(uuid.uuid4()), "X-CSRFToken": token},
    )


def test_the_offline_form_carries_the_filter_for_its_script_and_groups_without_it(pages, session):
    survey = _cascade(session)
    _interviewer(pages, session, survey)
    html = pages.get(f"/staff/interviews/{survey.id}/offline?lang=ar").get_data(as_text=True)
    assert "js/choices.js" in html
    assert (
        'data-choice-filter=\'[{"attribute": "district", "op": "equals", "question": "district"}]\''
        in html
    )
    assert 'data-attributes=\'{"district": "south", "value": "port"}\'' in html
    # Without the script: the villages under their district, in Arabic, and how to choose.
    assert _groups(html, "village") == [("الشمال", ["hill", "lake"]), ("الجنوب", ["port"])]
    assert 'id="village-filter" data-filter-hint' in html
    # "most" follows the transport ticked in "uses": no groups, but how to choose.
    assert "اختر فقط من بين إجاباتك عن «يستخدم»." in _text(html)


def test_the_server_refuses_a_village_of_another_district_from_the_phone(pages, session):
    survey = _cascade(session)
    _interviewer(pages, session, survey)
    refused = _sync(pages, survey.id, {"district": ["south"], "village": ["hill"]})
    assert refused.status_code == 422
    errors = refused.get_json()["error"]["errors"]
    assert [(e["question"], e["field"]) for e in errors] == [("village", "village-0")]
    assert session.scalar(sa.select(sa.func.count(Response.id))) == 0
    stored = _sync(pages, survey.id, {"district": ["south"], "village": ["port"]})
    assert stored.status_code == 201
    # With no district, the village is not asked: what the phone sent for it is dropped.
    assert _sync(pages, survey.id, {"district": [""], "village": ["port"]}).status_code == 201
    answers = [
        {a.question_code: a.value for a in r.answers}
        for r in session.scalars(sa.select(Response).order_by(Response.id))
    ]
    assert answers[0]["village"] == "port" and "village" not in answers[1]


def _paper_groups(html: str) -> list[tuple[str, list[str]]]:
    return [
        (label, [_text(li).strip() for li in re.findall(r"<li>(.*?)</li>", body)])
        for label, body in re.findall(
            r'<p class="paper-group">(.*?)</p>\s*<ul class="paper-choices paper-choices--grouped">'
            r"(.*?)</ul>",
            html,
            flags=re.S,
        )
    ]


def test_the_paper_form_groups_the_villages_under_their_district(staff, session):
    survey = _cascade(session)
    english = staff.get(f"/staff/surveys/{survey.id}/paper/en").get_data(as_text=True)
    assert "2. Village" in _text(english) and HINT in _text(english)
    assert _paper_groups(english) == [("North", ["Hill", "Lake"]), ("South", ["Port"])]
    arabic = staff.get(f"/staff/surveys/{survey.id}/paper/ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in arabic
    assert _paper_groups(arabic) == [("الشمال", ["التل", "البحيرة"]), ("الجنوب", ["الميناء"])]
    # "most" follows what was ticked in "uses": no groups, how to choose.
    assert "Choose only among your answers to “Uses”." in _text(english)


def test_the_preview_groups_the_villages_and_tells_the_designer_why(staff, session):
    survey = _cascade(session)
    page = staff.get(f"/staff/surveys/{survey.id}/preview?page=2").get_data(as_text=True)
    assert _groups(page, "village") == [("North", ["hill", "lake"]), ("South", ["port"])]
    assert HINT in _text(page)
    assert "Residents see only the choices their answer allows." in page
    first = staff.get(f"/staff/surveys/{survey.id}/preview?page=1").get_data(as_text=True)
    assert "Residents see only the choices" not in first  # nothing filtered there
    # A choice made in the preview is checked as the page would be, never stored.
    checked = staff.submit(
        f"/staff/surveys/{survey.id}/preview?page=2&language=en",
        {"village": "port", "years": "3", "action": "next"},
    )
    assert checked.status_code == 302
