"""A ``geopoint`` imported into a campaign with areas: the preview says how it is asked;
residents, without JavaScript, choose an area or "somewhere else" and type the place,
checked by the engine, and the export has the area and the place in two columns."""

from __future__ import annotations

import sqlalchemy as sa

from engage.cli import cli
from engage.models import Response, Survey
from surveys.export import answer_cells
from surveys.xlsform import import_xlsform
from tests.factories import make_campaign, make_survey
from tests.surveys.test_xlsform import workbook_bytes
from tests.surveys.test_xlsform_location import AREAS, SURVEY
from tests.web.test_survey_import_preview import _confirm, _signed_in, _token, _upload
from tests.web.test_survey_pages import Resident


def _answers(session) -> list[dict]:
    responses = session.scalars(sa.select(Response).order_by(Response.id)).all()
    return [{a.question_code: a.value for a in r.answers} for r in responses]


def test_the_preview_says_the_location_offers_the_campaigns_areas(pages, session):
    signed_in = _signed_in(pages, session)
    campaign = make_campaign(session, areas=AREAS)
    response = _upload(signed_in, campaign, data=workbook_bytes(SURVEY), name="where.xlsx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "asks for one of the campaign&#39;s areas" in page or "campaign's areas" in page
    assert _confirm(signed_in, campaign, _token(page)).status_code == 302
    survey = session.scalar(sa.select(Survey))
    where = survey.draft_definition["pages"][0]["questions"][0]
    assert where["type"] == "dropdown"
    assert [o["label"]["en"] for o in where["options"]][:3] == AREAS


def test_residents_choose_an_area_or_type_a_place(client, session):
    definition = import_xlsform(workbook_bytes(SURVEY), areas=AREAS).definition
    data = {**definition.to_dict(), "slug": "where", "title": {"en": "Where", "ar": "أين"}}
    survey = make_survey(session, definition=data)

    first = Resident(client, survey.slug)
    first.start(lang="ar")
    assert "Riverside" in first.page_html and "مكان آخر (اكتب اسم المكان)" in first.page_html
    assert "<script" not in first.page_html.split("<main", 1)[1]
    assert first.post({"where": "riverside", "what": "flood"}).status_code == 302

    second = Resident(client, survey.slug)
    second.start()
    # somewhere else, with no place typed: refused, what was typed kept
    refused = second.post({"where": "elsewhere", "where__other": "", "what": "pothole"})
    assert refused.status_code == 400 and "pothole" in second.page_html
    # an area that is not the campaign's: refused by the engine
    assert second.post({"where": "mars", "what": "pothole"}).status_code == 400
    ok = second.post({"where": "elsewhere", "where__other": "Bridge St", "what": "pothole"})
    assert ok.status_code == 302

    answers = _answers(session)
    assert answers[0]["where"] == "riverside"
    cells = [answer_cells(definition, a) for a in answers]
    assert (cells[0]["where"], cells[0].get("where__other") or "") == ("riverside", "")
    assert (cells[1]["where"], cells[1]["where__other"]) == ("elsewhere", "Bridge St")


def test_the_command_offers_the_campaigns_areas_too(app, session, tmp_path):
    make_campaign(session, slug="eastside", areas=AREAS)
    form = tmp_path / "where.xlsx"
    form.write_bytes(workbook_bytes(SURVEY))
    runner = app.test_cli_runner()
    result = runner.invoke(
        cli, ["import", "survey", str(form), "--campaign", "eastside", "--dry-run"]
    )
    assert result.exit_code == 0, result.output
    assert "Changed: Sheet survey, row 2, column type" in result.output
    assert "asks for one of the campaign's areas" in result.output


def _where_survey(session):
    definition = import_xlsform(workbook_bytes(SURVEY), areas=AREAS).definition
    data = {**definition.to_dict(), "slug": "where", "title": {"en": "Where", "ar": "أين"}}
    return make_survey(session, definition=data)


def test_the_box_says_it_is_for_somewhere_else_in_the_residents_language(client, session):
    survey = _where_survey(session)
    for lang, label in (("en", "If somewhere else, type the place"),
                        ("ar", "إذا كان في مكان آخر، فاكتب اسم المكان")):  # fmt: skip
        resident = Resident(client, survey.slug)
        resident.start(lang=lang)
        html = resident.page_html
        assert f'<label for="where__other">{label}</label>' in html
        assert "Please say more" not in html
        assert 'data-specify="elsewhere"' in html  # the script shows it with that option


def test_a_place_typed_with_an_area_chosen_is_not_kept(client, session):
    survey = _where_survey(session)
    resident = Resident(client, survey.slug)
    resident.start()
    sent = resident.post({"where": "riverside", "where__other": "Bridge St", "what": "flood"})
    assert sent.status_code == 302
    [answers] = _answers(session)
    assert answers == {"where": "riverside", "what": "flood"}


def test_the_paper_form_labels_the_line_of_somewhere_else(staff, session):
    survey = _where_survey(session)
    html = staff.get(f"/staff/surveys/{survey.id}/paper/ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert '<span class="paper-specify">إذا كان في مكان آخر، فاكتب اسم المكان</span>' in html


def test_the_export_has_the_two_columns_and_the_codebook_explains_the_place(staff, session):
    import csv
    import io
    import zipfile

    survey = _where_survey(session)
    sent = staff.client.post(
        f"/api/v1/surveys/{survey.slug}/responses",
        json={"answers": {"where": "elsewhere", "where__other": "Bridge St"}},
    )
    assert sent.status_code == 201
    response = staff.submit(
        f"/staff/surveys/{survey.id}/responses/export", {"format": "csv", "codebook": "y"}
    )
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    rows = list(csv.DictReader(io.StringIO(archive.read("responses.csv").decode("utf-8-sig"))))
    assert [(r["where"], r["where__other"]) for r in rows] == [("elsewhere", "Bridge St")]
    book = list(csv.DictReader(io.StringIO(archive.read("codebook.csv").decode("utf-8-sig"))))
    place = next(row for row in book if row["column"] == "where__other")
    assert (place["question"], place["type"], place["value"]) == ("where", "specify", "elsewhere")
    assert place["text_en"] == "If somewhere else, type the place"
    assert place["text_ar"] == "إذا كان في مكان آخر، فاكتب اسم المكان"
    assert place["description"] == "The text typed with the choice “elsewhere”."


def test_translators_see_the_label_of_the_place_box(staff, session):
    survey = _where_survey(session)
    html = staff.get(f"/staff/surveys/{survey.id}/translations/ar").get_data(as_text=True)
    assert "Text box of choice “elsewhere”" in html
    assert 'name="text-questions.where.specify.elsewhere"' in html
    assert "إذا كان في مكان آخر، فاكتب اسم المكان" in html


def _edit_where(staff, survey, lang: str, **extra):
    areas = ["northgate", "riverside", "old_town", "elsewhere"]
    labels = [*AREAS, "Somewhere else (type the place)"]
    return staff.submit(
        f"/staff/surveys/{survey.id}/questions/where?language={lang}",
        {
            "type": "dropdown",
            "code": "where",
            "page": "page_1",
            "label": "Where did it happen?",
            **{f"option-{i}-value": v for i, v in enumerate(areas)},
            **{f"option-{i}-label": v for i, v in enumerate(labels)},
            "option-3-specify": "y",
            "action": "save",
            **extra,
        },
    )


def test_the_builder_shows_and_edits_the_label_of_the_place_box(staff, session):
    from tests.web.test_survey_builder import draft

    survey = _where_survey(session)
    page_key = survey.draft_definition["pages"][0]["key"]
    form = staff.get(f"/staff/surveys/{survey.id}/questions/where").get_data(as_text=True)
    assert 'name="specify_label"' in form and 'value="If somewhere else, type the place"' in form
    saved = _edit_where(staff, survey, "en", page=page_key, specify_label="Type the street")
    assert saved.status_code == 302
    elsewhere = draft(session, survey.id)["pages"][0]["questions"][0]["options"][3]
    assert elsewhere["specify"] is True
    assert elsewhere["specify_label"] == {
        "en": "Type the street",
        "ar": "إذا كان في مكان آخر، فاكتب اسم المكان",  # the other language is kept
    }
    # A label with no option asking to specify: said, beside the field.
    refused = _edit_where(
        staff, survey, "en", page=page_key, specify_label="Type", **{"option-3-specify": ""}
    )
    assert refused.status_code == 400
    assert "Tick “Ask to specify” on an option" in refused.get_data(as_text=True)
