"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is the server at ``ENGAGE_TEST_POSTGRES`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``); each run creates throwaway
databases and drops them afterwards. Without a server, PostgreSQL tests skip, unless
``ENGAGE_REQUIRE_POSTGRES=1`` (as in CI), which makes that a failure.

Each test runs inside a transaction that is rolled back, so tests do not see each other.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from engage.extensions import limiter
from tests.support import databases
from tests.support.client import PageClient

BACKENDS = ("sqlite", "postgresql")


def pytest_configure(config: pytest.Config) -> None:
    os.environ.setdefault("ENGAGE_ENV", "testing")


@pytest.fixture(scope="session")
def database_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[databases.Factory]:
    factory = databases.Factory(tmp_path_factory.mktemp("databases"))
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def migrated_apps(database_factory: databases.Factory) -> dict[str, Flask]:
    """One application per backend, its database migrated to the newest revision."""
    return {}


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def app(
    backend: str, database_factory: databases.Factory, migrated_apps: dict[str, Flask]
) -> Iterator[Flask]:
    """The application on ``backend``, inside a transaction rolled back after the test."""
    if backend not in migrated_apps:
        url = database_factory.create(backend)
        migrated_apps[backend] = databases.make_migrated_app(url)
    application = migrated_apps[backend]
    with application.app_context():
        limiter.reset()
    application.extensions["engage_login_throttle"].reset()
    with databases.rolled_back(application) as test_session:
        application.extensions["engage_test_session"] = test_session
        yield application
    del application.extensions["engage_test_session"]


@pytest.fixture
def session(app: Flask) -> Session:
    """A session on the test's transaction, for making and checking data.

    Requests use their own ``db.session`` on the same connection: commit here before a
    request should see your data, and ``session.refresh(obj)`` to see a request's changes.
    """
    return app.extensions["engage_test_session"]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def pages(client: FlaskClient) -> PageClient:
    """A client that fills forms as a browser would, CSRF token included."""
    return PageClient(client)


@pytest.fixture
def staff(pages: PageClient, session: Session) -> PageClient:
    """A client signed in as a staff member (campaigns and surveys)."""
    from tests.factories import PASSWORD, make_user

    user = make_user(session, role="staff")
    assert pages.login(user.email, PASSWORD).status_code == 302
    return pages
