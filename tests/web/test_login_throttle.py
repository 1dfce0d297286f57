"""Sign-in throttling per account and per address, shared through Redis, behind proxies."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from engage.accounts.throttle import BASE_WAIT, MAX_WAIT, backoff_seconds
from engage.extensions import db
from engage.models import AuditAction, AuditEvent
from tests.factories import PASSWORD, make_user
from tests.support.client import PageClient
from tests.support.databases import make_app
from tests.support.redis import require_redis


@pytest.fixture
def own_apps(tmp_path):
    """For tests that make their own apps with ``REDIS_URL``.

    Flask-Limiter keeps one storage per process, set by the app made last: afterwards an
    app without Redis is made, so later tests do not count in (or reach for) that Redis.
    """
    yield
    make_app(f"sqlite:///{tmp_path / 'after.sqlite'}")


def own_app(tmp_path, name: str, **config):
    """An app of this test's own on a new SQLite file (tables made directly: quicker)."""
    app = make_app(f"sqlite:///{tmp_path / name}", **config)
    with app.app_context():
        db.create_all()
    return app


def _attempt(pages: PageClient, email: str, password: str, address: str, **kwargs):
    return pages.submit(
        "/auth/login",
        {"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
        **kwargs,
    )


def test_wrong_passwords_from_many_addresses_lock_the_account(session, pages, app):
    make_user(session, email="ana@example.org")
    limit = int(app.config["LOGIN_ACCOUNT_LIMIT"].split()[0])
    statuses = [
        _attempt(pages, "ana@example.org", f"guess {n}", f"198.51.100.{n}").status_code
        for n in range(30)
    ]
    assert statuses == [401] * limit + [429] * (30 - limit)
    # Locked: even the right password is not looked at, and the answer says when to retry.
    response = _attempt(pages, "ANA@example.org", PASSWORD, "198.51.100.200")
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= BASE_WAIT
    assert "Please try again in 1 minute." in response.get_data(as_text=True)
    # Only the checked attempts are in the audit log.
    failed = session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == AuditAction.SIGN_IN_FAILED)
    )
    assert failed == limit
    # Another account from the same addresses is not affected.
    make_user(session, email="bo@example.org")
    assert _attempt(pages, "bo@example.org", PASSWORD, "198.51.100.1").status_code == 302


def test_each_new_lock_of_an_account_waits_twice_as_long(own_apps, tmp_path):
    redis_url = require_redis()
    from redis import Redis

    redis = Redis.from_url(redis_url)
    redis.flushdb()
    app = own_app(
        tmp_path,
        "backoff.sqlite",
        REDIS_URL=redis_url,
        LOGIN_ACCOUNT_LIMIT="2/hour",
    )
    pages = PageClient(app.test_client())
    waits = []
    for round_ in range(3):
        for n in range(2 if round_ == 0 else 1):
            assert (
                _attempt(pages, "ana@example.org", "wrong", f"192.0.2.{round_}{n}").status_code
                == 401
            )
        response = _attempt(pages, "ana@example.org", "wrong", "192.0.2.99")
        assert response.status_code == 429
        waits.append(int(response.headers["Retry-After"]))
        for key in redis.scan_iter("*engage-login/lock/*"):  # as though the wait were over
            redis.delete(key)
    assert waits[0] <= BASE_WAIT < waits[1] <= 2 * BASE_WAIT < waits[2] <= 4 * BASE_WAIT
    redis.flushdb()


def test_the_wait_doubles_up_to_an_hour():
    assert [backoff_seconds(n) for n in (1, 2, 3)] == [BASE_WAIT, 2 * BASE_WAIT, 4 * BASE_WAIT]
    assert backoff_seconds(50) == MAX_WAIT == 3600


def test_a_successful_sign_in_clears_the_account_count(session, pages, app):
    make_user(session, email="ana@example.org")
    limit = int(app.config["LOGIN_ACCOUNT_LIMIT"].split()[0])
    for n in range(limit - 1):
        assert _attempt(pages, "ana@example.org", "wrong", f"192.0.2.{n}").status_code == 401
    assert _attempt(pages, "ana@example.org", PASSWORD, "192.0.2.50").status_code == 302
    pages = PageClient(app.test_client())
    for n in range(limit - 1):
        assert _attempt(pages, "ana@example.org", "wrong", f"192.0.2.{n}").status_code == 401


def test_the_count_is_shared_between_processes_through_redis(own_apps, tmp_path):
    """Two applications (as two gunicorn workers) on one Redis count failures together."""
    redis_url = require_redis()
    from redis import Redis

    Redis.from_url(redis_url).flushdb()
    first, second = (own_app(tmp_path, "shared.sqlite", REDIS_URL=redis_url) for _ in range(2))
    limit = int(first.config["LOGIN_ACCOUNT_LIMIT"].split()[0])
    one, other = PageClient(first.test_client()), PageClient(second.test_client())
    for n in range(limit):
        assert _attempt(one, "ana@example.org", "wrong", f"198.51.100.{n}").status_code == 401
    response = _attempt(other, "ana@example.org", "wrong", "198.51.100.99")
    assert response.status_code == 429
    assert int(response.headers["Retry-After"]) > 0
    Redis.from_url(redis_url).flushdb()


def _address_limited_app(tmp_path, **config):
    app = own_app(tmp_path, "proxy.sqlite", RATELIMIT_LOGIN="2 per minute", **config)
    return PageClient(app.test_client())


def _behind_proxy(pages: PageClient, email: str, forwarded_for: str) -> int:
    return _attempt(
        pages, email, "wrong", "10.0.0.2", headers={"X-Forwarded-For": forwarded_for}
    ).status_code


def test_a_trusted_proxy_passes_on_the_client_address(tmp_path):
    pages = _address_limited_app(tmp_path, TRUSTED_PROXY_COUNT="1")
    assert _behind_proxy(pages, "a@example.org", "198.51.100.1") == 401
    assert _behind_proxy(pages, "b@example.org", "198.51.100.1") == 401
    assert _behind_proxy(pages, "c@example.org", "198.51.100.1") == 429
    # Another client behind the same proxy has its own count.
    assert _behind_proxy(pages, "d@example.org", "198.51.100.2") == 401
    app = pages.client.application
    with app.app_context():
        from engage.extensions import db

        addresses = db.session.scalars(sa.select(AuditEvent.remote_address)).all()
    assert set(addresses) == {"198.51.100.1", "198.51.100.2"}


def test_without_a_trusted_proxy_a_forged_header_is_ignored(tmp_path):
    pages = _address_limited_app(tmp_path)
    assert _behind_proxy(pages, "a@example.org", "198.51.100.1") == 401
    assert _behind_proxy(pages, "b@example.org", "198.51.100.2") == 401
    assert _behind_proxy(pages, "c@example.org", "198.51.100.3") == 429


def test_without_redis_the_count_goes_on_in_memory(own_apps, tmp_path):
    app = own_app(tmp_path, "down.sqlite", REDIS_URL="redis://127.0.0.1:1/0")
    pages = PageClient(app.test_client())
    limit = int(app.config["LOGIN_ACCOUNT_LIMIT"].split()[0])
    statuses = [
        _attempt(pages, "ana@example.org", "wrong", f"198.51.100.{n}").status_code
        for n in range(limit + 1)
    ]
    assert statuses == [401] * limit + [429]
