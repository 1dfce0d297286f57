"""A plain HTTP client, no JavaScript, answers a survey start to finish."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from engage.models import Answer, ContactOptIn, FeedbackItem, Response
from tests.factories import full_definition, make_survey
from tests.support.client import csrf_token_from


class Resident:
    """A resident's phone: follows redirects by hand, posts forms with their token."""

    def __init__(self, client, slug: str) -> None:
        self.client = client
        self.slug = slug
        self.page_html = ""
        self.location = ""

    def open(self, path: str, **kwargs):
        response = self.client.get(path, **kwargs)
        self.page_html = response.get_data(as_text=True)
        self.location = path
        return response

    def post(self, data: dict, path: str | None = None):
        token = csrf_token_from(self.page_html)
        response = self.client.post(path or self.location, data={**data, "csrf_token": token})
        if response.status_code == 302:
            self.open(response.headers["Location"])
        else:
            self.page_html = response.get_data(as_text=True)
        return response

    def start(self, lang: str = "en"):
        self.open(f"/s/{self.slug}?lang={lang}")
        return self.post({}, f"/s/{self.slug}/start")


@pytest.fixture
def survey(session):
    return make_survey(session, definition=full_definition("full"))


@pytest.fixture
def resident(client, survey):
    return Resident(client, survey.slug)


def _answer_all(resident):
    assert (
        resident.post({"agree": "yes", "lives_here": "yes", "name_it": "Home"}).status_code == 302
    )
    assert "/p/residents" in resident.location
    assert "Page 2 of 4" in resident.page_html
    assert resident.post({"years": "12", "moved_on": "2014-05-01"}).status_code == 302
    assert (
        resident.post(
            {
                "obstacle": "The bus is always late",
                "topics": ["bus", "other"],
                "topics__other": "Parks",
                "top_two": ["x", "y"],
                "bus_importance": "9",
                "stars": "4",
                "grid__day": "a",
                "grid__night": "b",
            }
        ).status_code
        == 302
    )
    return resident.post({"area": "north", "home_lang": "es"})


def test_resident_answers_every_question_type_without_javascript(session, resident):
    resident.start()
    assert "/p/start" in resident.location
    # Until "Do you live here?" is answered, the residents' page is not counted.
    assert "Page 1 of 3" in resident.page_html
    response = _answer_all(resident)
    assert response.headers["Location"].endswith("/s/full/thanks")
    assert "your answers have been sent" in resident.page_html
    stored = session.scalar(sa.select(Response))
    answers = {a.question_code: a.value for a in stored.answers}
    assert answers["years"] == 12
    assert answers["topics"] == ["bus", "other"]
    assert answers["topics__other"] == "Parks"
    assert answers["grid"] == {"day": "a", "night": "b"}
    assert answers["agree"] is True
    assert stored.area == "north"
    assert stored.channel == "web" and stored.language == "en"
    assert session.scalar(sa.select(FeedbackItem.text)) == "The bus is always late"


def test_skip_logic_hides_a_page(session, resident):
    resident.start()
    resident.post({"agree": "yes", "lives_here": "no"})
    assert "/p/opinions" in resident.location
    assert "Page 2 of 3" in resident.page_html


def test_invalid_answers_come_back_with_a_summary_and_nothing_lost(session, resident):
    resident.start()
    resident.post({"agree": "yes", "lives_here": "yes"})
    response = resident.post({"years": "a hundred and one", "moved_on": "2014-02-30"})
    assert response.status_code == 400
    html = resident.page_html
    assert "<title>Error:" in html
    assert 'role="alert"' in html
    assert '<a href="#years">' in html and '<a href="#moved_on">' in html
    assert 'value="a hundred and one"' in html  # what was typed is kept
    assert 'aria-describedby="years-error"' in html
    assert 'aria-invalid="true"' in html
    assert "Enter a whole number" in html or "Enter a number" in html
    assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 0


def test_required_and_bounds_errors_are_translated(session, resident):
    resident.start(lang="es")
    response = resident.post({"lives_here": "yes"})
    assert response.status_code == 400
    assert '<html lang="es"' in resident.page_html
    assert "Marque la casilla" in resident.page_html


def test_back_keeps_answers_of_both_pages(session, resident):
    resident.start()
    resident.post({"agree": "yes", "lives_here": "yes", "name_it": "Home"})
    resident.post({"years": "7", "action": "back"})
    assert "/p/start" in resident.location
    assert 'value="Home"' in resident.page_html
    resident.post({"agree": "yes", "lives_here": "yes", "name_it": "Home"})
    assert 'value="7"' in resident.page_html


def test_a_refresh_or_double_tap_on_the_last_page_stores_one_response(session, resident):
    resident.start()
    resident.post({"agree": "yes", "lives_here": "no"})
    resident.post({"obstacle": "Rent", "bus_importance": "5"})
    last_page = resident.location
    token = csrf_token_from(resident.page_html)
    data = {"area": "south", "csrf_token": token}
    first = resident.client.post(last_page, data=data)
    second = resident.client.post(last_page, data=data)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"].endswith("/thanks")
    assert session.scalar(sa.select(sa.func.count()).select_from(Response)) == 1


def test_same_phone_continues_only_when_asked_and_starts_afresh_by_default(session, resident):
    resident.start()
    resident.post({"agree": "yes", "lives_here": "yes"})
    resident.open("/s/full")
    assert "Continue where you left off" in resident.page_html
    resident.post({"continue": "1"}, "/s/full/start")
    assert "/p/residents" in resident.location

    resident.open("/s/full")  # the next person on a shared phone presses the main button
    resident.post({}, "/s/full/start")
    assert "/p/start" in resident.location
    assert "checked" not in resident.page_html  # nobody else's answers


def test_the_saved_answers_cookie_lasts_a_day(session, resident):
    response = resident.start()
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith("draft_"))
    assert "Max-Age=86400" in cookie


def test_another_device_resumes_with_the_code(session, resident, app):
    resident.start()
    resident.post({"agree": "yes", "lives_here": "yes", "name_it": "Mine"})
    resident.post({"years": "3", "action": "save"})
    code = re.search(r'class="resume-code"[^>]*>([A-Z0-9-]+)<', resident.page_html).group(1)

    other = Resident(app.test_client(), "full")
    other.open("/s/full/resume")
    wrong = other.post({"code": "AAAA-AAAA"})
    assert wrong.status_code == 400
    assert "We could not find answers with that code" in other.page_html
    other.post({"code": code.lower().replace("-", " ")})
    assert "/p/residents" in other.location
    assert 'value="3"' in other.page_html


def test_honeypot_submissions_are_not_stored(session, resident):
    resident.start()
    response = resident.post({"agree": "yes", "lives_here": "no", "website": "spam.example"})
    assert response.headers["Location"].endswith("/thanks")
    assert session.scalar(sa.select(sa.func.count()).select_from(Answer)) == 0


def test_contact_opt_in_is_stored_apart_from_the_answers(session, resident):
    resident.start()
    _answer_all(resident)
    resident.post({"name": "Rosa", "method": "email", "email": "rosa@example.org"})
    assert "We will let you know" in resident.page_html
    opt_in = session.scalar(sa.select(ContactOptIn))
    assert opt_in.contact == "rosa@example.org"
    assert not hasattr(opt_in, "response_id")


def test_language_choice_renders_survey_content_and_is_remembered(session, resident):
    resident.open("/s/full?lang=es")
    assert '<html lang="es" dir="ltr">' in resident.page_html
    assert "Encuesta completa" in resident.page_html
    resident.post({}, "/s/full/start")
    assert "Acepto participar" in resident.page_html
    assert "Página 1 de 3" in resident.page_html


def test_untranslated_text_is_marked_with_its_own_language(session, client):
    # A text written only in Spanish is shown to an English reader, marked as Spanish
    # (a partly translated *language* is not offered at all: see test_content_translation).
    definition = full_definition("partial")
    definition["description"] = {"es": "Solo en español."}
    make_survey(session, definition=definition)
    resident = Resident(client, "partial")
    resident.open("/s/partial?lang=en")
    assert '<span lang="es" dir="ltr">Solo en español.</span>' in resident.page_html


def test_unknown_and_unpublished_surveys_are_404(session, client):
    make_survey(session, definition=full_definition("draft-only"), published=False)
    assert client.get("/s/nope").status_code == 404
    assert client.get("/s/draft-only").status_code == 404


def test_closed_campaign_shows_a_closed_page(session, client, survey):
    survey.campaign.status = "closed"
    session.commit()
    response = client.get("/s/full")
    assert response.status_code == 410
    assert "This survey is closed" in response.get_data(as_text=True)


def test_pages_without_a_draft_send_the_resident_to_the_start(session, client, survey):
    response = client.get("/s/full/p/opinions")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/s/full")
