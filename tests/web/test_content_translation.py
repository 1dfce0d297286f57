"""Survey content translation in the app: the staff pages, translator files over HTTP,
and the rule that residents are only offered complete languages."""

from __future__ import annotations

import copy
import csv
import io
import re

import pytest
from babel.messages.pofile import read_po, write_po
from openpyxl import load_workbook

from engage.builder.publishing import publish_survey
from engage.models import Survey
from engage.survey_translation.services import incomplete_languages
from surveys import DefinitionError
from tests.factories import PASSWORD, make_survey, make_user, small_definition
from tests.support.client import csrf_token_from
from tests.support.resident import answers_sent_from

ARABIC = {
    "title": "استبيان صغير",
    "pages.feedback.title": "تجربتك",
    "questions.obstacle.label": "ما الذي أعاقك؟",
    "questions.obstacle.help": "أخبرنا عن %(place)s",
    "questions.bus_importance.label": "ما مدى أهمية الحافلة؟",
    "questions.area.label": "أين تسكن؟",
    "questions.area.options.north": "الشمال",
    "questions.area.options.south": "الجنوب",
    "questions.area.options.prefer_not_to_say": "أفضل عدم القول",
    "thank_you": "شكرا لك",
}


def translated_definition(slug: str = "trans") -> dict:
    """English (source) and Spanish complete; Arabic only has its title."""
    definition = small_definition(slug)
    definition["languages"].append("ar")
    definition["title"]["ar"] = ARABIC["title"]
    definition["pages"][0]["questions"][0]["help"] = {
        "en": "Tell us about %(place)s",
        "es": "Cuéntenos sobre %(place)s",
    }
    definition["pages"][0]["title"] = {"en": "Your experience", "es": "Su experiencia"}
    definition["thank_you"] = {"en": "Thank you, neighbour!", "es": "¡Gracias, vecino!"}
    return definition


@pytest.fixture
def survey(session) -> Survey:
    return make_survey(session, definition=translated_definition())


@pytest.fixture
def staff(session, pages):
    make_user(session, email="staff@example.org", role="staff")
    pages.login("staff@example.org", PASSWORD)
    return pages


def base(survey: Survey) -> str:
    return f"/staff/surveys/{survey.id}/translations"


def draft_of(session, survey: Survey) -> dict:
    session.refresh(survey)
    return copy.deepcopy(survey.draft_definition)


# --- Who may use the pages ------------------------------------------------------------------


@pytest.mark.parametrize("role", ["member", "interviewer"])
def test_translation_pages_need_campaign_management(session, pages, survey, role):
    make_user(session, email=f"{role}@example.org", role=role)
    pages.login(f"{role}@example.org", PASSWORD)
    for path in ("", "/ar", "/ar.po"):
        assert pages.get(base(survey) + path).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, survey):
    response = client.get(base(survey) + "/ar")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# --- Overview -------------------------------------------------------------------------------


def test_overview_shows_completeness_and_what_residents_are_offered(staff, survey):
    html = staff.get(base(survey)).get_data(as_text=True)
    arabic = html[html.index("Arabic <span") :]
    arabic = arabic[: arabic.index("</tr>")]
    assert "1 of 10 (10%)" in arabic
    assert '<td class="numeric">9</td>' in arabic
    assert "Not offered: the published version is incomplete" in arabic
    assert f'href="{base(survey)}/ar"' in arabic
    for fmt in ("po", "csv", "xlsx"):
        assert f'href="{base(survey)}/ar.{fmt}"' in arabic
    spanish = html[html.index("Spanish <span") :]
    assert "10 of 10 (100%)" in spanish[: spanish.index("</tr>")]
    assert 'action="' + base(survey) + '/ar/import"' in html
    assert '<label for="ar-file">File with the Arabic translation</label>' in html


def test_overview_of_an_unknown_survey_is_404(staff):
    assert staff.get("/staff/surveys/999999/translations").status_code == 404


def test_a_draft_that_cannot_be_read_gets_a_clear_page(session, staff, survey):
    survey.draft_definition = {"pages": "not a list"}
    session.commit()
    response = staff.get(base(survey))
    assert response.status_code == 409
    assert "cannot be read" in response.get_data(as_text=True)


# --- Side-by-side editor --------------------------------------------------------------------


def test_editor_shows_source_beside_a_right_to_left_arabic_field(staff, survey):
    html = staff.get(base(survey) + "/ar").get_data(as_text=True)
    assert "<h1>Translate into Arabic</h1>" in html
    assert '<p class="translation-original" id="tr-1-source" lang="en" dir="ltr">Small survey' in (
        html
    )
    assert re.search(
        r'<input type="text" id="tr-1" name="text-title" value="استبيان صغير" lang="ar" dir="rtl"'
        r' aria-describedby="tr-1-source">',
        html,
    )
    # Grouped as the survey runs: pages, then their questions.
    order = [
        html.index(text)
        for text in (
            "Title and introduction",
            'Page 1: <span lang="en" dir="ltr">Your experience</span>',
            "Question “<bdi>obstacle</bdi>”",
            "Page 2",
            "Question “<bdi>area</bdi>”",
            "Choice “north”",
            "After the last page",
        )
    ]
    assert order == sorted(order)
    assert "textarea" in html  # the help and thank-you texts get room


def test_editor_in_the_arabic_interface_is_right_to_left(staff, survey):
    html = staff.get(base(survey) + "/es?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert 'lang="es" dir="ltr"' in html


def test_editor_for_the_source_or_an_unknown_language_is_404(staff, survey):
    assert staff.get(base(survey) + "/en").status_code == 404
    assert staff.get(base(survey) + "/fr").status_code == 404


def editor_form(staff, survey, lang: str) -> tuple[str, dict[str, str]]:
    html = staff.get(f"{base(survey)}/{lang}").get_data(as_text=True)
    digest = re.search(r'name="digest" type="hidden" value="([^"]*)"', html).group(1)
    return csrf_token_from(html), {"digest": digest}


def test_saving_the_editor_writes_the_draft_and_a_blank_field_erases(session, staff, survey):
    token, data = editor_form(staff, survey, "ar")
    texts = {f"text-{k}": v for k, v in ARABIC.items()}
    response = staff.client.post(
        base(survey) + "/ar", data={**data, **texts, "csrf_token": token}, follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "Translations saved: 10 of 10 texts are in Arabic." in html
    draft = draft_of(session, survey)
    assert draft["languages"] == ["en", "es", "ar"]
    assert draft["pages"][1]["questions"][0]["options"][0]["label"]["ar"] == "الشمال"
    assert draft["thank_you"]["ar"] == "شكرا لك"
    # Residents still see the published version until the survey is published again.
    assert "ar" not in survey.current_version.definition["pages"][1]["questions"][0]["label"]

    token, data = editor_form(staff, survey, "ar")
    staff.client.post(
        base(survey) + "/ar",
        data={**data, **texts, "text-title": "  ", "csrf_token": token},
    )
    assert "ar" not in draft_of(session, survey)["title"]


def test_a_placeholder_mistake_comes_back_with_everything_typed(session, staff, survey):
    before = draft_of(session, survey)
    token, data = editor_form(staff, survey, "ar")
    texts = {f"text-{k}": v for k, v in ARABIC.items()}
    texts["text-questions.obstacle.help"] = "أخبرنا عن المكان"  # %(place)s dropped
    response = staff.client.post(base(survey) + "/ar", data={**data, **texts, "csrf_token": token})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert html.count("<title>Error:") == 1
    assert 'class="error-summary"' in html
    assert "The translation lacks %(place)s, which the original text has." in html
    field = re.search(r'<textarea id="(tr-\d+)" name="text-questions.obstacle.help"[^>]*>', html)
    assert 'aria-invalid="true"' in field.group(0)
    assert f'href="#{field.group(1)}"' in html
    assert "أخبرنا عن المكان" in html
    assert 'value="الجنوب"' in html  # the other fields keep what was typed
    assert draft_of(session, survey) == before


def test_source_texts_changing_under_the_editor_saves_nothing(session, staff, survey):
    token, data = editor_form(staff, survey, "ar")
    survey.draft_definition = {
        **survey.draft_definition,
        "title": {**survey.draft_definition["title"], "en": "A new title"},
    }
    session.commit()
    before = draft_of(session, survey)
    response = staff.client.post(
        base(survey) + "/ar",
        data={**data, "text-questions.area.label": "أين؟", "csrf_token": token},
    )
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "The original texts changed while you were translating." in html
    assert 'value="أين؟"' in html and "A new title" in html
    assert draft_of(session, survey) == before


# --- Translator files over HTTP ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        ("po", "text/x-gettext-translation; charset=utf-8"),
        ("csv", "text/csv; charset=utf-8"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ],
)
def test_exports_are_downloads_with_a_telling_name(staff, survey, fmt, content_type):
    response = staff.get(f"{base(survey)}/ar.{fmt}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"] == f"attachment; filename=trans-ar.{fmt}"


def test_export_of_an_unknown_language_is_404(staff, survey):
    assert staff.get(f"{base(survey)}/fr.po").status_code == 404
    assert staff.get(f"{base(survey)}/ar.docx").status_code == 404


def fill(fmt: str, data: bytes, texts: dict[str, str]) -> bytes:
    """What a translator does with the downloaded file."""
    if fmt == "po":
        catalog = read_po(io.BytesIO(data))
        for message in catalog:
            if message.id and message.context in texts:
                message.string = texts[message.context]
        out = io.BytesIO()
        write_po(out, catalog)
        return out.getvalue()
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
        for row in rows[1:]:
            row[2] = texts.get(row[0], row[2])
        buffer = io.StringIO(newline="")
        csv.writer(buffer).writerows(rows)
        return buffer.getvalue().encode("utf-8")
    book = load_workbook(io.BytesIO(data))
    for key, _source, target in book.active.iter_rows(min_row=2):
        if key.value in texts:
            target.value = texts[key.value]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(staff, survey, lang: str, data: bytes, filename: str, **kwargs):
    token = csrf_token_from(staff.get(base(survey)).get_data(as_text=True))
    return staff.client.post(
        f"{base(survey)}/{lang}/import",
        data={f"{lang}-csrf_token": token, f"{lang}-file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
        **kwargs,
    )


@pytest.mark.parametrize("fmt", ["po", "csv", "xlsx"])
def test_translator_round_trip_through_the_pages_reaches_residents(
    session, client, staff, survey, fmt
):
    exported = staff.get(f"{base(survey)}/ar.{fmt}").data
    response = upload(
        staff, survey, "ar", fill(fmt, exported, ARABIC), f"arabic.{fmt}", follow_redirects=True
    )
    html = response.get_data(as_text=True)
    assert "The Arabic file was imported. 9 translations changed." in html
    assert "still untranslated" not in html
    assert "10 of 10 (100%)" in html
    assert draft_of(session, survey)["pages"][0]["questions"][0]["help"]["ar"] == (
        "أخبرنا عن %(place)s"
    )
    # Not offered to residents until published again; then offered everywhere.
    assert "?lang=ar" not in client.get("/s/trans").get_data(as_text=True)
    publish_survey(session, survey)
    session.commit()
    intro = client.get("/s/trans?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in intro and "استبيان صغير" in intro
    assert client.get("/api/v1/surveys/trans").get_json()["languages"] == ["en", "es", "ar"]


def test_a_partly_translated_file_reports_what_is_still_missing(session, staff, survey):
    exported = staff.get(f"{base(survey)}/ar.csv").data
    partial = {k: v for k, v in ARABIC.items() if k != "thank_you"}
    response = upload(
        staff, survey, "ar", fill("csv", exported, partial), "ar.csv", follow_redirects=True
    )
    assert "8 translations changed. 1 text is still untranslated." in response.get_data(
        as_text=True
    )


def test_a_broken_file_changes_nothing_and_lists_its_rows(session, staff, survey):
    before = draft_of(session, survey)
    exported = staff.get(f"{base(survey)}/ar.csv").data
    broken = fill("csv", exported, {**ARABIC, "questions.obstacle.help": "أخبرنا"})
    broken += "questions.gone.label,Gone,ذهب\r\n".encode()
    response = upload(staff, survey, "ar", broken, "ar.csv")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "The file was not imported and nothing has changed." in html
    assert re.search(
        r'<strong>Row 5</strong> <code dir="ltr">questions.obstacle.help</code>: '
        r"The translation lacks %\(place\)s",
        html,
    )
    assert re.search(
        r'<strong>Row 12</strong> <code dir="ltr">questions.gone.label</code>: '
        r"This key is not a text",
        html,
    )
    assert 'aria-invalid="true"' in html[html.index('id="ar-file"') - 200 :]
    assert draft_of(session, survey) == before


@pytest.mark.parametrize(
    ("lang", "filename", "data", "message"),
    [
        ("ar", "ar.xlsx", b"key,source (en),translation (ar)\n", "not an Excel workbook"),
        ("ar", "ar.csv", "key,source (en),translation (ar)\ntitle,x,é\n".encode("latin-1"),
         "not in UTF-8"),
        ("es", "ar.po", None, "a translation into Arabic, not into Spanish"),
        ("ar", "ar.docx", b"whatever", "Choose a .po, .csv or .xlsx file."),
    ],
)  # fmt: skip
def test_unreadable_or_wrong_files_are_refused(
    session, staff, survey, lang, filename, data, message
):
    before = draft_of(session, survey)
    if data is None:
        data = staff.get(f"{base(survey)}/ar.po").data
    response = upload(staff, survey, lang, data, filename)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert draft_of(session, survey) == before


def test_an_import_without_a_file_asks_for_one(staff, survey):
    token = csrf_token_from(staff.get(base(survey)).get_data(as_text=True))
    response = staff.client.post(
        f"{base(survey)}/ar/import",
        data={"ar-csrf_token": token},
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert "Choose a file to import." in response.get_data(as_text=True)


def test_a_stale_row_is_imported_around_with_a_warning(session, staff, survey):
    exported = fill("csv", staff.get(f"{base(survey)}/ar.csv").data, ARABIC)
    draft = draft_of(session, survey)
    draft["pages"][1]["questions"][0]["options"][0]["label"]["en"] = "Northside"
    survey.draft_definition = draft
    session.commit()
    response = upload(staff, survey, "ar", exported, "ar.csv", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "1 text is still untranslated." in html
    assert "Row 8 (questions.area.options.north): The original text has changed" in html
    assert "ar" not in draft_of(session, survey)["pages"][1]["questions"][0]["options"][0]["label"]


# --- What residents are offered ---------------------------------------------------------------


def test_an_incomplete_language_is_not_offered_to_residents(session, client, survey):
    html = client.get("/s/trans?lang=ar").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert "Small survey" in html and "استبيان صغير" not in html
    assert 'hreflang="es"' in html and 'hreflang="ar"' not in html
    browser = client.get("/s/trans", headers={"Accept-Language": "ar, es;q=0.5"})
    assert '<html lang="es" dir="ltr">' in browser.get_data(as_text=True)
    assert client.get("/api/v1/surveys/trans").get_json()["languages"] == ["en", "es"]


def test_thank_you_text_is_shown_in_the_residents_language(session, client, survey):
    client.get("/s/trans?lang=es")
    page = client.get("/s/trans?lang=es")
    token = csrf_token_from(page.get_data(as_text=True))
    client.post("/s/trans/start", data={"csrf_token": token})
    answers_sent_from(client, session, survey, language="es")
    html = client.get("/s/trans/thanks?lang=es").get_data(as_text=True)
    assert '<p class="thank-you">¡Gracias, vecino!</p>' in html


def test_without_thank_you_text_the_general_message_is_shown(session, client):
    plain = make_survey(session, definition=small_definition("plain"))
    answers_sent_from(client, session, plain)
    html = client.get("/s/plain/thanks").get_data(as_text=True)
    assert "What you told us will be read by people" in html
    assert "thank-you" not in html


def test_incomplete_languages_tells_the_builder_what_would_be_held_back():
    definition = translated_definition()
    assert incomplete_languages(definition) == {"ar": 9}
    definition["languages"].append("fr")
    assert incomplete_languages(definition) == {"ar": 9, "fr": 10}
    with pytest.raises(DefinitionError):
        incomplete_languages({"pages": 3})


def test_a_text_missing_in_the_source_is_shown_marked_with_its_language(session, client):
    definition = translated_definition("marked")
    definition["languages"] = ["en", "es"]
    definition["title"].pop("ar")
    definition["pages"][1]["questions"][0]["help"] = {"ar": "اختر واحدا"}
    definition["languages"].append("ar")
    make_survey(session, definition=definition)
    page = client.get("/s/marked?lang=en")
    client.post(
        "/s/marked/start", data={"csrf_token": csrf_token_from(page.get_data(as_text=True))}
    )
    html = client.get("/s/marked/p/about").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in html
    assert '<span lang="ar" dir="rtl">اختر واحدا</span>' in html
    assert 'hreflang="ar"' not in html
