"""Downloading a survey's responses as CSV, Excel and JSON, from the builder and the CLI."""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace

import openpyxl
import pytest
import sqlalchemy as sa

from engage.cli import cli
from engage.models import AuditEvent
from engage.responses.services import submit_response
from tests.factories import make_survey

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


def _download(staff, survey, fmt):
    return staff.submit(
        f"/staff/surveys/{survey.id}/responses/export",
        {"format": fmt},
        form_page=f"/staff/surveys/{survey.id}",
    )


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


def test_an_unknown_format_goes_back_to_the_builder_with_a_message(staff, survey):
    response = _download(staff, survey, "pdf")
    assert response.status_code == 303
    page = staff.get(response.headers["Location"]).get_data(as_text=True)
    assert "Choose a file format and try again." in page


def test_the_builder_offers_the_download_with_the_count(staff, survey):
    page = staff.get(f"/staff/surveys/{survey.id}").get_data(as_text=True)
    assert "2 responses so far" in page and "Download the responses" in page


def test_the_command_writes_the_file_and_refuses_an_unknown_survey(app, survey, tmp_path):
    runner = app.test_cli_runner()
    output = tmp_path / "out.csv"
    result = runner.invoke(cli, ["export", "responses", "parks", "--output", str(output)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(output.read_text("utf-8-sig"))))
    assert len(rows) == 2
    missing = runner.invoke(cli, ["export", "responses", "nope", "--output", str(output)])
    assert missing.exit_code == 1 and "no survey" in missing.output
