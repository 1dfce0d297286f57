"""The themes page shows a job card in one voice: the sentence, or the parts quoted, and the
main obstacles with how many respondents raised each."""

from __future__ import annotations

import html

from engage.models import AnalysisRun, Theme
from tests.factories import PASSWORD, make_campaign, make_member

CARD = {
    "statement": None,
    "language": "en",
    "respondent": 4,
    "situation": {"text": "I work nights", "row": 4},
    "motivation": {"text": "To be honest, I just want a bus", "row": 4},
    "outcome": None,
    "obstacle": {"text": "no night bus", "row": 4},
    "obstacles": [
        {"text": "the last bus leaves at 11", "row": 2, "count": 3},
        {"text": "no lights at the stop", "row": 7, "count": 1},
    ],
    "sources": [2, 4, 7],
    "n_respondents": 6,
}
SENTENCE = {**CARD, "statement": "When I work nights, I want to get home safely.", "obstacles": []}


def test_members_read_the_parts_of_one_respondent_and_the_main_obstacles(session, pages):
    campaign = make_campaign(session)
    run = AnalysisRun(campaign=campaign, status="done")
    session.add(run)
    session.flush()
    session.add_all(
        [
            Theme(run=run, key=0, language="en", label="night bus", size=6, job=CARD),
            Theme(run=run, key=1, language="en", label="safe journey", size=4, job=SENTENCE),
        ]
    )
    make_member(session, campaign, email="m@example.org")
    session.commit()
    pages.login("m@example.org", PASSWORD)
    page = html.unescape(pages.get(f"/staff/campaigns/{campaign.id}/themes").get_data(as_text=True))
    card = page.split("night bus", 1)[1].split("</section>", 1)[0]
    assert "Job: situation (when…) <q" in card and "I work nights</q>" in card
    assert "To be honest, I just want a bus</q>" in card
    assert "Job: outcome" not in card  # the respondent did not answer it
    assert "When I work nights" not in card  # no sentence pasted from the parts
    assert "Main obstacles:" in card
    assert 'at 11</q> <span class="theme-size">(raised by 3 respondents)' in card
    assert "(raised by 1 respondent)" in card
    other = page.split("safe journey", 1)[1].split("</section>", 1)[0]
    assert "When I work nights, I want to get home safely." in other
    assert "Main obstacles:" not in other
