"""What XLSForms bring, on a resident's page without JavaScript: time and date-and-time
questions (``time``, ``datetime``: native fields, usual spellings read, a bad one refused),
``${code}`` showing an earlier answer, and a question's own ``constraint_message``."""

from __future__ import annotations

import sqlalchemy as sa

from engage.models import Response
from tests.factories import make_survey
from tests.surveys.helpers import definition_dict, q
from tests.web.test_survey_pages import Resident


def test_a_resident_answers_time_questions(client, session):
    definition = definition_dict(
        [
            {
                **q("bus_came", "time", required=True),
                "label": {"en": "When did the bus come?", "es": "¿Cuándo llegó?"},
            },
            {
                **q("happened", "date_time"),
                "label": {"en": "When did it happen?", "es": "¿Cuándo pasó?"},
            },
        ],
        slug="times",
    )
    survey = make_survey(session, definition=definition)
    resident = Resident(client, survey.slug)
    resident.start()
    assert 'type="time"' in resident.page_html
    assert 'type="datetime-local"' in resident.page_html
    refused = resident.post({"bus_came": "25:70", "happened": "2026-03-27T14:30"})
    assert refused.status_code == 400
    assert "Enter a time, like 14:30." in resident.page_html
    assert 'value="2026-03-27T14:30"' in resident.page_html  # nothing lost
    assert resident.post({"bus_came": "2:30 pm", "happened": "2026-03-27T14:30"}).status_code == 302
    stored = session.scalar(sa.select(Response))
    answers = {a.question_code: a.value for a in stored.answers}
    assert answers == {"bus_came": "14:30", "happened": "2026-03-27T14:30"}


def test_an_earlier_answer_shows_in_a_later_label(client, session):
    # ``${code}`` as XLSForm writes it: filled in by the server, in the page's language.
    definition = definition_dict(
        [
            {
                **q(
                    "area",
                    "single_choice",
                    options=[
                        {"value": "north", "label": {"en": "North", "es": "Norte"}},
                        {"value": "south", "label": {"en": "South", "es": "Sur"}},
                    ],
                ),
                "label": {"en": "Where?", "es": "¿Dónde?"},
            }
        ],
        [
            {
                **q("why", "short_text"),
                "label": {"en": "Why ${area}?", "es": "¿Por qué ${area}?"},
                "help": {"en": "Not ${nothing}", "es": "No ${nothing}"},
            }
        ],
        slug="piping",
    )
    survey = make_survey(session, definition=definition)
    resident = Resident(client, survey.slug)
    resident.start(lang="es")
    assert resident.post({"area": "south"}).status_code == 302
    assert "¿Por qué Sur?" in resident.page_html
    assert "No ${nothing}" in resident.page_html


def test_a_questions_own_constraint_message_replaces_engages(client, session):
    definition = definition_dict(
        [
            {
                **q("kids", "number", minimum=0, maximum=15),
                "label": {"en": "Children?", "es": "¿Niños?"},
                "constraint_message": {"en": "At most 15 children", "es": "Como máximo 15 niños"},
            },
            {**q("name", "short_text", max_length=5), "label": {"en": "Name", "es": "Nombre"}},
        ],
        slug="limits",
    )
    survey = make_survey(session, definition=definition)
    resident = Resident(client, survey.slug)
    resident.start(lang="es")
    assert resident.post({"kids": "20", "name": "Ana María"}).status_code == 400
    assert "Como máximo 15 niños" in resident.page_html
    assert "At most 15" not in resident.page_html
    assert "Nombre" in resident.page_html  # the other question keeps Engage's own message
