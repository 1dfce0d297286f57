"""Small things a new user noticed, each now right."""

from __future__ import annotations

from tests.factories import make_survey
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
