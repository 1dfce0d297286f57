"""Importing a survey file shows a preview first: what will be imported, what was left out
or changed (sheet, row, column, cause, in the reader's language); nothing is created until
the staff member confirms, and a changed, expired or borrowed confirmation creates nothing.
"""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import sqlalchemy as sa
from itsdangerous import URLSafeTimedSerializer

from engage.builder import survey_import
from engage.cli import cli
from engage.models import Survey
from tests.factories import PASSWORD, make_campaign, make_user
from tests.surveys.test_xlsform import workbook_bytes

SURVEY = [
    ["type", "name", "label::English (en)", "label::Arabic (ar)", "relevant"],
    ["text", "name", "Your name", "اسمك"],
    ["image", "photo", "A photo of the stop", "صورة للمحطة"],
    ["select_one yn", "bus", "Do you ride the bus?", "هل تركب الحافلة؟"],
    ["text", "why", "Why?", "لماذا؟", "string-length(${name}) > 3"],
]
CHOICES = [
    ["list name", "name", "label::English (en)", "label::Arabic (ar)"],
    ["yn", "yes", "Yes", "نعم"],
    ["yn", "no", "No", "لا"],
]
SETTINGS = [["form_title", "form_id"], ["Bus survey", "bus_form"]]
FORM = workbook_bytes(SURVEY, CHOICES, SETTINGS)


def _signed_in(pages, session, email="staff@example.org"):
    make_user(session, email=email, role="staff")
    pages.login(email, PASSWORD)
    return pages


def _upload(pages, campaign, data=FORM, name="bus.xlsx", slug=""):
    return pages.submit(
        f"/staff/campaigns/{campaign.id}/surveys/new",
        {"definition_file": (io.BytesIO(data), name), "slug": slug},
        content_type="multipart/form-data",
    )


def _token(page: str) -> str:
    match = re.search(r'name="token" type="hidden" value="([^"]+)"', page)
    assert match, "the preview has no confirmation token"
    return html.unescape(match[1])


def _confirm(pages, campaign, token):
    return pages.submit(
        f"/staff/campaigns/{campaign.id}/surveys/import",
        {"token": token},
        form_page=f"/staff/campaigns/{campaign.id}/surveys/new",
    )


def _surveys(session) -> int:
    return session.scalar(sa.select(sa.func.count(Survey.id)))


def test_the_upload_shows_a_preview_and_creates_nothing(pages, session):
    signed_in = _signed_in(pages, session)
    campaign = make_campaign(session)
    response = _upload(signed_in, campaign)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Check the import" in page and "/s/bus-form" in page
    assert "Sheet survey, row 3, column type" in page
    assert "Questions that take a photo, a sound, a video or a file (image)" in page
    assert "Sheet survey, row 5, column relevant" in page
    assert "cannot be read at “string-length”" in page
    assert "Left out" in page
    assert "Do you ride the bus?" in page
    assert _surveys(session) == 0


def test_confirming_creates_the_survey_as_previewed(pages, session):
    signed_in = _signed_in(pages, session)
    campaign = make_campaign(session)
    token = _token(_upload(signed_in, campaign, slug="bus-2026").get_data(as_text=True))
    response = _confirm(signed_in, campaign, token)
    assert response.status_code == 302
    survey = session.scalar(sa.select(Survey).where(Survey.slug == "bus-2026"))
    codes = [q["code"] for p in survey.draft_definition["pages"] for q in p["questions"]]
    assert codes == ["name", "bus"]
    assert survey.draft_definition["languages"] == ["en", "ar"]


def test_a_changed_token_creates_nothing(pages, session):
    signed_in = _signed_in(pages, session)
    campaign = make_campaign(session)
    token = _token(_upload(signed_in, campaign).get_data(as_text=True))
    for bad in (token[:-3] + "abc", "", "x" * 50):
        response = _confirm(signed_in, campaign, bad)
        assert response.status_code == 400
        assert "could not be confirmed" in response.get_data(as_text=True)
    assert _surveys(session) == 0


def test_an_expired_token_creates_nothing(app, pages, session, monkeypatch):
    signed_in = _signed_in(pages, session)
    campaign = make_campaign(session)
    token = _token(_upload(signed_in, campaign).get_data(as_text=True))
    monkeypatch.setattr(survey_import, "IMPORT_MAX_AGE", -1)
    response = _confirm(signed_in, campaign, token)
    assert response.status_code == 400
    assert "more than two hours old" in response.get_data(as_text=True)
    assert _surveys(session) == 0


def test_a_token_for_another_campaign_creates_nothing(app, pages, session):
    signed_in = _signed_in(pages, session)
    campaign, other = make_campaign(session), make_campaign(session, slug="other-campaign")
    token = _token(_upload(signed_in, campaign).get_data(as_text=True))
    response = _confirm(signed_in, other, token)
    assert response.status_code == 400
    forged = URLSafeTimedSerializer("not-the-key", salt="engage.survey-import").dumps({})
    assert _confirm(signed_in, campaign, forged).status_code == 400
    assert _surveys(session) == 0


def test_a_taken_address_is_refused_before_the_preview(pages, session):
    signed_in = _signed_in(pages, session)
    campaign = make_campaign(session)
    token = _token(_upload(signed_in, campaign).get_data(as_text=True))
    assert _confirm(signed_in, campaign, token).status_code == 302
    again = _upload(signed_in, campaign)
    assert again.status_code == 400
    assert "Another survey already uses this address." in again.get_data(as_text=True)
    # a preview made before the address was taken is refused at confirmation
    assert _confirm(signed_in, campaign, token).status_code == 400


def test_a_zero_byte_workbook_gets_a_true_message(pages, session):
    signed_in = _signed_in(pages, session)
    campaign = make_campaign(session)
    response = _upload(signed_in, campaign, data=b"", name="form.xlsx")
    assert response.status_code == 400
    assert "The file is empty." in response.get_data(as_text=True)
    markdown = b"| survey |\n| | type | name | label |\n| | text | a | A |\n"
    preview = _upload(signed_in, campaign, data=markdown, name="form.md")
    assert preview.status_code == 200 and "Check the import" in preview.get_data(as_text=True)


# -- the command -------------------------------------------------------------------------


def test_the_command_prints_the_report_and_imports(app, session, tmp_path):
    campaign = make_campaign(session, slug="eastside")
    form = tmp_path / "bus.xlsx"
    form.write_bytes(FORM)
    runner = app.test_cli_runner()
    dry = runner.invoke(cli, ["import", "survey", str(form), "--campaign", "eastside", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Left out: Sheet survey, row 3, column type: Questions that take a photo" in dry.output
    assert "Would import 2 questions on 1 pages at /s/bus-form" in dry.output
    assert _surveys(session) == 0
    done = runner.invoke(cli, ["import", "survey", str(form), "--campaign", "eastside"])
    assert done.exit_code == 0, done.output
    assert "Imported 2 questions on 1 pages as a draft at /s/bus-form." in done.output
    session.expire_all()
    assert _surveys(session) == 1 and campaign.id


def test_the_command_refuses_with_reasons_and_no_traceback(app, session, tmp_path):
    make_campaign(session, slug="eastside")
    runner = app.test_cli_runner()
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    nothing = tmp_path / "nothing.md"
    nothing.write_text("| survey |\n| | type | name | label |\n| | image | g | Photo |\n")
    for args, expected in (
        ([str(empty), "--campaign", "eastside"], "The file is empty."),
        ([str(nothing), "--campaign", "eastside"], "None of the form's questions could be"),
        ([str(empty), "--campaign", "nowhere"], "There is no campaign"),
        ([str(tmp_path / "missing.xlsx"), "--campaign", "eastside"], "cannot be read"),
        ([str(nothing), "--campaign", "eastside", "--slug", "Bad Slug"], "Nothing was imported"),
    ):
        result = runner.invoke(cli, ["import", "survey", *args])
        assert result.exit_code == 1, result.output
        assert expected in result.output
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert _surveys(session) == 0


def test_an_xls_workbook_is_previewed(pages, session):
    signed_in = _signed_in(pages, session)
    campaign = make_campaign(session)
    data = (Path(__file__).parents[1] / "surveys" / "forms" / "bus.xls").read_bytes()
    response = _upload(signed_in, campaign, data=data, name="bus.xls")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "/s/bus-xls" in page
    assert "The calculate row has no calculation, so it is left out." in page
