"""Staff build a survey through the pages, without JavaScript, and publish it."""

from __future__ import annotations

import html
import io
import json
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from engage.models import Campaign, Response, Survey
from engage.responses.services import submit_response
from tests.factories import PASSWORD, make_campaign, make_survey, make_user
from tests.support.client import PageClient


@pytest.fixture
def campaign(session):
    return make_campaign(session, languages=["en", "es", "ar"], areas=["North", "South"])


def new_survey(staff, campaign, session, slug="bus") -> Survey:
    response = staff.submit(
        f"/staff/campaigns/{campaign.id}/surveys/new",
        {
            "title": "Getting around",
            "slug": slug,
            "kind": "listening",
            "source_language": "en",
            "languages": ["en", "es"],
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return session.scalar(sa.select(Survey).where(Survey.slug == slug))


def add_question(staff, survey, data, page="page_1"):
    return staff.submit(
        f"/staff/surveys/{survey.id}/pages/{page}/questions",
        {"page": page, "action": "save", **data},
        form_page=f"/staff/surveys/{survey.id}/pages/{page}/questions/new?type={data['type']}",
    )


def draft(session, survey_id):
    session.expire_all()
    return session.get(Survey, survey_id).draft_definition


def test_staff_create_and_edit_a_campaign(staff, session):
    response = staff.submit(
        "/staff/campaigns/new",
        {
            "title": "Westside listening",
            "slug": "westside",
            "areas": "Riverside\nHillcrest\nRiverside",
            "languages": ["en", "vi"],
            "status": "open",
            "report_back_url": "https://example.org/westside",
        },
    )
    assert response.status_code == 302
    campaign = session.scalar(sa.select(Campaign).where(Campaign.slug == "westside"))
    assert campaign.areas == ["Riverside", "Hillcrest"]
    assert campaign.languages == ["en", "vi"]
    assert campaign.report_back_url == "https://example.org/westside"
    page = staff.get(f"/staff/campaigns/{campaign.id}/edit").get_data(as_text=True)
    assert "Riverside\nHillcrest" in page and "Tiếng Việt" in page


def test_campaign_form_errors_keep_what_was_typed(staff, session):
    make_campaign(session, slug="taken")
    response = staff.submit(
        "/staff/campaigns/new",
        {
            "title": "My campaign",
            "slug": "taken",
            "languages": ["en"],
            "status": "open",
            "report_back_url": "javascript:alert(1)",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Another campaign already uses this short name." not in html  # URL fails first
    assert "Enter a web address starting with https://." in html
    assert 'value="My campaign"' in html
    response = staff.submit(
        "/staff/campaigns/new",
        {"title": "My campaign", "slug": "taken", "languages": ["en"], "status": "open"},
    )
    assert "Another campaign already uses this short name." in response.get_data(as_text=True)


def test_interviewers_cannot_build_surveys(client, session, campaign):
    user = make_user(session, role="interviewer")
    page = PageClient(client)
    page.login(user.email, PASSWORD)
    assert page.get(f"/staff/campaigns/{campaign.id}/surveys/new").status_code == 403
    assert page.get("/staff/campaigns/new").status_code == 403


def test_build_a_survey_from_nothing_and_publish_it(staff, session, campaign, client):
    survey = new_survey(staff, campaign, session)
    builder = staff.get(f"/staff/surveys/{survey.id}").get_data(as_text=True)
    assert "This page has no questions yet." in builder
    assert "Before you can publish" in builder

    # A choice question: values are made from the labels; blank rows are ignored.
    response = add_question(
        staff,
        survey,
        {
            "type": "single_choice",
            "label": "How do you usually get to work?",
            "required": "y",
            "option-0-label": "By bus",
            "option-1-label": "On foot",
            "option-2-label": "Other",
            "option-2-specify": "y",
            "option-3-label": "",
        },
    )
    assert response.status_code == 302
    data = draft(session, survey.id)
    question = data["pages"][0]["questions"][0]
    assert question["code"] == "how_do_you_usually_get_to_work"
    assert [o["value"] for o in question["options"]] == ["by_bus", "on_foot", "other"]
    assert question["options"][2]["specify"] is True and question["required"] is True

    plan = staff.get(f"/staff/surveys/{survey.id}/publish").get_data(as_text=True)
    assert "Some translations are not complete" in plan and "Spanish" in plan
    response = staff.submit(f"/staff/surveys/{survey.id}/publish", {})
    assert response.status_code == 302
    session.expire_all()
    survey = session.get(Survey, survey.id)
    assert survey.status == "published" and survey.current_version.number == 1
    page = client.get("/s/bus?lang=en").get_data(as_text=True)
    assert "Getting around" in page


def test_an_invalid_question_comes_back_with_errors_and_everything_typed(staff, session, campaign):
    survey = new_survey(staff, campaign, session)
    response = add_question(
        staff,
        survey,
        {
            "type": "scale",
            "label": "",
            "help": "Think of the last month",
            "minimum": "0",
            "maximum": "ten",
            "point-0": "Not at all",
            "analysis_role": "outcome_importance",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in html
    assert 'href="#maximum"' in html and "Enter a number." in html
    assert "Think of the last month" in html
    assert draft(session, survey.id)["pages"][0]["questions"] == []

    response = add_question(
        staff,
        survey,
        {
            "type": "scale",
            "label": "How important is a safe walk?",
            "minimum": "0",
            "maximum": "10",
            "point-0": "Not at all",
            "point-10": "Extremely",
            "analysis_role": "outcome_importance",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    # The engine's own check, shown beside the field it is about.
    assert 'href="#outcome"' in html
    assert "How important is a safe walk?" in html


def test_option_rows_move_and_grow_without_javascript(staff, session, campaign):
    survey = new_survey(staff, campaign, session)
    form_page = f"/staff/surveys/{survey.id}/pages/page_1/questions/new?type=multiple_choice"
    response = staff.submit(
        f"/staff/surveys/{survey.id}/pages/page_1/questions",
        {
            "type": "multiple_choice",
            "page": "page_1",
            "label": "What would help?",
            "option-0-label": "Lighting",
            "option-1-label": "Benches",
            "action": "up-option-1",
        },
        form_page=form_page,
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.index('value="Benches"') < html.index('value="Lighting"')
    assert "What would help?" in html
    assert draft(session, survey.id)["pages"][0]["questions"] == []


def test_skip_logic_is_checked_against_the_earlier_question(staff, session, campaign):
    survey = new_survey(staff, campaign, session)
    add_question(staff, survey, {"type": "yes_no", "code": "rides", "label": "Do you ride?"})
    response = add_question(
        staff,
        survey,
        {
            "type": "long_text",
            "code": "why",
            "label": "Why?",
            "show_question": "rides",
            "show_op": "equals",
            "show_value": "maybe",
        },
    )
    assert response.status_code == 400
    assert 'href="#show_value"' in response.get_data(as_text=True)
    response = add_question(
        staff,
        survey,
        {
            "type": "long_text",
            "code": "why",
            "label": "Why?",
            "show_question": "rides",
            "show_op": "equals",
            "show_value": "yes",
        },
    )
    assert response.status_code == 302
    questions = draft(session, survey.id)["pages"][0]["questions"]
    assert questions[1]["show_if"] == {"question": "rides", "op": "equals", "value": "yes"}

    # A question others depend on cannot be deleted or moved below them.
    response = staff.submit(
        f"/staff/surveys/{survey.id}/questions/rides/delete",
        {},
        form_page=f"/staff/surveys/{survey.id}",
    )
    assert len(draft(session, survey.id)["pages"][0]["questions"]) == 2
    response = staff.submit(
        f"/staff/surveys/{survey.id}/questions/rides/move",
        {"direction": "down"},
        form_page=f"/staff/surveys/{survey.id}",
    )
    builder = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "skip logic can only look at questions that come earlier" in builder
    assert [q["code"] for q in draft(session, survey.id)["pages"][0]["questions"]] == [
        "rides",
        "why",
    ]


def test_pages_are_added_edited_moved_and_deleted(staff, session, campaign):
    survey = new_survey(staff, campaign, session)
    add_question(staff, survey, {"type": "short_text", "code": "name", "label": "Name"})
    builder = f"/staff/surveys/{survey.id}"
    staff.submit(f"{builder}/pages", {}, form_page=builder)
    response = staff.submit(
        f"{builder}/pages/page_2",
        {"title": "About you", "show_question": "name", "show_op": "answered"},
    )
    assert response.status_code == 302
    page = draft(session, survey.id)["pages"][1]
    assert page["title"] == {"en": "About you"}
    assert page["show_if"] == {"question": "name", "op": "answered"}
    staff.submit(f"{builder}/pages/page_2/move", {"direction": "up"}, form_page=builder)
    # The condition now looks at a later question: refused, order unchanged.
    assert [p["key"] for p in draft(session, survey.id)["pages"]] == ["page_1", "page_2"]
    staff.submit(f"{builder}/pages/page_2/delete", {})
    assert [p["key"] for p in draft(session, survey.id)["pages"]] == ["page_1"]


def test_demographic_presets_include_prefer_not_to_say(staff, session, campaign):
    survey = new_survey(staff, campaign, session)
    builder = f"/staff/surveys/{survey.id}"
    staff.submit(f"{builder}/pages/page_1/presets", {"preset": "area"}, form_page=builder)
    staff.submit(f"{builder}/pages/page_1/presets", {"preset": "age"}, form_page=builder)
    questions = draft(session, survey.id)["pages"][0]["questions"]
    assert [q["code"] for q in questions] == ["area", "age"]
    assert [o["value"] for o in questions[0]["options"]][:2] == ["north", "south"]
    assert all(q["options"][-1]["value"] == "prefer_not_to_say" for q in questions)
    assert questions[1]["label"]["es"] == "¿Cuál es su edad?"
    assert "ar" not in questions[1]["label"]  # the survey does not offer Arabic


def test_editing_after_responses_versions_only_when_answers_would_be_orphaned(
    staff, session, campaign
):
    survey = make_survey(session, campaign=campaign)
    submit_response(
        session,
        version=survey.current_version,
        answers={"obstacle": "The bus is late", "area": "north"},
        language="en",
    )
    session.commit()
    base = f"/staff/surveys/{survey.id}"
    # A wording change keeps every answer valid: version 1 is updated in place.
    edit = staff.get(f"{base}/questions/area").get_data(as_text=True)
    assert 'value="North"' in edit
    response = staff.submit(
        f"{base}/questions/area",
        {
            "type": "single_choice",
            "code": "area",
            "page": "about",
            "label": "Which part of town do you live in?",
            "option-0-label": "North",
            "option-0-value": "north",
            "option-1-label": "South",
            "option-1-value": "south",
            "option-2-label": "Prefer not to say",
            "option-2-value": "prefer_not_to_say",
            "analysis_role": "demographic",
            "dimension": "area",
            "action": "save",
        },
    )
    assert response.status_code == 302
    question = draft(session, survey.id)["pages"][1]["questions"][0]
    assert question["label"]["es"] == "¿Dónde vive?"  # other languages are kept
    assert question["options"][0]["label"] == {"en": "North", "es": "Norte"}
    staff.submit(f"{base}/publish", {})
    session.expire_all()
    survey = session.get(Survey, survey.id)
    assert [v.number for v in survey.versions] == [1]
    assert survey.current_version.definition["pages"][1]["questions"][0]["label"]["en"] == (
        "Which part of town do you live in?"
    )

    # Removing an answered option would orphan answers: a new version.
    staff.submit(
        f"{base}/questions/area",
        {
            "type": "single_choice",
            "code": "area",
            "page": "about",
            "label": "Which part of town do you live in?",
            "option-0-label": "South",
            "option-0-value": "south",
            "option-1-label": "Prefer not to say",
            "option-1-value": "prefer_not_to_say",
            "analysis_role": "demographic",
            "dimension": "area",
            "action": "save",
        },
    )
    plan = staff.get(f"{base}/publish").get_data(as_text=True)
    assert "publishing creates version 2" in plan
    staff.submit(f"{base}/publish", {})
    session.expire_all()
    survey = session.get(Survey, survey.id)
    assert [v.number for v in survey.versions] == [1, 2]
    old = session.scalar(sa.select(Response))
    assert old.version.number == 1


def test_close_and_reopen(staff, session, campaign, client):
    survey = make_survey(session, campaign=campaign)
    base = f"/staff/surveys/{survey.id}"
    staff.submit(f"{base}/close", {}, form_page=base)
    for path in ("", "/p/feedback", "/resume"):
        closed = client.get(f"/s/{survey.slug}{path}")
        assert closed.status_code == 410
        assert "This survey is no longer taking answers." in closed.get_data(as_text=True)
    staff.submit(f"{base}/reopen", {}, form_page=base)
    assert client.get(f"/s/{survey.slug}").status_code == 200


def test_preview_as_a_phone_in_another_language_checks_answers(staff, session, campaign):
    survey = make_survey(session, campaign=campaign)
    html = staff.get(f"/staff/surveys/{survey.id}/preview?language=es").get_data(as_text=True)
    assert '<html lang="es"' in html
    assert "¿Qué se lo impidió?" in html
    assert "Back to the builder" in html  # the frame stays in the reader's language
    response = staff.submit(
        f"/staff/surveys/{survey.id}/preview?language=es&page=1",
        {"bus_importance": "12"},
        form_page=f"/staff/surveys/{survey.id}/preview?language=es",
    )
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Response.id))) == 0


def test_export_and_import_a_survey_definition(staff, session, campaign):
    survey = make_survey(session, campaign=campaign, slug="exported")
    exported = staff.get(f"/staff/surveys/{survey.id}/export.json")
    assert exported.headers["Content-Disposition"].endswith('exported.json"')
    data = json.loads(exported.get_data())
    workbook = staff.get(f"/staff/surveys/{survey.id}/export.xlsx").get_data()
    assert load_workbook(io.BytesIO(workbook)).sheetnames[:2] == ["survey", "choices"]

    data["slug"] = "imported"
    for body, name, slug in (
        (json.dumps(data).encode(), "survey.json", ""),
        (workbook, "survey.xlsx", "imported-xlsform"),
    ):
        preview = staff.submit(
            f"/staff/campaigns/{campaign.id}/surveys/new",
            {"definition_file": (io.BytesIO(body), name), "slug": slug},
            content_type="multipart/form-data",
        )
        assert preview.status_code == 200  # the preview; confirmed below
        token = html.unescape(
            re.search(
                r'name="token" type="hidden" value="([^"]+)"', preview.get_data(as_text=True)
            )[1]
        )
        response = staff.submit(
            f"/staff/campaigns/{campaign.id}/surveys/import",
            {"token": token},
            form_page=f"/staff/campaigns/{campaign.id}/surveys/new",
        )
        assert response.status_code == 302
        imported = session.scalar(sa.select(Survey).where(Survey.slug == (slug or "imported")))
        assert imported.draft_definition["pages"] == survey.draft_definition["pages"]
        assert imported.status == "draft"


def test_a_broken_definition_file_is_reported_and_creates_nothing(staff, session, campaign):
    response = staff.submit(
        f"/staff/campaigns/{campaign.id}/surveys/new",
        {"definition_file": (io.BytesIO(b'{"slug": "x", '), "survey.json")},
        content_type="multipart/form-data",
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The file could not be imported" in html
    assert "not valid JSON" in html
    response = staff.submit(
        f"/staff/campaigns/{campaign.id}/surveys/new",
        {"definition_file": (io.BytesIO(b"PK\x03\x04 not really"), "survey.xlsx")},
        content_type="multipart/form-data",
    )
    assert "This is not an Excel workbook" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(Survey.id))) == 0


def test_unknown_pages_and_questions_are_not_found(staff, session, campaign):
    survey = make_survey(session, campaign=campaign)
    base = f"/staff/surveys/{survey.id}"
    assert staff.get(f"{base}/questions/nope").status_code == 404
    assert staff.get(f"{base}/pages/nope").status_code == 404
    assert staff.get(f"{base}/pages/nope/questions/new").status_code == 404
    # Moving a question to a page that is not there.
    response = staff.submit(
        f"{base}/questions/area",
        {"type": "short_text", "code": "area", "label": "Area", "page": "nope", "action": "save"},
    )
    assert response.status_code == 404
    assert draft(session, survey.id)["pages"][1]["questions"][0]["type"] == "single_choice"
