"""The intake tells a client how much of its survey limit is left (``X-RateLimit-*``), with
the limits counted in memory or in Redis; in Redis, counting a submission and reporting
it take one round trip."""

from __future__ import annotations

import time

import pytest

from engage.extensions import db, limiter
from tests.factories import full_definition, make_survey
from tests.support.databases import make_app
from tests.support.redis import require_redis
from tests.web.test_rate_limits import answer


@pytest.fixture
def own_apps(tmp_path):
    """Flask-Limiter keeps one storage per process, set by the app made last: afterwards
    an app without Redis is made, so later tests do not count in that Redis."""
    yield
    make_app(f"sqlite:///{tmp_path / 'after.sqlite'}")


def _app_with_survey(tmp_path, **config):
    url = f"sqlite:///{tmp_path / 'limits.sqlite'}"
    app = make_app(url, RATELIMIT_SURVEY="3 per minute", **config)
    with app.app_context():
        db.create_all()
        make_survey(db.session, definition=full_definition("market"))
        db.session.commit()
        limiter.reset()
    return app


def _assert_counts_down(client) -> None:
    before = time.time()
    for remaining in (2, 1, 0):
        response = answer(client, "market")
        assert response.status_code == 201
        assert response.headers["X-RateLimit-Limit"] == "3"
        assert response.headers["X-RateLimit-Remaining"] == str(remaining)
        assert before < int(response.headers["X-RateLimit-Reset"]) <= before + 62
        assert 0 <= int(response.headers["Retry-After"]) <= 61
    refused = answer(client, "market")
    assert refused.status_code == 429
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    assert int(refused.headers["Retry-After"]) > 0


def test_the_intake_reports_the_limit_counted_in_memory(own_apps, tmp_path):
    app = _app_with_survey(tmp_path)
    _assert_counts_down(app.test_client())


def test_in_redis_a_submission_is_counted_and_reported_in_one_round_trip(
    own_apps, tmp_path, monkeypatch
):
    redis_url = require_redis()
    from redis import Redis

    Redis.from_url(redis_url).flushdb()
    app = _app_with_survey(tmp_path, REDIS_URL=redis_url)
    connection = limiter.storage.get_connection()
    commands: list[str] = []
    execute = connection.execute_command

    def counted(*args, **options):
        commands.append(str(args[0]))
        return execute(*args, **options)

    monkeypatch.setattr(connection, "execute_command", counted)
    client = app.test_client()
    assert answer(client, "market").status_code == 201
    assert len(commands) == 1, commands  # count and headers together, not EVALSHA, GET, TTL
    commands.clear()
    assert answer(client, "market").headers["X-RateLimit-Remaining"] == "1"
    assert answer(client, "market").headers["X-RateLimit-Remaining"] == "0"
    assert len(commands) == 2
    refused = answer(client, "market")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 0
    Redis.from_url(redis_url).flushdb()


def test_in_redis_the_intake_reports_the_limit(own_apps, tmp_path):
    redis_url = require_redis()
    from redis import Redis

    Redis.from_url(redis_url).flushdb()
    app = _app_with_survey(tmp_path, REDIS_URL=redis_url)
    _assert_counts_down(app.test_client())
    Redis.from_url(redis_url).flushdb()


@pytest.fixture
def no_default_limit_afterwards():
    """The limiter is one per process and keeps a default limit once an app set one."""
    yield
    limiter.limit_manager.set_default_limits([])


def test_a_default_limit_when_configured_still_counts_every_request(
    own_apps, no_default_limit_afterwards, tmp_path
):
    """Flask-Limiter's check before each request is dropped only when there is nothing for
    it to check: a default limit (``RATELIMIT_DEFAULT``) keeps it."""
    app = _app_with_survey(tmp_path, RATELIMIT_DEFAULT="2 per minute")
    client = app.test_client()
    statuses = [client.get("/api/v1/surveys/market").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
