"""One structured log line per request, with its id; nothing private in it."""

from __future__ import annotations

import json
import logging

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError

from engage.config import ConfigurationError, load_config
from engage.extensions import db
from engage.logs import JsonFormatter, TextFormatter
from tests.factories import PASSWORD, make_survey, make_user


@pytest.fixture
def request_log(caplog):
    caplog.set_level(logging.INFO, logger="engage.requests")
    return caplog


def _lines(caplog) -> list[dict]:
    return [r.http for r in caplog.records if r.name == "engage.requests" and hasattr(r, "http")]


def test_each_request_is_one_line_without_its_query_string(client, request_log):
    response = client.get("/healthz?token=do-not-log-me")
    (line,) = _lines(request_log)
    assert line["method"] == "GET"
    assert line["path"] == "/healthz"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0
    assert line["remote_addr"] == "127.0.0.1"
    assert line["user_id"] is None
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert "do-not-log-me" not in request_log.text


def test_the_proxys_request_id_is_kept_and_echoed(client, request_log):
    response = client.get("/healthz", headers={"X-Request-ID": "proxy-42.a"})
    assert response.headers["X-Request-ID"] == "proxy-42.a"
    assert _lines(request_log)[0]["request_id"] == "proxy-42.a"


@pytest.mark.parametrize("given", ["has space", "x" * 200, "<script>"])
def test_a_malformed_request_id_is_replaced(client, given):
    assert client.get("/healthz", headers={"X-Request-ID": given}).headers["X-Request-ID"] not in (
        given,
        "",
    )


def test_tokens_in_links_are_not_logged(client, request_log):
    token = "Zq3RkL0a9sTtV6bW1yXe8uYp4oIiHhGg"
    client.get(f"/auth/reset/{token}")
    assert _lines(request_log)[0]["path"] == "/auth/reset/[redacted]"
    assert token not in request_log.text


def test_a_signed_in_users_id_is_logged_but_never_an_email(session, pages, request_log):
    user = make_user(session, email="private.person@example.org")
    pages.login(user.email, PASSWORD)
    pages.get("/staff/")
    assert _lines(request_log)[-1]["user_id"] == user.id
    text = "\n".join(JsonFormatter().format(r) for r in request_log.records)
    assert "private.person" not in text and PASSWORD not in text


def test_what_residents_wrote_is_never_logged(session, client, request_log):
    survey = make_survey(session)
    answer = "My landlord Mr Example at 12 Secret Street"
    client.post(
        f"/api/v1/surveys/{survey.slug}/responses",
        json={"answers": {"obstacle": answer, "bus_importance": 99}},
    )
    assert _lines(request_log)[-1]["status"] == 422
    formatted = "\n".join(JsonFormatter().format(r) for r in request_log.records)
    assert "Secret Street" not in formatted and "Secret Street" not in request_log.text


def test_json_lines_and_text_lines_carry_the_same_fields(client, request_log):
    client.get("/healthz")
    record = next(r for r in request_log.records if r.name == "engage.requests")
    data = json.loads(JsonFormatter().format(record))
    assert {"time", "level", "logger", "message", "status", "path", "request_id"} <= set(data)
    assert data["time"].endswith("+00:00")
    text = TextFormatter().format(record)
    assert "status=200" in text and "path=/healthz" in text


def test_log_format_is_json_in_production_text_elsewhere_and_checked(tmp_path):
    production = {"ENGAGE_ENV": "production", "SECRET_KEY": "k"}
    assert load_config(production, tmp_path)["LOG_FORMAT"] == "json"
    assert load_config({"ENGAGE_ENV": "testing"}, tmp_path)["LOG_FORMAT"] == "text"
    assert load_config({**production, "LOG_FORMAT": "TEXT"}, tmp_path)["LOG_FORMAT"] == "text"
    with pytest.raises(ConfigurationError, match="LOG_FORMAT"):
        load_config({**production, "LOG_FORMAT": "xml"}, tmp_path)


def test_a_failed_statement_does_not_carry_its_parameters_into_the_logs(app):
    with app.app_context(), pytest.raises(DBAPIError) as failure:
        db.session.execute(sa.text("SELECT no_such_function(:x)"), {"x": "12 Secret Street"})
    assert "no_such_function" in str(failure.value)
    assert "Secret Street" not in str(failure.value)
