from __future__ import annotations

from tests.support.databases import make_app


def test_healthz_reports_ok_with_a_working_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_503_when_postgresql_does_not_answer():
    app = make_app("postgresql://postgres@127.0.0.1:1/engage")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unavailable"


def test_healthz_reports_503_when_sqlite_file_cannot_be_opened(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'no-such-dir' / 'db.sqlite'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503


def test_healthz_checks_redis_when_it_is_configured(database_factory):
    from tests.support.redis import require_redis

    url = database_factory.create("sqlite")
    # Flask-Limiter's one limiter keeps the storage of the last app made: keep it in memory
    # here, so that later tests do not inherit a Redis that is not there.
    memory = {"RATELIMIT_STORAGE_URI": "memory://"}
    working = make_app(url, REDIS_URL=require_redis(), **memory).test_client().get("/healthz")
    assert working.status_code == 200
    assert working.get_json() == {"status": "ok", "database": "ok", "redis": "ok"}
    broken = (
        make_app(url, REDIS_URL="redis://127.0.0.1:1/0", **memory).test_client().get("/healthz")
    )
    assert broken.status_code == 503
    assert broken.get_json() == {"status": "unavailable", "database": "ok", "redis": "unavailable"}
