"""Importing responses on the staff pages and with ``engage import responses``."""

from __future__ import annotations

import io
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from engage.cli import cli
from engage.models import AuditEvent, FeedbackItem, Response
from tests.factories import make_survey

HEADER = "obstacle,bus_importance,area,language,source,submitted_at\n"
ROWS = (
    "The 12 bus never comes,8,north,en,clinic flyer,2026-11-02\n"
    "El autobús llega tarde,5,south,es,,2026-11-03T10:15\n"
)


@pytest.fixture
def survey(session):
    survey = make_survey(session, slug="paper")
    return SimpleNamespace(id=survey.id, slug=survey.slug)


def _upload(staff, survey, text: str, name: str = "forms.csv", channel: str = "paper"):
    url = f"/staff/surveys/{survey.id}/responses/import"
    data = {"file": (io.BytesIO(text.encode()), name), "channel": channel}
    return staff.submit(url, data, content_type="multipart/form-data")


def _stored(session):
    session.expire_all()
    return session.scalars(sa.select(Response).order_by(Response.id)).all()


def test_a_file_of_paper_forms_is_stored_with_its_channel_and_feedback(staff, survey, session):
    response = _upload(staff, survey, HEADER + ROWS)
    assert response.status_code == 302
    assert "2 responses imported." in staff.get(response.headers["Location"]).get_data(as_text=True)
    first, second = _stored(session)
    assert (first.channel, first.language, first.source_tag, first.area) == (
        "paper",
        "en",
        "clinic flyer",
        "north",
    )
    assert first.submitted_at.date().isoformat() == "2026-11-02"
    assert {a.question_code: a.value for a in second.answers}["bus_importance"] == 5
    texts = set(session.scalars(sa.select(FeedbackItem.text)))
    assert texts == {"The 12 bus never comes", "El autobús llega tarde"}
    audit = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "responses_imported"))
    assert audit.detail["responses"] == 2


def test_one_bad_row_imports_nothing_and_lists_every_problem(staff, survey, session):
    bad = HEADER + ROWS + ",11,west,en,,31/12/2026\n"
    response = _upload(staff, survey, bad)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Nothing was imported" in page
    assert "Answer this question." in page  # row 4, obstacle
    assert "Enter 10 or less." in page  # row 4, bus_importance
    assert "Write the date as 2026-03-31" in page
    assert _stored(session) == []


def test_problems_are_shown_in_the_staff_members_language(staff, survey, session):
    staff.client.set_cookie("lang", "es")
    response = _upload(staff, survey, "colour\nred\n")
    assert response.status_code == 400
    assert "No se importó nada" in response.get_data(as_text=True)


def test_a_file_of_the_wrong_kind_is_refused_with_the_reason(staff, survey, session):
    response = _upload(staff, survey, "not a spreadsheet", name="forms.pdf")
    assert response.status_code == 400
    assert "Choose a .csv or .xlsx file." in response.get_data(as_text=True)
    assert _stored(session) == []


def test_the_command_imports_all_or_nothing(app, survey, session, tmp_path):
    runner = app.test_cli_runner()
    good = tmp_path / "good.csv"
    good.write_text(HEADER + ROWS, encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + ROWS + "x,99,north,en,,\n", encoding="utf-8")

    refused = runner.invoke(cli, ["import", "responses", "paper", str(bad)])
    assert refused.exit_code == 1
    assert "Row 4, column bus_importance: Enter 10 or less." in refused.output
    assert "Nothing was imported." in refused.output
    assert _stored(session) == []

    done = runner.invoke(cli, ["import", "responses", "paper", str(good)])
    assert done.exit_code == 0, done.output
    assert [r.channel for r in _stored(session)] == ["import", "import"]


def test_an_export_imports_into_another_survey_unchanged(app, staff, survey, session):
    _upload(staff, survey, HEADER + ROWS)
    exported = staff.submit(
        f"/staff/surveys/{survey.id}/responses/export",
        {"format": "csv"},
        form_page=f"/staff/surveys/{survey.id}",
    ).get_data(as_text=True)
    other = make_survey(session, slug="copy")
    copy = SimpleNamespace(id=other.id, slug="copy")
    assert _upload(staff, copy, exported.lstrip("\ufeff")).status_code == 302
    stored = _stored(session)
    originals = [{a.question_code: a.value for a in r.answers} for r in stored[:2]]
    copies = [{a.question_code: a.value for a in r.answers} for r in stored[2:]]
    assert copies == originals
    assert [r.channel for r in stored[2:]] == ["paper", "paper"]
