"""The printable survey: every question with boxes to tick, in each language."""

from __future__ import annotations

import re

import pytest

from engage.models import Survey
from tests.factories import PASSWORD, full_definition, make_survey, make_user, make_workgroup


@pytest.fixture
def survey_id(session):
    return make_survey(session, definition=full_definition("paper")).id


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def test_every_question_is_numbered_with_boxes_and_its_code(staff, survey_id):
    response = staff.get(f"/staff/surveys/{survey_id}/paper/en")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    text = _text(response)
    assert "Form number" in text
    assert "1. I agree to take part (required) agree" in text
    assert "Tick up to 2 boxes." in text  # pick up to two
    assert "Tick every box that applies." in text
    # The "Living here" page's skip logic, in words: on paper every page is in front of
    # the resident.
    assert "Answer this only if your answer to “Do you live here?” is Yes." in text
    assert html.count('class="box"') >= 20
    assert '<table class="paper-grid">' in html


def test_the_paper_speaks_the_survey_language(staff, survey_id):
    text = _text(staff.get(f"/staff/surveys/{survey_id}/paper/es"))
    assert "Acepto participar" in text and "Marque una casilla." in text
    assert "Responda solo si su respuesta a «¿Vive aquí?» es Sí." in text
    assert staff.get(f"/staff/surveys/{survey_id}/paper/de").status_code == 404


def test_an_interviewer_of_the_campaigns_workgroup_may_print_it(pages, session, survey_id):
    interviewer = make_user(session, email="i@example.org", role="interviewer")
    survey = session.get(Survey, survey_id)
    make_workgroup(session, members=[interviewer], campaigns=[survey.campaign])
    pages.login("i@example.org", PASSWORD)
    assert pages.get(f"/staff/surveys/{survey_id}/paper/en").status_code == 200
