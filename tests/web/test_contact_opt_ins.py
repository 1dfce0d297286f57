"""Contact opt-ins on the thank-you page: an e-mail address or a phone in international
form, checked, with clear errors that keep what was typed, and the purpose shown."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from engage.models import ContactOptIn
from engage.resident.contact_details import is_email, normalise_phone
from tests.factories import make_campaign, make_survey
from tests.support.resident import answers_sent_from


@pytest.mark.parametrize(
    "text",
    ["rosa@example.org", "a.b+news@mail.example.co.uk", "josé@correo.es", "x@münchen.de"],
)
def test_an_email_address_is_accepted(text):
    assert is_email(text)


@pytest.mark.parametrize(
    "text",
    ["rosa", "rosa@", "@example.org", "rosa@example", "a@b.c", "a@@example.org",
     "a b@example.org", ".a@example.org", "a..b@example.org", "a@-x.org", "a@x..org",
     "a@1.23", "+44 7700 900123", "a@example.org" + "x" * 250],
)  # fmt: skip
def test_anything_else_is_not_an_email_address(text):
    assert not is_email(text)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("+44 7700 900123", "+447700900123"),
        ("+1-555-010-2030", "+15550102030"),
        ("  +33 6 12 34 56 78 ", "+33612345678"),
        ("+٩٦٦ ٥٥ ١٢٣ ٤٥٦٧", "+966551234567"),  # Arabic-Indic digits
        ("＋12345678", "+12345678"),
    ],
)
def test_a_phone_in_international_form_is_kept_as_plus_and_digits(typed, kept):
    assert normalise_phone(typed) == kept


@pytest.mark.parametrize(
    "typed", ["07700 900123", "+1234567", "+1234567890123456", "+44 (0)7700 900123", "+44 abc"]
)
def test_a_phone_without_country_code_or_with_the_wrong_length_is_refused(typed):
    assert normalise_phone(typed) is None


@pytest.fixture
def survey(session):
    campaign = make_campaign(session, contacts_retained_until=date(2027, 6, 30))
    return make_survey(session, campaign=campaign, slug="parks")


def _thanks(pages, session, survey, lang="en"):
    answers_sent_from(pages.client, session, survey, language=lang)
    return pages


def _send(pages, data):
    return pages.submit("/s/parks/thanks", data)


def _stored(session):
    return session.scalars(sa.select(ContactOptIn.contact)).all()


def test_the_purpose_and_how_long_we_keep_it_are_shown_next_to_the_boxes(pages, session, survey):
    page = _thanks(pages, session, survey).get("/s/parks/thanks").get_data(as_text=True)
    assert "We ask only to tell you what comes of this work." in page
    assert "We delete them on June 30, 2027." in page
    assert 'aria-describedby="contact-purpose"' in page
    assert 'type="email"' in page and 'type="tel"' in page


@pytest.mark.parametrize(
    ("data", "kept"),
    [
        (
            {"method": "email", "email": " rosa@example.org ", "phone": "garbage"},
            "rosa@example.org",
        ),
        (
            {"method": "phone", "phone": "+44 7700-900 123", "email": "not an email"},
            "+447700900123",
        ),
        ({"email": "rosa@example.org"}, "rosa@example.org"),  # typing in one box chooses it
        ({"phone": "+1 555 010 2030"}, "+15550102030"),
    ],
)
def test_the_chosen_way_is_checked_and_kept(pages, session, survey, data, kept):
    response = _send(_thanks(pages, session, survey), {"name": "Rosa", **data})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "We will let you know" in response.get_data(as_text=True)
    assert _stored(session) == [kept]


@pytest.mark.parametrize(
    ("data", "error", "field"),
    [
        ({"method": "email", "email": "rosa@example"}, "Enter an email address like", "email"),
        ({"method": "email", "email": ""}, "Enter your email address.", "email"),
        ({"method": "phone", "phone": "07700 900123"}, "in international form", "phone"),
        ({"method": "phone", "phone": " "}, "Enter your phone number.", "phone"),
        ({}, "Choose email or phone, and fill in that box.", "method"),
        ({"email": "rosa@example.org", "phone": "+447700900123"}, "Choose email", "method"),
    ],
)  # fmt: skip
def test_a_bad_contact_is_refused_with_a_clear_error_and_nothing_typed_is_lost(
    pages, session, survey, data, error, field
):
    response = _send(_thanks(pages, session, survey), {"name": "Rosa Díaz", **data})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert error in page and f'href="#{field}"' in page
    assert 'value="Rosa Díaz"' in page
    for name in ("email", "phone"):
        if data.get(name, "").strip():
            assert f'value="{data[name]}"' in page
    if data.get("method"):
        assert f'value="{data["method"]}" checked' in page
    assert _stored(session) == []


def test_a_page_with_an_error_stays_in_the_residents_language(pages, session, survey):
    _thanks(pages, session, survey, lang="es")
    response = pages.submit("/s/parks/thanks?lang=es", {"method": "phone", "phone": "0770"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<html lang="es" dir="ltr">' in page and 'value="0770"' in page


def test_the_campaigns_own_purpose_is_shown_and_kept_with_what_the_resident_agreed_to(
    pages, session, survey, staff
):
    from engage.models import Campaign

    campaign = session.get(Campaign, survey.campaign_id)
    campaign.languages = ["en", "es"]
    campaign.contact_purpose = {"en": "We will invite you to the bus workshop in March."}
    session.commit()
    page = _thanks(pages, session, survey).get("/s/parks/thanks").get_data(as_text=True)
    assert "We will invite you to the bus workshop in March." in page
    assert "We ask only to tell you" not in page
    _send(pages, {"name": "Rosa", "email": "rosa@example.org"})
    # In a language the campaign wrote no purpose in: the fixed sentence, in that language.
    _thanks(pages, session, survey, lang="es")
    pages.submit("/s/parks/thanks?lang=es", {"email": "ana@example.org"})
    kept = dict(session.execute(sa.select(ContactOptIn.contact, ContactOptIn.purpose)).all())
    assert kept["rosa@example.org"] == "We will invite you to the bus workshop in March."
    assert kept["ana@example.org"] not in ("", kept["rosa@example.org"])

    # The same browser: back in English after the Spanish thank-you page.
    listing = staff.get(f"/staff/campaigns/{campaign.id}/contacts?lang=en").get_data(as_text=True)
    assert "What they agreed to" in listing
    assert "We will invite you to the bus workshop in March." in listing


def test_staff_write_the_purpose_per_language_on_the_campaign(staff, session, survey):
    from engage.models import Campaign

    campaign = session.get(Campaign, survey.campaign_id)
    campaign.languages = ["en", "ar"]
    session.commit()
    url = f"/staff/campaigns/{campaign.id}/edit"
    form = staff.get(url).get_data(as_text=True)
    assert "Why we may contact residents, in Arabic" in form
    data = {
        "title": campaign.title,
        "slug": campaign.slug,
        "languages": ["en", "ar"],
        "status": str(campaign.status),
        "contact_purpose_en": " To invite you to the March workshop. ",
        "contact_purpose_ar": "",
    }
    assert staff.submit(url, data).status_code == 302
    session.refresh(campaign)
    assert campaign.contact_purpose == {"en": "To invite you to the March workshop."}
    too_long = staff.submit(url, {**data, "contact_purpose_ar": "x" * 501})
    assert too_long.status_code == 400
    assert 'value="To invite you' in too_long.get_data(as_text=True) or (
        "To invite you to the March workshop." in too_long.get_data(as_text=True)
    )
