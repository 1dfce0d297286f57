"""Drop-off by page: where residents stopped without sending, each page named by its
title in the reader's language (else the survey's), or "Page N" when it has none."""

from __future__ import annotations

import re

import pytest

from engage.models import ResponseDraft
from engage.orm import utcnow
from engage.responses.services import submit_response
from tests.factories import full_definition, make_campaign, make_survey
from tests.web.test_dashboard import _text


@pytest.fixture
def campaign_id(session):
    campaign = make_campaign(session)
    survey = make_survey(session, campaign=campaign, definition=full_definition("stops"))
    version = survey.versions[0]
    answers = {"agree": True, "lives_here": "no", "obstacle": "Buses", "bus_importance": 8}
    submit_response(session, version=version, answers=answers, language="en")
    # Two stopped on the first page, one on the third (no title), one on a page that
    # an earlier version had; one was sent (a draft with its response is not a stop).
    for number, page in enumerate(["start", "start", "opinions", "gone"]):
        session.add(
            ResponseDraft(
                survey_version_id=version.id,
                token_hash=f"{number}" * 64,
                resume_code_hash=f"r{number}".ljust(64, "x"),
                language="en",
                page_key=page,
                idempotency_key=f"draft-{number}",
                expires_at=utcnow(),
            )
        )
    session.commit()
    return campaign.id


def _stops(page: str) -> str:
    return page[page.index("Where residents stopped without sending") :]


def test_each_page_is_named_by_its_title_in_the_readers_language(staff, campaign_id):
    page = _text(staff.get(f"/staff/campaigns/{campaign_id}/dashboard"))
    assert "5 started, 1 sent." in page
    stops = _stops(page)
    assert re.search(r"First things 2 Living here 0 Page 3 1 Page 4 0 gone 1 ", stops)
    spanish = _text(staff.get(f"/staff/campaigns/{campaign_id}/dashboard?lang=es"))
    assert "Primero 2" in spanish and "Vivir aquí 0" in spanish


def test_a_language_the_survey_lacks_falls_back_to_the_surveys(staff, campaign_id):
    page = _text(staff.get(f"/staff/campaigns/{campaign_id}/dashboard?lang=ar"))
    assert "First things" in page and "Living here" in page
