"""Throwaway databases for the test run, migrated apps, and rolled-back transactions."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy.orm import Session

from engage import create_app
from engage.extensions import db

POSTGRES_ADMIN_URL = os.environ.get(
    "ENGAGE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def postgres_required() -> bool:
    return os.environ.get("ENGAGE_REQUIRE_POSTGRES", "") not in ("", "0", "false")


def _admin_connection() -> psycopg.Connection:
    return psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True, connect_timeout=3)


def _drop_database(name: str) -> None:
    with _admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Factory:
    """Creates databases for one test run and drops them at its end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.postgres_databases: list[str] = []
        self._postgres_error: str | None = None
        self._dropper = ThreadPoolExecutor(max_workers=1)
        self._dropping: list[Future[None]] = []

    def create(self, backend: str) -> str:
        name = f"engage_test_{os.getpid()}_{secrets.token_hex(4)}"
        if backend == "sqlite":
            return f"sqlite:///{self.folder / (name + '.sqlite')}"
        if backend != "postgresql":
            raise ValueError(backend)
        if self._postgres_error is None:
            try:
                with _admin_connection() as connection:
                    connection.execute(f'CREATE DATABASE "{name}"')
            except psycopg.OperationalError as error:
                self._postgres_error = str(error).strip() or type(error).__name__
        if self._postgres_error is not None:
            message = f"PostgreSQL unavailable at {POSTGRES_ADMIN_URL}: {self._postgres_error}"
            if postgres_required():
                pytest.fail(message)
            pytest.skip(message)
        self.postgres_databases.append(name)
        base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
        return f"{base}/{name}"

    def copy(self, url: str) -> str:
        """A new database holding what ``url``'s holds: a file copy, or a PostgreSQL template.

        Nothing may be connected to ``url`` (dispose its engines first).
        """
        name = f"engage_test_{os.getpid()}_{secrets.token_hex(4)}"
        if url.startswith("sqlite:///"):
            target = self.folder / (name + ".sqlite")
            shutil.copyfile(url.removeprefix("sqlite:///"), target)
            return f"sqlite:///{target}"
        template = url.rsplit("/", 1)[1]
        with _admin_connection() as connection:
            connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        self.postgres_databases.append(name)
        return f"{url.rsplit('/', 1)[0]}/{name}"

    def discard(self, app: Flask) -> None:
        """Drop ``app``'s database now that its test is over, in the background: dropping a
        PostgreSQL database waits for a checkpoint, time the next test can use."""
        with app.app_context():
            url = str(db.engine.url)
            for engine in db.engines.values():
                engine.dispose()
        name = url.rsplit("/", 1)[1]
        if url.startswith("sqlite") or name not in self.postgres_databases:
            return
        self.postgres_databases.remove(name)
        self._dropping.append(self._dropper.submit(_drop_database, name))

    def drop_all(self) -> None:
        for dropping in self._dropping:
            dropping.result()
        self._dropper.shutdown()
        dispose_engines()
        if not self.postgres_databases:
            return
        with _admin_connection() as connection:
            for name in self.postgres_databases:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


_apps: list[Flask] = []


def dispose_engines() -> None:
    """Close the pooled connections of every app the tests made."""
    while _apps:
        app = _apps.pop()
        with app.app_context():
            for engine in db.engines.values():
                engine.dispose()


def make_app(url: str, **config: object) -> Flask:
    app = create_app(
        {
            "DATABASE_URL": url,
            "ENGAGE_ENV": "testing",
            "SECRET_KEY": "test-secret-key",
            **config,
        }
    )
    _apps.append(app)
    return app


def make_migrated_app(url: str, **config: object) -> Flask:
    app = make_app(url, **config)
    with app.app_context():
        upgrade()
    return app


def make_template(factory: Factory, backend: str, fill: Callable[[Flask], None]) -> str:
    """A migrated database filled once by ``fill``, to be copied with ``factory.copy``."""
    url = factory.create(backend)
    app = make_migrated_app(url)
    fill(app)
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose()
    return url


@contextlib.contextmanager
def rolled_back(app: Flask) -> Iterator[Session]:
    """Run requests and test code in one outer transaction, rolled back at the end.

    Flask-SQLAlchemy picks its engine from ``db.engines``; pointing that at a connection
    whose transaction is open makes every request's session work in savepoints inside it.
    """
    with app.app_context():
        engine = db.engine
        engines = db.engines
    connection = engine.connect()
    outer = connection.begin()
    engines[None] = connection  # type: ignore[index]
    test_session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield test_session
    finally:
        test_session.close()
        engines[None] = engine  # type: ignore[index]
        outer.rollback()
        connection.close()
