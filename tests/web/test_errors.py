from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_user
from tests.support.databases import make_app


@pytest.mark.parametrize(
    ("lang", "title", "direction"),
    [
        ("en", "Page not found", "ltr"),
        ("es", "No se encontró la página", "ltr"),
        ("ar", "الصفحة غير موجودة", "rtl"),
    ],
)
def test_unknown_url_gets_a_translated_404_page(client, lang, title, direction):
    response = client.get(f"/no/such/page?lang={lang}")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert f"<h1>{title}</h1>" in html


def test_forbidden_page_gets_a_translated_403_page(session, pages):
    make_user(session, email="i@example.org", role="interviewer")
    pages.login("i@example.org", PASSWORD)
    response = pages.get("/admin/users?lang=es")
    assert response.status_code == 403
    assert "No tiene acceso a esta página" in response.get_data(as_text=True)


def test_wrong_method_gets_405_with_allow_header(client):
    response = client.delete("/auth/login")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]


def test_api_paths_get_json_errors(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.is_json
    assert response.get_json()["error"]["status"] == 404


def test_oversized_request_gets_413(client, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = client.post(
        "/auth/login", data=b"x" * (limit + 1), content_type="application/octet-stream"
    )
    assert response.status_code == 413
    assert "What you sent is too large" in response.get_data(as_text=True)


def _app_with_failing_route(url: str):
    app = make_app(url)

    @app.get("/boom")
    def boom():  # pragma: no cover - the body is the point
        raise RuntimeError("secret internal detail")

    boom.engage_permission = "public"
    return app


def test_unexpected_error_gets_a_translated_500_page_without_details(tmp_path, caplog):
    app = _app_with_failing_route(f"sqlite:///{tmp_path / 'x.sqlite'}")
    response = app.test_client().get("/boom?lang=fr")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "secret internal detail" not in html
    assert "Traceback" not in html
    assert '<html lang="fr"' in html
    assert "secret internal detail" in caplog.text  # it is logged for the operators


def test_database_outage_gets_a_503_page(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'missing-dir' / 'x.sqlite'}")
    response = app.test_client().get("/?lang=es")
    assert response.status_code == 503
    assert response.headers["Retry-After"]
    assert "no está disponible en este momento" in response.get_data(as_text=True)
