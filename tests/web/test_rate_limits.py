"""Rate limits that fit the field: per address *and* survey, interviewers per account,
every limit from the environment (small limits here, so that a test stays fast)."""

from __future__ import annotations

import pytest

from engage.extensions import limiter
from tests.factories import PASSWORD, full_definition, make_survey, make_user
from tests.support.databases import make_migrated_app

VALID = {
    "agree": True,
    "lives_here": "no",
    "obstacle": "Buses are late",
    "bus_importance": 8,
    "topics": ["bus"],
    "grid": {"day": "a"},
}
SMALL = {"RATELIMIT_SURVEY": "3 per minute", "RATELIMIT_INTERVIEWER": "5 per minute"}


@pytest.fixture
def small_limits(app, monkeypatch):
    for name, value in SMALL.items():
        monkeypatch.setitem(app.config, name, value)


def answer(client, slug: str, address: str = "192.0.2.10"):
    return client.post(
        f"/api/v1/surveys/{slug}/responses",
        json={"answers": VALID},
        environ_base={"REMOTE_ADDR": address},
    )


def test_a_survey_exhausted_from_one_address_does_not_block_another_survey(
    session, client, small_limits
):
    make_survey(session, definition=full_definition("market"))
    make_survey(session, definition=full_definition("library"))
    for _ in range(3):
        assert answer(client, "market").status_code == 201
    refused = answer(client, "market")
    assert refused.status_code == 429
    assert refused.headers["Retry-After"]
    assert answer(client, "library").status_code == 201
    assert answer(client, "market", address="198.51.100.7").status_code == 201


def test_survey_pages_and_the_api_share_the_surveys_bucket(session, pages, small_limits):
    make_survey(session, definition=full_definition("market"))
    for _ in range(3):
        assert answer(pages.client, "market").status_code == 201
    elsewhere = pages.submit(
        "/s/market/start", {}, form_page="/s/market", environ_base={"REMOTE_ADDR": "192.0.2.99"}
    )
    assert elsewhere.status_code == 302
    started = pages.submit(
        "/s/market/start", {}, form_page="/s/market", environ_base={"REMOTE_ADDR": "192.0.2.10"}
    )
    assert started.status_code == 429


def test_a_signed_in_interviewer_is_not_throttled_with_anonymous_visitors(
    session, pages, small_limits
):
    make_survey(session, definition=full_definition("market"))
    interviewer = make_user(session, role="interviewer")
    assert pages.login(interviewer.email, PASSWORD).status_code == 302
    anonymous = pages.client.application.test_client()
    for _ in range(3):
        assert answer(anonymous, "market", address="127.0.0.1").status_code == 201
    assert answer(anonymous, "market", address="127.0.0.1").status_code == 429
    # Same address, same survey: the interviewer counts on their own account's limit.
    statuses = [answer(pages.client, "market", address="127.0.0.1").status_code for _ in range(6)]
    assert statuses == [201] * 5 + [429]


def test_a_member_without_the_permission_is_limited_as_a_visitor(session, pages, small_limits):
    make_survey(session, definition=full_definition("market"))
    member = make_user(session, role="member")
    assert pages.login(member.email, PASSWORD).status_code == 302
    statuses = [answer(pages.client, "market").status_code for _ in range(4)]
    assert statuses == [201, 201, 201, 429]


def test_the_survey_limit_comes_from_the_environment(database_factory):
    app = make_migrated_app(
        database_factory.create("sqlite"),
        RATELIMIT_SURVEY="2 per minute",
        RATELIMIT_STORAGE_URI="memory://",
    )
    with app.app_context():
        from engage.extensions import db

        make_survey(db.session, definition=full_definition("market"))
        db.session.commit()
        limiter.reset()
    client = app.test_client()
    statuses = [answer(client, "market").status_code for _ in range(3)]
    assert statuses == [201, 201, 429]


def test_resume_code_guesses_are_limited_by_their_own_setting(session, pages, app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_RESUME", "2 per minute")
    make_survey(session, definition=full_definition("market"))
    statuses = [
        pages.submit("/s/market/resume", {"code": "AAAA-BBBB"}).status_code for _ in range(3)
    ]
    assert statuses == [400, 400, 429]
