from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_user
from tests.support.databases import make_app


@pytest.mark.parametrize("path", ["/", "/auth/login", "/healthz", "/no/such/page"])
def test_every_response_carries_security_headers(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_pages_have_no_inline_script_or_style(client):
    html = client.get("/auth/login").get_data(as_text=True)
    assert "<script>" not in html and "<script " not in html.replace("<script src=", "")
    assert "style=" not in html
    assert '="None"' not in html


def test_production_cookies_are_secure_httponly_and_samesite(tmp_path, monkeypatch):
    app = make_app(
        f"sqlite:///{tmp_path / 'prod.sqlite'}", ENGAGE_ENV="production", SECRET_KEY="k" * 40
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    client = app.test_client()
    response = client.get("/auth/login")
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_login_form_cannot_be_posted_without_csrf_token(session, client):
    make_user(session, email="ana@example.org")
    response = client.post("/auth/login", data={"email": "ana@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/staff/").status_code == 302


@pytest.mark.parametrize("answers", [{"agree": True}, {"no_such_question": 1}])
def test_the_json_intake_carries_each_security_header_once(session, client, answers):
    from engage.security import SECURITY_HEADERS
    from tests.factories import full_definition, make_survey

    make_survey(session, definition=full_definition("market"))
    response = client.post("/api/v1/surveys/market/responses", json={"answers": answers})
    assert response.status_code in (201, 422)
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.getlist(name) == [value]
    assert response.headers["X-RateLimit-Limit"]
