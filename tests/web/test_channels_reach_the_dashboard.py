"""Every channel reaches the campaign dashboard: online answers, an interview taken down
by an interviewer, paper forms typed in, a file imported, and a listening session's
notes, each counted under its own channel."""

from __future__ import annotations

import io
import uuid

import sqlalchemy as sa

from engage.dashboard.services import build_dashboard
from engage.models import Campaign, FeedbackItem
from tests.factories import make_survey

WEB = {"obstacle": "The 12 bus never comes", "bus_importance": 8, "area": "north"}
INTERVIEW = {"obstacle": ["El autobús no llega"], "bus_importance": ["9"], "area": ["south"]}
FORMS = "obstacle,bus_importance,area,language,submitted_at\n"


def _import(staff, survey_id: int, rows: str, channel: str):
    data = {"file": (io.BytesIO((FORMS + rows).encode()), "forms.csv"), "channel": channel}
    url = f"/staff/surveys/{survey_id}/responses/import"
    return staff.submit(url, data, content_type="multipart/form-data")


def test_every_channel_is_counted_on_the_dashboard(staff, client, session):
    survey = make_survey(session, slug="channels")
    campaign_id, survey_id = survey.campaign_id, survey.id
    # Online, twice.
    for _ in range(2):
        sent = client.post(
            "/api/v1/surveys/channels/responses",
            json={"answers": WEB},
            headers={"Idempotency-Key": uuid.uuid4().hex},
        )
        assert sent.status_code == 201
    # An interview taken down on a phone and sent by its script.
    token = staff.client.get(f"/staff/interviews/{survey_id}/sync").get_json()["csrf_token"]
    interview = staff.client.post(
        f"/staff/interviews/{survey_id}/sync",
        json={"language": "es", "place": "Library", "fields": INTERVIEW},
        headers={"Idempotency-Key": uuid.uuid4().hex, "X-CSRFToken": token},
    )
    assert interview.status_code == 201
    # Three paper forms typed in, and a file of one response from another tool.
    paper = "Late bus,5,north,en,2026-11-02\nNo shelter,6,south,en,2026-11-03\nDark,4,north,en,\n"
    assert _import(staff, survey_id, paper, "paper").status_code in (302, 303)
    assert _import(staff, survey_id, "Fares,7,south,en,\n", "import").status_code in (302, 303)
    # A listening session with two notes.
    recorded = staff.submit(
        f"/staff/campaigns/{campaign_id}/sessions/new",
        {"held_on": "2026-11-20", "place": "Library", "area": "", "facilitator": "Ana",
         "languages": ["en"], "attendance": "14", "demographics": ""},
    )  # fmt: skip
    assert recorded.status_code == 303
    url = recorded.headers["Location"]
    notes = staff.submit(
        f"{url}/notes", {"language": "en", "text": "More buses.\n\nLights at the stop."},
        form_page=url,
    )  # fmt: skip
    assert notes.status_code == 303

    session.expire_all()
    campaign = session.get(Campaign, campaign_id)
    board = build_dashboard(session, campaign, survey=None, threshold=5)
    counts = {row.key: row.count for row in board.by_channel.rows}
    assert counts == {"web": 2, "interviewer": 1, "paper": 3, "import": 1}
    assert board.responses == 7
    assert board.sessions == (1, 14, 2)
    channels = set(session.scalars(sa.select(FeedbackItem.channel)))
    assert channels == {"web", "interviewer", "paper", "import", "session"}
    page = staff.get(f"/staff/campaigns/{campaign_id}/dashboard")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "By channel" in html
