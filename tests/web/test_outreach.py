"""Tracked links: made per outreach source, counted, drawn as QR codes and flyers."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from engage.models import Response, TrackedLink
from tests.factories import make_survey
from tests.web.test_survey_pages import Resident


@pytest.fixture
def survey(session):
    survey = make_survey(session, slug="parks")
    return SimpleNamespace(id=survey.id, slug=survey.slug)


def _add(staff, survey, label, tag=""):
    url = f"/staff/surveys/{survey.id}/links"
    return staff.submit(url, {"label": label, "tag": tag})


def test_a_link_made_from_a_label_tags_the_responses_that_come_through_it(
    staff, client, survey, session
):
    assert _add(staff, survey, "École Jules-Ferry newsletter").status_code == 303
    link = session.scalar(sa.select(TrackedLink))
    assert link.tag == "ecole-jules-ferry-newsletter"
    page = staff.get(f"/staff/surveys/{survey.id}/links").get_data(as_text=True)
    assert f"/s/parks?source={link.tag}" in page

    # A resident opens the link on a phone and answers both pages.
    resident = Resident(client.application.test_client(), "parks")
    resident.open(f"/s/parks?source={link.tag}")
    resident.post({"source": link.tag}, "/s/parks/start")
    assert resident.post({"obstacle": "No shade", "bus_importance": "6"}).status_code == 302
    assert resident.post({"area": "north"}).status_code == 302
    session.expire_all()
    assert session.scalar(sa.select(Response.source_tag)) == link.tag
    rows = staff.get(f"/staff/surveys/{survey.id}/links").get_data(as_text=True)
    assert re.search(r'<td class="numeric">1</td>', rows)


def test_tags_are_unique_per_survey_and_checked(staff, survey, session):
    _add(staff, survey, "Clinic", "clinic")
    again = _add(staff, survey, "Clinic waiting room", "clinic")
    assert again.status_code == 400
    assert "already has a link with this tag" in again.get_data(as_text=True)
    bad = _add(staff, survey, "Bus stop", "Bus Stop!")
    assert bad.status_code == 400
    assert "lower-case letters, digits and dashes" in bad.get_data(as_text=True)
    arabic = _add(staff, survey, "نشرة المدرسة")
    assert arabic.status_code == 303
    tags = set(session.scalars(sa.select(TrackedLink.tag)))
    assert tags == {"clinic", "link-2"}


def test_qr_codes_come_as_svg_and_png_and_the_flyer_speaks_the_survey_language(
    staff, survey, session
):
    _add(staff, survey, "Flyer", "flyer")
    link_id = session.scalar(sa.select(TrackedLink.id))
    base = f"/staff/surveys/{survey.id}/links/{link_id}"
    svg = staff.get(f"{base}/qr.svg")
    assert svg.mimetype == "image/svg+xml" and b"<svg" in svg.get_data()
    png = staff.get(f"{base}/qr.png")
    data = png.get_data()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(data[16:20], "big")  # the IHDR chunk: large enough to print
    assert width >= 200
    flyer = staff.get(f"{base}/flyer/es").get_data(as_text=True)
    assert '<html lang="es"' in flyer and "Encuesta pequeña" in flyer
    assert "Dé su opinión" in flyer
    assert staff.get(f"{base}/flyer/xx").status_code == 404
    assert staff.get(f"{base}/qr.gif").status_code == 404


def test_removing_a_link_keeps_the_source_on_responses(staff, survey, session):
    _add(staff, survey, "Flyer", "flyer")
    link_id = session.scalar(sa.select(TrackedLink.id))
    url = f"/staff/surveys/{survey.id}/links"
    assert staff.submit(f"{url}/{link_id}/delete", {}, form_page=url).status_code == 303
    assert session.scalar(sa.select(sa.func.count(TrackedLink.id))) == 0
