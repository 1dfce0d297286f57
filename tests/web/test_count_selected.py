"""Skip logic on how many answers a resident chose in a multiple-choice question: asked or
skipped by the server, told in words without the script, summarised and edited in the
builder (on SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.factories import make_campaign, make_survey
from tests.web.test_survey_builder import add_question, draft, new_survey
from tests.web.test_survey_pages import Resident

PROBLEMS = "Which problems have you had with the bus?"
ARABIC = {
    PROBLEMS: "ما المشكلات التي واجهتها مع الحافلة؟",
    "What works well?": "ما الذي يعمل جيدًا؟",
    "Which is the worst?": "أيها الأسوأ؟",
    "Tell us more about it": "أخبرنا المزيد عنها",
    "Your postcode": "الرمز البريدي",
    "Late": "متأخرة",
    "Crowded": "مزدحمة",
    "Dirty": "متسخة",
}


def _label(en: str) -> dict[str, str]:
    return {"en": en, "ar": ARABIC[en]}


def _text(code: str, en: str, show_if: dict[str, Any] | None = None) -> dict[str, Any]:
    question: dict[str, Any] = {"code": code, "type": "short_text", "label": _label(en)}
    if show_if:
        question["show_if"] = show_if
    return question


def problems_definition(slug: str) -> dict[str, Any]:
    """Problems first; then "which is worst" for two or more, "tell us more" for exactly one."""
    return {
        "slug": slug,
        "source_language": "en",
        "languages": ["en", "ar"],
        "title": {"en": "The bus", "ar": "الحافلة"},
        "pages": [
            {
                "key": "problems",
                "questions": [
                    {
                        "code": "problems",
                        "type": "multiple_choice",
                        "label": _label(PROBLEMS),
                        "options": [
                            {"value": v, "label": _label(v.title())}
                            for v in ("late", "crowded", "dirty")
                        ],
                    },
                    _text(
                        "fine",
                        "What works well?",
                        {"question": "problems", "op": "count_lt", "value": 2},
                    ),
                ],
            },
            {
                "key": "details",
                "questions": [
                    _text(
                        "worst",
                        "Which is the worst?",
                        {"question": "problems", "op": "count_gte", "value": 2},
                    ),
                    _text(
                        "one",
                        "Tell us more about it",
                        {"question": "problems", "op": "count_equals", "value": 1},
                    ),
                    _text("postcode", "Your postcode"),
                ],
            },
        ],
    }


@pytest.mark.parametrize(
    ("chosen", "asked"),
    [
        (["late", "crowded"], ["worst", "postcode"]),
        (["late", "crowded", "dirty"], ["worst", "postcode"]),
        (["dirty"], ["one", "postcode"]),
        ([], ["postcode"]),
    ],
)
def test_the_next_page_asks_according_to_how_many_answers_were_chosen(
    client, session, chosen, asked
):
    make_survey(session, definition=problems_definition("count-pages"))
    resident = Resident(client, "count-pages")
    resident.start()
    response = resident.post({"problems": chosen} if chosen else {})
    assert response.status_code == 302
    assert resident.location.endswith("/s/count-pages/p/details")
    shown = [code for code in ("worst", "one", "postcode") if f'id="{code}"' in resident.page_html]
    assert shown == asked


def test_a_question_depending_on_the_count_on_its_page_says_when_to_answer_it(client, session):
    make_survey(session, definition=problems_definition("count-hint"))
    resident = Resident(client, "count-hint")
    resident.start()
    html = resident.page_html
    assert f"Answer this only if you chose at most 1 answer in “{PROBLEMS}”." in html
    condition = html.split("data-show-if='")[1].split("'")[0]
    assert json.loads(condition) == {"question": "problems", "op": "count_lt", "value": 2}
    # Two chosen, yet typed in anyway (no script): not kept, and the survey goes on.
    response = resident.post({"problems": ["late", "dirty"], "fine": "Nothing"})
    assert response.status_code == 302
    assert 'id="worst"' in resident.page_html


def test_the_builder_summarises_and_edits_a_count_condition(staff, session):
    definition = problems_definition("count-summary")
    survey = make_survey(session, campaign=make_campaign(session), definition=definition)
    html = staff.get(f"/staff/surveys/{survey.id}").get_data(as_text=True)
    assert "Shown when at least 2 answers are chosen in ‘problems’" in html
    assert "Shown when exactly 1 answer is chosen in ‘problems’" in html
    assert "Shown when at most 1 answer is chosen in ‘problems’" in html  # fewer than 2
    edit = staff.get(f"/staff/surveys/{survey.id}/questions/worst").get_data(as_text=True)
    assert '<option value="count_gte" selected' in edit
    assert "number of answers chosen is at least" in edit


@pytest.fixture
def campaign(session):
    return make_campaign(session, languages=["en", "es"])


def _add_counted(staff, survey, counted: str, op: str, value: str):
    return add_question(
        staff,
        survey,
        {
            "type": "long_text",
            "code": "worst",
            "label": "Which is the worst?",
            "show_question": counted,
            "show_op": op,
            "show_value": value,
        },
    )


def test_staff_ask_a_question_when_several_answers_are_chosen(staff, session, campaign):
    survey = new_survey(staff, campaign, session, slug="count-build")
    options = {f"option-{i}-label": label for i, label in enumerate(["Late", "Crowded", "Dirty"])}
    add_question(staff, survey, {"type": "multiple_choice", "code": "problems",
                                 "label": PROBLEMS, **options})  # fmt: skip
    add_question(staff, survey, {"type": "single_choice", "code": "main", "label": "Main?",
                                 **options})  # fmt: skip
    for value in ("-1", "1.5", "two"):
        response = _add_counted(staff, survey, "problems", "count_gte", value)
        assert response.status_code == 400
        page = response.get_data(as_text=True)
        assert "Enter how many answers are chosen: a whole number, 0 or more." in page
    response = _add_counted(staff, survey, "main", "count_gte", "2")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Counting the answers chosen only works with multiple choice questions." in page
    assert _add_counted(staff, survey, "problems", "count_gte", "2").status_code == 302
    questions = draft(session, survey.id)["pages"][0]["questions"]
    assert questions[2]["show_if"] == {"question": "problems", "op": "count_gte", "value": 2}


def test_at_least_one_answer_chosen_is_kept_as_answered(staff, session, campaign):
    survey = new_survey(staff, campaign, session, slug="count-one")
    add_question(staff, survey, {"type": "multiple_choice", "code": "problems",
                                 "label": PROBLEMS, "option-0-label": "Late"})  # fmt: skip
    assert _add_counted(staff, survey, "problems", "count_gte", "1").status_code == 302
    questions = draft(session, survey.id)["pages"][0]["questions"]
    assert questions[1]["show_if"] == {"question": "problems", "op": "answered"}


def test_the_paper_form_says_how_many_answers_call_for_each_question(staff, session):
    definition = problems_definition("count-paper")
    survey = make_survey(session, campaign=make_campaign(session), definition=definition)
    paper = staff.get(f"/staff/surveys/{survey.id}/paper/en").get_data(as_text=True)
    for sentence in (
        f"Answer this only if you chose at least 2 answers in “{PROBLEMS}”.",
        f"Answer this only if you chose exactly 1 answer in “{PROBLEMS}”.",
        f"Answer this only if you chose at most 1 answer in “{PROBLEMS}”.",
    ):
        assert sentence in paper
