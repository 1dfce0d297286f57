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
