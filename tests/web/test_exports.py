"""Downloading a survey's responses as CSV, Excel and JSON, from the builder and the CLI."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime
from types import SimpleNamespace

import openpyxl
import pytest
import sqlalchemy as sa

from engage.cli import cli
from engage.models import AuditEvent, Survey
from engage.responses.services import submit_response
from tests.factories import make_survey, small_definition

FORMULA = '=HYPERLINK("http://evil.example","click")'


@pytest.fixture
def survey(session):
    survey = make_survey(session, slug="parks")
    version = survey.versions[0]
    submit_response(
        session,
        version=version,
        answers={"obstacle": FORMULA, "bus_importance": 7, "area": "north"},
        language="en",
        source_tag="flyer",
    )
    submit_response(
        session, version=version, answers={"obstacle": "الحافلة لا تأتي أبدًا"}, language="ar"
    )
    session.commit()
    return SimpleNamespace(id=survey.id, slug=survey.slug)


def _download(staff, survey, fmt, **options):
    return staff.submit(f"/staff/surveys/{survey.id}/responses/export", {"format": fmt, **options})


def test_csv_has_one_row_per_response_with_formulas_defused(staff, survey, session):
    response = _download(staff, survey, "csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == 'attachment; filename="parks-responses.csv"'
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # Excel then reads Arabic correctly
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [(r["language"], r["source"], r["area"]) for r in rows] == [
        ("en", "flyer", "north"),
        ("ar", "", ""),
    ]
    assert rows[0]["obstacle"] == "'" + FORMULA
    assert rows[0]["bus_importance"] == "7"
    assert rows[1]["obstacle"] == "الحافلة لا تأتي أبدًا"
    audit = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "exported"))
    assert (audit.action, audit.subject_label, audit.detail) == (
        "exported",
        "parks",
        {"format": "csv"},
    )
    assert audit.actor_id is not None


def test_excel_keeps_numbers_as_numbers_and_text_never_as_a_formula(staff, survey):
    response = _download(staff, survey, "xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.get_data())).active
    header = [c.value for c in sheet[1]]
    first = dict(zip(header, [c.value for c in sheet[2]], strict=True))
    assert (
        first["obstacle"] == FORMULA
        and sheet.cell(2, header.index("obstacle") + 1).data_type == "s"
    )
    assert first["bus_importance"] == 7
    assert sheet.max_row == 3


def test_json_keeps_the_answers_as_stored(staff, survey):
    records = json.loads(_download(staff, survey, "json").get_data())
    assert [r["answers"] for r in records] == [
        {"obstacle": FORMULA, "bus_importance": 7, "area": "north"},
        {"obstacle": "الحافلة لا تأتي أبدًا"},
    ]
    assert records[0]["survey_version"] == 1 and records[0]["channel"] == "web"


def test_the_builder_links_to_the_download_with_the_count(staff, survey):
    page = staff.get(f"/staff/surveys/{survey.id}").get_data(as_text=True)
    assert "2 responses so far" in page
    assert f'href="/staff/surveys/{survey.id}/responses/export"' in page


def test_the_command_writes_the_file_and_refuses_an_unknown_survey(app, survey, tmp_path):
    runner = app.test_cli_runner()
    output = tmp_path / "out.csv"
    result = runner.invoke(cli, ["export", "responses", "parks", "--output", str(output)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(output.read_text("utf-8-sig"))))
    assert len(rows) == 2
    missing = runner.invoke(cli, ["export", "responses", "nope", "--output", str(output)])
    assert missing.exit_code == 1 and "no survey" in missing.output


# -- options: filters, labels, codebook ---------------------------------------------------

EVIL_LABEL = "=1+1"


def _labelled_definition(slug):
    definition = small_definition(slug)
    definition["languages"] = ["en", "es", "ar"]
    definition["pages"][1]["questions"] += [
        {
            "code": "topics",
            "type": "multiple_choice",
            "label": {"en": "What matters?", "es": "¿Qué importa?", "ar": "ما المهم؟"},
            "options": [
                {"value": "bus", "label": {"en": "Buses", "es": "Autobuses", "ar": "الحافلات"}},
                {"value": "rent", "label": {"en": EVIL_LABEL, "es": "Alquiler", "ar": "الإيجار"}},
            ],
        },
        {
            "code": "lives_here",
            "type": "yes_no",
            "label": {"en": "Do you live here?", "es": "¿Vive aquí?", "ar": "هل تعيش هنا؟"},
        },
    ]
    for q in definition["pages"][0]["questions"] + definition["pages"][1]["questions"][:1]:
        q["label"]["ar"] = q["label"]["en"] + " (ar)"
        for option in q.get("options", []):
            option["label"]["ar"] = option["label"]["en"] + " (ar)"
    definition["title"]["ar"] = "استبيان"
    return definition


@pytest.fixture
def labelled(session):
    survey = make_survey(session, definition=_labelled_definition("bus"))
    version = survey.versions[0]
    for day, channel, language, answers in [
        (1, "web", "en", {"obstacle": "Late", "area": "north", "topics": ["bus", "rent"]}),
        (5, "paper", "es", {"obstacle": "Tarde", "area": "south", "lives_here": "yes"}),
        (9, "web", "ar", {"obstacle": "متأخر", "topics": ["rent"], "lives_here": "no"}),
    ]:
        submit_response(
            session,
            version=version,
            answers=answers,
            language=language,
            channel=channel,
            submitted_at=datetime(2026, 11, day, 23, 30, tzinfo=UTC),
        )
    session.commit()
    return SimpleNamespace(id=survey.id, slug=survey.slug)


def _rows(response):
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))


def test_the_export_page_offers_the_options_and_says_set_aside_responses_are_left_out(
    staff, labelled
):
    page = staff.get(f"/staff/surveys/{labelled.id}/responses/export").get_data(as_text=True)
    assert "3 responses can be downloaded" in page
    assert "never exported" in page
    for label in ("Labels in Spanish", "Labels in Arabic", "Paper form", "Include the codebook"):
        assert label in page


def test_the_filters_keep_the_days_channel_and_language_asked_for(staff, labelled, session):
    days = _rows(
        _download(staff, labelled, "csv", submitted_from="2026-11-05", submitted_to="2026-11-09")
    )
    assert [r["obstacle"] for r in days] == ["Tarde", "متأخر"]  # whole UTC days, ends kept
    web = _rows(_download(staff, labelled, "csv", channel="web"))
    assert [r["language"] for r in web] == ["en", "ar"]
    spanish = _rows(_download(staff, labelled, "csv", language="es", channel="paper"))
    assert [r["obstacle"] for r in spanish] == ["Tarde"]
    audit = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "exported").order_by(AuditEvent.id)
    ).all()[-1]
    assert audit.detail == {"format": "csv", "channel": "paper", "language": "es"}


def test_bad_filters_show_the_form_again_with_the_errors_and_what_was_typed(staff, labelled):
    response = _download(
        staff, labelled, "csv", submitted_from="2026-11-09", submitted_to="2026-11-01",
        channel="fax",
    )  # fmt: skip
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The end date must be on or after the start date." in page
    assert 'value="2026-11-09"' in page and 'value="2026-11-01"' in page
    unknown = _download(staff, labelled, "pdf").get_data(as_text=True)
    assert "There is a problem" in unknown


def test_labels_in_a_language_replace_the_codes_and_stay_formula_safe(staff, labelled):
    rows = _rows(_download(staff, labelled, "csv", values="labels:es"))
    assert [r["area"] for r in rows] == ["Norte", "Sur", ""]
    assert rows[0]["topics"] == "Autobuses; Alquiler"
    assert (rows[0]["topics/bus"], rows[0]["topics/rent"]) == ("1", "1")  # still 1/0
    assert [r["lives_here"] for r in rows] == ["", "Sí", "No"]
    english = _rows(_download(staff, labelled, "csv", values="labels:en"))
    assert english[2]["topics"] == "'" + EVIL_LABEL
    assert english[1]["lives_here"] == "Yes"
    codes = _rows(_download(staff, labelled, "csv"))
    assert (codes[0]["topics"], codes[0]["area"], codes[1]["lives_here"]) == (
        "bus rent",
        "north",
        "yes",
    )


def test_json_labels_keep_lists_as_lists(staff, labelled):
    records = json.loads(_download(staff, labelled, "json", values="labels:ar").get_data())
    assert records[0]["answers"]["topics"] == ["الحافلات", "الإيجار"]
    assert records[2]["answers"]["lives_here"] == "لا"


def test_a_csv_with_its_codebook_is_a_zip_of_two_files(staff, labelled):
    response = _download(staff, labelled, "csv", codebook="y")
    assert response.headers["Content-Disposition"] == 'attachment; filename="bus-responses.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    assert archive.namelist() == ["responses.csv", "codebook.csv"]
    responses = list(csv.DictReader(io.StringIO(archive.read("responses.csv").decode("utf-8-sig"))))
    assert len(responses) == 3
    book = list(csv.DictReader(io.StringIO(archive.read("codebook.csv").decode("utf-8-sig"))))
    by_column = {row["column"]: row for row in book if row["column"]}
    assert (
        by_column["channel"]["type"] == "meta"
        and "listening session" in (by_column["channel"]["description"])
    )
    assert set(by_column) >= {"response_id", "submitted_at", "language", "source", "area"}
    topics = by_column["topics topics/bus topics/rent"]
    assert (topics["question"], topics["type"], topics["page"]) == (
        "topics",
        "multiple_choice",
        "2",
    )
    assert (topics["text_en"], topics["text_es"], topics["text_ar"]) == (
        "What matters?",
        "¿Qué importa?",
        "ما المهم؟",
    )
    rent = by_column["topics/rent"]
    assert (rent["value"], rent["text_en"], rent["text_es"]) == (
        "rent",
        "'" + EVIL_LABEL,
        "Alquiler",
    )
    yes = next(r for r in book if r["question"] == "lives_here" and r["value"] == "yes")
    assert (yes["text_en"], yes["text_es"], yes["text_ar"]) == ("Yes", "Sí", "نعم")


def test_excel_gets_a_codebook_sheet_and_json_a_codebook_object(staff, labelled):
    workbook = openpyxl.load_workbook(
        io.BytesIO(_download(staff, labelled, "xlsx", codebook="y").get_data())
    )
    assert workbook.sheetnames == ["responses", "Codebook"]
    sheet = workbook["Codebook"]
    header = [c.value for c in sheet[1]]
    assert header[:5] == ["column", "question", "type", "page", "value"]
    labels = [row for row in sheet.iter_rows(min_row=2) if row[4].value == "rent"]
    assert labels[0][5].value == EVIL_LABEL and labels[0][5].data_type == "s"
    document = json.loads(_download(staff, labelled, "json", codebook="y").get_data())
    assert len(document["responses"]) == 3
    codebook = document["codebook"]
    assert codebook["languages"] == ["en", "es", "ar"]
    area = next(q for q in codebook["questions"] if q["code"] == "area")
    assert area["options"][0] == {
        "value": "north",
        "label": {"en": "North", "es": "Norte", "ar": "North (ar)"},
    }
    assert area["page"] == 2 and area["columns"] == ["area"]
    assert [m["column"] for m in codebook["meta"]][:3] == [
        "response_id",
        "survey_version",
        "submitted_at",
    ]


def test_the_command_takes_the_same_options(app, labelled, tmp_path):
    runner = app.test_cli_runner()
    output = tmp_path / "out.zip"
    args = ["export", "responses", "bus", "--output", str(output), "--from", "2026-11-02"]
    result = runner.invoke(cli, [*args, "--channel", "web", "--labels", "es", "--codebook"])
    assert result.exit_code == 0, result.output
    archive = zipfile.ZipFile(output)
    rows = list(csv.DictReader(io.StringIO(archive.read("responses.csv").decode("utf-8-sig"))))
    assert [(r["language"], r["topics"], r["lives_here"]) for r in rows] == [
        ("ar", "Alquiler", "No")
    ]
    xlsx = tmp_path / "out.xlsx"
    done = runner.invoke(
        cli, ["export", "responses", "bus", "--format", "xlsx", "--language", "en",
              "--codes", "--output", str(xlsx)],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert openpyxl.load_workbook(xlsx).active.max_row == 2


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--from", "1 Nov"], "Invalid value for '--from'"),
        (["--from", "2026-11-09", "--to", "2026-11-01"], "must be on or after --from"),
        (["--channel", "fax"], "Invalid value for '--channel'"),
        (["--labels", "fr"], "'fr' is not a language of bus (en, es, ar)"),
        (["--language", "xx"], "'xx' is not a language of bus"),
        (["--labels", "es", "--codes"], "not both"),
        (["--format", "pdf"], "Invalid value for '--format'"),
        (["--wave", "2"], "bus has no wave 2 (it has 1)"),
    ],
)
def test_the_command_refuses_bad_options_with_a_message(app, labelled, tmp_path, options, message):
    output = tmp_path / "out.csv"
    result = app.test_cli_runner().invoke(
        cli, ["export", "responses", "bus", "--output", str(output), *options]
    )
    assert result.exit_code == 2, result.output
    assert message in result.output and "Traceback" not in result.output
    assert not output.exists()


def _second_wave(session, labelled) -> None:
    survey = session.get(Survey, labelled.id)
    survey.start_wave(at=datetime(2026, 11, 5, tzinfo=UTC), label="After the pilot")
    session.commit()


def test_a_wave_is_offered_when_the_survey_has_several_and_keeps_its_responses(
    staff, labelled, session
):
    page = staff.get(f"/staff/surveys/{labelled.id}/responses/export").get_data(as_text=True)
    assert "All waves" not in page  # one wave: nothing to choose
    _second_wave(session, labelled)
    page = staff.get(f"/staff/surveys/{labelled.id}/responses/export").get_data(as_text=True)
    assert "All waves" in page and "After the pilot" in page
    first = _rows(_download(staff, labelled, "csv", wave="1"))
    assert [r["obstacle"] for r in first] == ["Late"]
    second = _rows(_download(staff, labelled, "csv", wave="2", channel="web"))
    assert [r["obstacle"] for r in second] == ["متأخر"]
    audit = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "exported").order_by(AuditEvent.id)
    ).all()[-1]
    assert audit.detail == {"format": "csv", "channel": "web", "wave": "2"}
    assert _download(staff, labelled, "csv", wave="3").status_code == 400


def test_the_command_exports_one_wave(app, labelled, session, tmp_path):
    _second_wave(session, labelled)
    output = tmp_path / "wave2.csv"
    result = app.test_cli_runner().invoke(
        cli, ["export", "responses", "bus", "--wave", "2", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(output.read_text(encoding="utf-8-sig"))))
    assert [r["obstacle"] for r in rows] == ["Tarde", "متأخر"]
