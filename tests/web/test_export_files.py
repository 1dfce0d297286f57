"""Large exports: read in batches and streamed as they are read; more responses than a
request can stream in time are written in the background into a file that only the staff
member who asked can download, until it expires."""

from __future__ import annotations

import csv
import gc
import io
import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from engage.cli import cli
from engage.exports import services as export_services
from engage.exports import writers
from engage.exports.services import ExportedResponse
from engage.exports.writers import stream_export
from engage.models import AuditEvent, ExportFile, ExportStatus, Response, Survey
from engage.orm import utcnow
from engage.responses.services import submit_response
from tests.factories import PASSWORD, make_survey, make_user
from tests.support.client import PageClient


def _survey_with(session, count: int, slug: str = "buses") -> int:
    survey = make_survey(session, slug=slug)
    for number in range(count):
        submit_response(
            session,
            version=survey.versions[0],
            answers={"obstacle": f"Bus {number} is late", "bus_importance": number % 11},
            language="en",
        )
    session.commit()
    return survey.id


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_an_export_is_read_in_batches_and_written_before_the_last_batch_is_read(
    session, monkeypatch
):
    survey_id = _survey_with(session, 10)
    monkeypatch.setattr(export_services, "BATCH_SIZE", 3)
    monkeypatch.setattr(writers, "CHUNK_ROWS", 2)
    session.expunge_all()
    survey = session.get(Survey, survey_id)
    events: list[tuple[str, int]] = []
    held: list[int] = []

    def progress(read: int) -> None:
        events.append(("read", read))
        gc.collect()
        # type(), not isinstance(): some modules warn when asked for their __class__
        held.append(sum(type(o) is ExportedResponse for o in gc.get_objects()))

    chunks = []
    for chunk in stream_export(session, survey, "csv", progress=progress):
        chunks.append(chunk)
        events.append(("written", b"".join(chunks).count(b"\r\n") - 1))

    assert [n for kind, n in events if kind == "read"] == [3, 6, 9, 10]  # four batches
    first_written = next(i for i, (kind, n) in enumerate(events) if kind == "written" and n > 0)
    assert first_written < events.index(("read", 10))  # rows left before all were read
    assert 0 < max(held) <= 3 + 1  # a batch, and the row being written: never all 10
    assert len(_rows(b"".join(chunks))) == 10


@pytest.fixture
def big_exports(app, monkeypatch, tmp_path):
    """Any export of more than 2 responses is built in the background, into tmp_path."""
    monkeypatch.setitem(app.config, "EXPORT_STREAM_LIMIT", 2)
    monkeypatch.setitem(app.config, "EXPORT_FOLDER", str(tmp_path))
    return tmp_path


def _ask(staff, survey_id: int, **options):
    return staff.submit(
        f"/staff/surveys/{survey_id}/responses/export", {"format": "csv", **options}
    )


def test_a_small_export_still_downloads_at_once(staff, session, big_exports):
    survey_id = _survey_with(session, 2)
    response = _ask(staff, survey_id)
    assert response.status_code == 200
    assert len(_rows(response.get_data())) == 2
    assert session.scalar(sa.select(sa.func.count(ExportFile.id))) == 0


def test_a_large_export_is_built_in_the_background_and_downloaded_by_who_asked(
    staff, session, big_exports, app
):
    survey_id = _survey_with(session, 5)
    response = _ask(staff, survey_id)
    assert response.status_code == 303
    page_url = response.headers["Location"]
    assert re.fullmatch(r"/staff/exports/\d+", page_url)

    page = staff.get(page_url).get_data(as_text=True)  # no Redis: the job ran at once
    assert "Ready." in page and 'http-equiv="refresh"' not in page
    download = staff.get(f"{page_url}/download")
    assert download.status_code == 200
    assert "buses-responses.csv" in download.headers["Content-Disposition"]
    rows = _rows(download.get_data())
    download.close()
    assert [r["obstacle"] for r in rows] == [f"Bus {n} is late" for n in range(5)]
    assert list(big_exports.iterdir()) and not list(big_exports.glob("*.part"))

    audit = session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "exported"))
    assert audit.detail == {"format": "csv", "background": True}
    export = session.scalar(sa.select(ExportFile))
    assert (export.status, export.total, export.written) == ("done", 5, 5)

    # Another staff member sees neither the page nor the file.
    other = make_user(session, role="staff", email="other@example.org")
    session.commit()
    colleague = PageClient(app.test_client())
    assert colleague.login(other.email, PASSWORD).status_code == 302
    assert colleague.get(page_url).status_code == 404
    assert colleague.get(f"{page_url}/download").status_code == 404


def test_an_export_in_progress_shows_how_far_it_is_and_refreshes_itself_when_asked(
    staff, session, big_exports
):
    survey_id = _survey_with(session, 1)
    me = _signed_in_user(session)
    export = ExportFile(
        survey_id=survey_id, created_by_id=me, status="queued", total=4,
        download_name="buses-responses.xlsx",
    )  # fmt: skip
    session.add(export)
    session.flush()
    export.start(4)
    export.advance(2)
    session.commit()
    page = staff.get(f"/staff/exports/{export.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "2 of 4 responses written" in text and 'http-equiv="refresh"' not in text
    followed = staff.get(f"/staff/exports/{export.id}?follow=1").get_data(as_text=True)
    assert 'http-equiv="refresh"' in followed and "Stop refreshing" in followed
    assert staff.get(f"/staff/exports/{export.id}/download").status_code == 303


def _signed_in_user(session) -> int:
    from engage.models import User

    return session.scalar(sa.select(User.id).where(User.role == "staff").order_by(User.id))


def test_an_expired_export_is_gone_and_purged(staff, session, big_exports, app):
    survey_id = _survey_with(session, 3)
    page_url = _ask(staff, survey_id, format="xlsx", codebook="y").headers["Location"]
    export = session.scalar(sa.select(ExportFile))
    assert export.download_name == "buses-responses.xlsx"
    assert (big_exports / export.stored_name).is_file()
    export.expires_at = utcnow() - timedelta(minutes=1)
    session.commit()
    assert "has expired" in staff.get(page_url).get_data(as_text=True)
    assert staff.get(f"{page_url}/download").status_code == 303

    stuck = ExportFile(  # asked for two days ago; no worker ever took it
        survey_id=survey_id, download_name="x.csv", created_at=utcnow() - timedelta(days=2)
    )
    session.add(stuck)
    session.commit()
    result = app.test_cli_runner().invoke(cli, ["purge"])
    assert result.exit_code == 0, result.output
    assert "2 expired export file(s) deleted." in result.output
    assert not list(big_exports.iterdir())
    assert session.scalar(sa.select(sa.func.count(ExportFile.id))) == 0
    assert staff.get(page_url).status_code == 404


def test_what_a_stopped_export_job_left_half_written_is_purged(session, big_exports, app):
    """A worker killed midway (a timeout, a restart) leaves its ``.part`` file and a
    running record: both go once no worker can be building it any more."""
    survey_id = _survey_with(session, 3)
    killed = ExportFile(
        survey_id=survey_id,
        download_name="x.csv",
        created_at=utcnow() - timedelta(days=2),
        status=ExportStatus.QUEUED,
    )
    killed.start(3, "halfway.csv")
    session.add(killed)
    session.commit()
    (big_exports / "halfway.csv.part").write_bytes(b"id,area\r\n1,north\r\n")
    result = app.test_cli_runner().invoke(cli, ["purge"])
    assert result.exit_code == 0, result.output
    assert not list(big_exports.iterdir())
    assert session.scalar(sa.select(sa.func.count(ExportFile.id))) == 0


def test_the_command_line_export_still_writes_every_response(session, app, tmp_path):
    _survey_with(session, 7, slug="cli-buses")
    output = tmp_path / "out.csv"
    result = app.test_cli_runner().invoke(
        cli, ["export", "responses", "cli-buses", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert len(_rows(output.read_bytes())) == 7


def test_an_export_says_who_entered_each_response_where_and_from_which_form_and_imports_back(
    staff, session
):
    from engage.imports.services import import_responses

    survey = make_survey(session, slug="paper-buses")
    amina = make_user(session, role="interviewer", name="Amina Diallo")
    response = submit_response(
        session,
        version=survey.versions[0],
        answers={"obstacle": "Late again"},
        language="en",
        channel="paper",
        entered_by=amina,
    ).response
    response.place, response.form_number = "Northgate library", "P-0042"
    session.commit()
    exported = _ask(staff, survey.id)
    rows = _rows(exported.get_data())
    assert [(r["interviewer"], r["place"], r["form_number"]) for r in rows] == [
        ("Amina Diallo", "Northgate library", "P-0042")
    ]
    book = _ask(staff, survey.id, codebook="y")
    import zipfile

    with zipfile.ZipFile(io.BytesIO(book.get_data())) as archive:
        codebook = archive.read("codebook.csv").decode("utf-8-sig")
    for column in ("interviewer", "place", "form_number"):
        assert f"\r\n{column},,meta," in codebook

    assert import_responses(session, survey, exported.get_data(), "export.csv") == 1
    again = session.scalar(
        sa.select(Response).where(Response.id != response.id, Response.form_number == "P-0042")
    )
    assert (again.place, again.channel) == ("Northgate library", "paper")
