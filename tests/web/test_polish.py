"""Small things a new user noticed, each now right."""

from __future__ import annotations

import io

import sqlalchemy as sa
from openpyxl import Workbook

from engage.models import Answer, Response, Survey, SurveyVersion
from tests.factories import make_campaign, make_survey
from tests.web.test_survey_import_preview import _token
from tests.web.test_survey_pages import Resident


def test_the_thank_you_page_needs_answers_sent_from_this_browser(client, session):
    make_survey(session, slug="quiet")
    response = client.get("/s/quiet/thanks")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/s/quiet")
    assert client.post("/s/quiet/thanks", data={"contact": "a@example.org"}).status_code in (
        302,
        400,
    )


def test_an_error_after_a_label_ending_in_a_full_stop_has_no_extra_colon(client, session):
    definition = {
        "slug": "punctuation",
        "source_language": "en",
        "languages": ["en"],
        "title": {"en": "Punctuation"},
        "pages": [
            {
                "key": "one",
                "questions": [
                    {
                        "code": "pick",
                        "type": "pick_up_to",
                        "max_choices": 1,
                        "required": True,
                        "label": {"en": "What matters most? Choose up to 1."},
                        "options": [
                            {"value": "a", "label": {"en": "A"}},
                            {"value": "b", "label": {"en": "B"}},
                        ],
                    }
                ],
            }
        ],
    }
    make_survey(session, definition=definition)
    resident = Resident(client, "punctuation")
    resident.start()
    assert resident.post({"pick": ["a", "b"]}).status_code == 400
    assert "Choose up to 1. Choose at most 1 answer." in resident.page_html
    assert "1.:" not in resident.page_html


def _bus_definition(slug: str) -> dict:
    """One page: how you travel, then a required question only for bus riders."""
    return {
        "slug": slug,
        "source_language": "en",
        "languages": ["en", "es"],
        "title": {"en": "Getting around", "es": "Moverse"},
        "pages": [
            {
                "key": "travel",
                "questions": [
                    {
                        "code": "how",
                        "type": "single_choice",
                        "required": True,
                        "label": {"en": "How do you travel?", "es": "¿Cómo viaja?"},
                        "options": [
                            {"value": "bus", "label": {"en": "Bus", "es": "Autobús"}},
                            {"value": "walk", "label": {"en": "On foot", "es": "A pie"}},
                        ],
                    },
                    {
                        "code": "bus_problems",
                        "type": "long_text",
                        "required": True,
                        "show_if": {"question": "how", "op": "equals", "value": "bus"},
                        "label": {
                            "en": "What problems do you have with the bus?",
                            "es": "¿Qué problemas tiene con el autobús?",
                        },
                    },
                ],
            }
        ],
    }


def test_a_question_that_depends_on_an_answer_on_its_page_says_when_to_answer_it(client, session):
    make_survey(session, definition=_bus_definition("bus-hint"))
    resident = Resident(client, "bus-hint")
    resident.start()
    html = resident.page_html
    hint = "Answer this only if your answer to “How do you travel?” is Bus."
    assert hint in html
    # Read out with the question, and given to the optional script to hide it live.
    assert 'id="bus_problems-condition"' in html
    assert 'aria-describedby="bus_problems-condition"' in html
    assert "data-show-if='" in html
    # The question it depends on has no such hint.
    assert html.count("Answer this only if") == 1


def test_the_dependency_is_told_with_the_texts_the_resident_reads(client, session):
    make_survey(session, definition=_bus_definition("bus-hint-es"))
    resident = Resident(client, "bus-hint-es")
    resident.start(lang="es")
    html = resident.page_html
    assert "Responda solo si su respuesta a «¿Cómo viaja?» es Autobús." in html
    assert "Autobús" in html.split('id="bus_problems-condition"')[1].split("</p>")[0]


def test_a_required_question_whose_condition_is_false_neither_blocks_nor_is_kept(client, session):
    survey = make_survey(session, definition=_bus_definition("bus-skip"))
    resident = Resident(client, "bus-skip")
    resident.start()
    # Walking, so the bus question is not for them: left empty, it does not block...
    response = resident.post({"how": "walk", "bus_problems": "Typed before changing my mind"})
    assert response.status_code == 302
    assert resident.location.endswith("/s/bus-skip/thanks")
    # ...and what was typed in it is not kept.
    stored = session.scalars(
        sa.select(Answer)
        .join(Response)
        .join(SurveyVersion)
        .where(SurveyVersion.survey_id == survey.id)
    ).all()
    assert {a.question_code: a.value for a in stored} == {"how": "walk"}


def test_a_required_question_whose_condition_holds_must_be_answered(client, session):
    make_survey(session, definition=_bus_definition("bus-needed"))
    resident = Resident(client, "bus-needed")
    resident.start()
    assert resident.post({"how": "bus"}).status_code == 400
    assert 'href="#bus_problems"' in resident.page_html


def _import(staff, campaign, content: bytes, filename: str, slug: str = ""):
    return staff.submit(
        f"/staff/campaigns/{campaign.id}/surveys/new",
        {
            "title": "",
            "slug": slug,
            "kind": "listening",
            "source_language": "en",
            "definition_file": (io.BytesIO(content), filename),
        },
        content_type="multipart/form-data",
    )


def test_an_exported_xlsform_imports_again_at_the_address_typed(staff, session):
    campaign = make_campaign(session)
    survey = make_survey(session, campaign=campaign, slug="first-round")
    workbook = staff.get(f"/staff/surveys/{survey.id}/export.xlsx").get_data()
    # The file's own form_id is taken: the address typed in the form is used instead.
    preview = _import(staff, campaign, workbook, "first-round.xlsx", slug="second-round")
    assert preview.status_code == 200, preview.get_data(as_text=True)
    response = staff.submit(
        f"/staff/campaigns/{campaign.id}/surveys/import",
        {"token": _token(preview.get_data(as_text=True))},
        form_page=f"/staff/campaigns/{campaign.id}/surveys/new",
    )
    assert response.status_code == 302
    again = session.scalar(sa.select(Survey).where(Survey.slug == "second-round"))
    assert again.draft_definition["slug"] == "second-round"

    def questions(data):
        return [(q["code"], q["type"]) for page in data["pages"] for q in page["questions"]]

    assert questions(again.draft_definition) == questions(survey.draft_definition)
    # Left empty, the file's own address is used (and it is taken here: said so).
    response = _import(staff, campaign, workbook, "first-round.xlsx")
    assert response.status_code == 400
    assert "Another survey already uses this address." in response.get_data(as_text=True)


def test_a_constraint_engage_cannot_keep_is_listed_naming_its_row(staff, session):
    campaign = make_campaign(session)
    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label", "constraint"])
    sheet.append(["integer", "age", "Age", ". >= 0 and . < 121"])
    sheet.append(["text", "phone", "Phone", "string-length(.) >= 10"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = _import(staff, campaign, buffer.getvalue(), "form.xlsx", slug="phones")
    html = response.get_data(as_text=True)
    assert response.status_code == 200  # the preview: the row is kept, its constraint not
    assert "Sheet survey, row 3, column constraint" in html
    assert "The constraint “string-length(.) &gt;= 10” is not kept" in html
    assert session.scalar(sa.select(sa.func.count(Survey.id))) == 0


def test_a_workbook_that_is_not_an_xlsform_and_an_empty_file_say_so(staff, session):
    campaign = make_campaign(session)
    book = Workbook()
    book.active.title = "Budget"
    book.active.append(["Item", "Cost"])
    buffer = io.BytesIO()
    book.save(buffer)
    html = _import(staff, campaign, buffer.getvalue(), "budget.xlsx").get_data(as_text=True)
    assert "This workbook is not an XLSForm: it has no “survey” sheet." in html
    assert "JSON" not in html.split("<main")[1].split("</main>")[0].replace(".json", "")
    html = _import(staff, campaign, b"", "survey.json").get_data(as_text=True)
    assert "The file is empty." in html
    assert "not valid JSON" not in html
    html = _import(staff, campaign, b"\xd0\xcf\x11\xe0 old excel", "old.xls").get_data(as_text=True)
    assert "not an Excel 97–2003 workbook (.xls)" in html
    assert session.scalar(sa.select(sa.func.count(Survey.id))) == 0


def _add_rating(staff, survey, labels: dict[str, str]):
    return staff.submit(
        f"/staff/surveys/{survey.id}/pages/feedback/questions",
        {
            "page": "feedback",
            "action": "save",
            "type": "rating",
            "label": "How safe do you feel at night?",
            **{f"point-{point}": text for point, text in labels.items()},
        },
        form_page=f"/staff/surveys/{survey.id}/pages/feedback/questions/new?type=rating",
    )


def test_a_rating_needs_labels_on_its_lowest_and_highest_points(staff, session):
    survey = make_survey(session, campaign=make_campaign(session), published=False)
    message = "Label at least the lowest and the highest point (1 and 5)"
    for labels in ({}, {"1": "Not at all safe"}, {"3": "Neither"}):
        response = _add_rating(staff, survey, labels)
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert message in html and 'href="#point_labels"' in html
        assert "How safe do you feel at night?" in html  # nothing typed is lost
    response = _add_rating(staff, survey, {"1": "Not at all safe", "5": "Very safe"})
    assert response.status_code == 302
    session.expire_all()
    stored = session.get(Survey, survey.id).draft_definition["pages"][0]["questions"][-1]
    assert stored["point_labels"] == {"1": {"en": "Not at all safe"}, "5": {"en": "Very safe"}}


def test_the_builder_summarises_skip_logic_in_plain_words(staff, session):
    definition = _bus_definition("bus-summary")
    definition["pages"][0]["questions"][0]["options"].append(
        {"value": "train", "label": {"en": "Train", "es": "Tren"}}
    )
    definition["pages"][0]["questions"][1]["show_if"] = {
        "question": "how",
        "op": "in",
        "value": ["bus", "train"],
    }
    survey = make_survey(session, campaign=make_campaign(session), definition=definition)
    html = staff.get(f"/staff/surveys/{survey.id}").get_data(as_text=True)
    assert "Shown when ‘how’ is one of: Bus, Train" in html
    assert "separate with commas" not in html


def _preview_buttons(html: str) -> list[str]:
    actions = html.split('class="page-actions"')[1].split("</div>")[0]
    return [part.split(">", 1)[1].split("<")[0] for part in actions.split("<button")[1:]]


def test_the_preview_shows_the_residents_buttons_in_the_previewed_language(staff, session):
    definition = _bus_definition("bus-preview")
    definition["pages"].append(
        {
            "key": "more",
            "questions": [
                {
                    "code": "anything",
                    "type": "short_text",
                    "label": {"en": "Anything else?", "es": "¿Algo más?"},
                }
            ],
        }
    )
    survey = make_survey(session, campaign=make_campaign(session), definition=definition)
    base = f"/staff/surveys/{survey.id}/preview"
    html = staff.get(f"{base}?language=es&page=1").get_data(as_text=True)
    assert _preview_buttons(html) == ["Siguiente", "Atrás"]
    assert "Back to the builder" in html  # the staff frame stays in the reader's language
    html = staff.get(f"{base}?language=es&page=2").get_data(as_text=True)
    assert _preview_buttons(html) == ["Enviar mis respuestas", "Atrás"]

    # Next checks the page as a resident's would, then moves on; Back goes back.
    response = staff.submit(
        f"{base}?language=es&page=1", {"action": "next"}, form_page=f"{base}?language=es"
    )
    assert response.status_code == 400
    assert 'class="error-summary"' in response.get_data(as_text=True)
    response = staff.submit(
        f"{base}?language=es&page=1",
        {"action": "next", "how": "walk"},
        form_page=f"{base}?language=es",
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("language=es&page=2")
    response = staff.submit(
        f"{base}?language=es&page=2", {"action": "back"}, form_page=f"{base}?language=es"
    )
    assert response.headers["Location"].endswith("language=es&page=1")
    assert session.scalar(sa.select(sa.func.count(Response.id))) == 0
