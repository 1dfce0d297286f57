"""A database fault at any point of a request: 503 with ``Retry-After``, the app's own page
(JSON under ``/api/``) and the security headers — never the server's bare 500.

On PostgreSQL the fault is real: the request's own connection is terminated
(``pg_terminate_backend``) just before the chosen statement, commit or rollback. SQLite
cannot lose its connection, so there the same point raises the driver's error instead.
"""

from __future__ import annotations

import logging
import time
import uuid

import psycopg
import pytest
import sqlalchemy as sa
from flask import Flask, jsonify, render_template_string, request
from sqlalchemy.exc import OperationalError

from engage.extensions import db, limiter
from engage.invitations.services import create_invites
from engage.models import Response, SurveyInvite, Workgroup
from engage.permissions import public
from tests.factories import PASSWORD, make_survey, make_user
from tests.support.databases import POSTGRES_ADMIN_URL, make_migrated_app

CSP = "Content-Security-Policy"
VALID = {"obstacle": "The bus is late", "bus_importance": 7}
TEARDOWN_FAULTS = {"/t/teardown-db": "database", "/api/t/teardown-db": "database"}


class Faults:
    """Makes the database fail once, at one point of the next request."""

    def __init__(self, engine: sa.Engine, backend: str) -> None:
        self.backend = backend
        self.point: str | None = None
        self.match = ""
        self.fired = 0
        sa.event.listen(engine, "before_cursor_execute", self._statement)
        sa.event.listen(engine, "commit", self._commit)
        sa.event.listen(engine, "rollback", self._rollback)

    def arm(self, point: str, match: str = "") -> None:
        self.point, self.match, self.fired = point, match, 0

    def disarm(self) -> None:
        self.point = None

    def _statement(self, conn, cursor, statement, parameters, context, executemany):
        if self.point == "statement" and self.match in statement:
            self._fail(conn)

    def _commit(self, conn: sa.Connection) -> None:
        if self.point == "commit":
            self._fail(conn)

    def _rollback(self, conn: sa.Connection) -> None:
        if self.point == "rollback":
            self._fail(conn)

    def _fail(self, conn: sa.Connection) -> None:
        self.point = None
        self.fired += 1
        if self.backend != "postgresql":
            raise OperationalError("(injected)", {}, Exception("the database went away"))
        pid = conn.connection.dbapi_connection.info.backend_pid
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
            for _ in range(100):  # until the server has really closed it
                gone = admin.execute(
                    "SELECT NOT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = %s)", (pid,)
                )
                if gone.fetchone()[0]:
                    break
                time.sleep(0.02)


def _add_test_routes(app: Flask) -> None:
    @app.get("/t/read")
    @public
    def read():
        return jsonify(count=db.session.scalar(sa.select(sa.func.count(Workgroup.id))))

    @app.get("/t/template")
    @public
    def template():
        count = lambda: db.session.scalar(sa.select(sa.func.count(Workgroup.id)))  # noqa: E731
        return render_template_string("<p>{{ count() }} workgroups</p>", count=count)

    @app.get("/t/limited")
    @limiter.limit(
        "100 per minute", key_func=lambda: str(db.session.scalar(sa.text("SELECT 40 + 2")))
    )
    @public
    def limited():
        return "within the limit"

    @app.get("/t/after")
    @public
    def after():
        return "the view was fine"

    @app.after_request
    def failing_hook(response):
        if request.path == "/t/after":
            db.session.execute(sa.text("SELECT 41 + 1"))
        return response

    for path in ("/t/teardown-db", "/api/t/teardown-db", "/t/teardown-bug"):
        app.add_url_rule(path, path, public(lambda: "answered"))

    @app.teardown_request
    def failing_teardown(error):
        if request.path.endswith("/teardown-db"):
            raise OperationalError("ROLLBACK", {}, Exception("server closed the connection"))
        if request.path.endswith("/teardown-bug"):
            raise RuntimeError("a bug in a cleanup hook")


_apps: dict[str, tuple[Flask, Faults]] = {}


@pytest.fixture
def faulty(backend, database_factory):
    """An app that behaves as in production (errors handled, not propagated)."""
    if backend not in _apps:
        app = make_migrated_app(
            database_factory.create(backend), WTF_CSRF_ENABLED=False, PROPAGATE_EXCEPTIONS=False
        )
        _add_test_routes(app)
        with app.app_context():
            faults = Faults(db.engine, backend)
            make_survey(db.session, slug="faults")
        _apps[backend] = (app, faults)
    app, faults = _apps[backend]
    with app.app_context():
        limiter.reset()
    yield app, faults
    faults.disarm()


def assert_unavailable(
    response, *, as_json: bool, text: str = "Nothing you entered has been lost", own_page=True
) -> None:
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "frame-ancestors 'none'" in response.headers[CSP]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Request-ID"]
    if as_json:
        assert response.get_json()["error"]["status"] == 503
    else:
        html = response.get_data(as_text=True)
        assert html.startswith("<!doctype html>")
        assert text in html
        assert ('class="skip-link"' in html) is own_page  # the app's page, not the plain one


def _stored(app: Flask, key: str) -> int:
    with app.app_context():
        return db.session.scalar(
            sa.select(sa.func.count(Response.id)).where(Response.idempotency_key == key)
        )


def _submit(client, key: str):
    return client.post(
        "/api/v1/surveys/faults/responses",
        json={"answers": VALID},
        headers={"Idempotency-Key": key},
    )


@pytest.mark.parametrize(
    ("point", "match"), [("statement", "INSERT INTO responses"), ("commit", "")]
)
def test_intake_fault_is_503_json_and_the_retry_stores_it_once(faulty, point, match):
    app, faults = faulty
    client = app.test_client()
    key = uuid.uuid4().hex
    faults.arm(point, match)
    answer = _submit(client, key)
    assert faults.fired == 1
    if point == "commit" and faults.backend == "postgresql":
        # On PostgreSQL the intake's one INSERT commits by itself (no BEGIN, no
        # COMMIT): the connection dies after the response is stored, which is
        # acknowledged, and the retry finds it.
        assert answer.status_code == 201
        assert _stored(app, key) == 1
        assert _submit(client, key).status_code == 200
    else:
        assert_unavailable(answer, as_json=True)
        assert _stored(app, key) == 0  # nothing half-stored
        first = _submit(client, key)
        assert first.status_code == 201
        assert _submit(client, key).status_code == 200
    assert _stored(app, key) == 1


def test_a_fault_at_the_commit_of_an_invited_submission_stores_nothing(faulty):
    """An invitation is used up in the same transaction as its response: a fault at
    the commit leaves neither, and the invitation still works."""
    app, faults = faulty
    with app.app_context():
        survey = make_survey(db.session, slug=f"panel-{uuid.uuid4().hex[:8]}")
        survey.invite_only = True
        survey_id = survey.id
        token = create_invites(db.session, survey, count=1)[0].token
        slug = survey.slug
        db.session.commit()
    client = app.test_client()
    key = uuid.uuid4().hex

    def send():
        return client.post(
            f"/api/v1/surveys/{slug}/responses",
            json={"answers": VALID, "invite": token},
            headers={"Idempotency-Key": key},
        )

    faults.arm("commit")
    assert_unavailable(send(), as_json=True)
    assert faults.fired == 1
    assert _stored(app, key) == 0
    with app.app_context():
        used = db.session.scalar(
            sa.select(SurveyInvite.used_at).where(SurveyInvite.survey_id == survey_id)
        )
    assert used is None
    assert send().status_code == 201
    assert _stored(app, key) == 1


def test_a_fault_in_the_view_gets_the_translated_503_page(faulty):
    app, faults = faulty
    faults.arm("statement", "count(workgroups.id)")
    response = app.test_client().get("/t/read?lang=es")
    assert_unavailable(response, as_json=False, text="no está disponible en este momento")


def test_a_fault_in_the_end_of_request_rollback_still_answers(faulty):
    app, faults = faulty
    client = app.test_client()
    faults.arm("rollback")
    response = client.get("/t/read")
    assert faults.fired == 1
    assert response.status_code == 200 and response.get_json() == {"count": 0}
    assert client.get("/t/read").status_code == 200  # the broken connection was replaced


def test_a_signed_in_user_who_cannot_be_loaded_gets_the_503_page(faulty):
    app, faults = faulty
    with app.app_context():
        email = make_user(db.session).email
    client = app.test_client()
    assert (
        client.post("/auth/login", data={"email": email, "password": PASSWORD}).status_code == 302
    )
    faults.arm("statement", "FROM users")
    response = client.get("/staff/")
    assert faults.fired == 1
    assert_unavailable(response, as_json=False)
    assert client.get("/staff/").status_code == 200  # and signed in again once it is back


@pytest.mark.parametrize(
    ("path", "match"),
    [("/t/template", "count(workgroups.id)"), ("/t/limited", "40 + 2"), ("/t/after", "41 + 1")],
    ids=["template", "rate-limiter", "after-request-hook"],
)
def test_a_fault_anywhere_in_the_request_gets_the_503_page(faulty, path, match):
    app, faults = faulty
    faults.arm("statement", match)
    response = app.test_client().get(path)
    assert faults.fired == 1
    assert_unavailable(response, as_json=False)


@pytest.mark.parametrize(
    ("path", "as_json"), [("/t/teardown-db", False), ("/api/t/teardown-db", True)]
)
def test_a_fault_escaping_flask_is_answered_503_by_the_guard(faulty, path, as_json):
    app, _ = faulty
    assert_unavailable(app.test_client().get(path), as_json=as_json, own_page=False)


def test_a_fault_after_the_user_was_loaded_gets_the_apps_503_page(faulty, caplog):
    app, faults = faulty
    with app.app_context():
        user = make_user(db.session)
        email, user_id = user.email, user.id
    client = app.test_client()
    client.post("/auth/login", data={"email": email, "password": PASSWORD})
    faults.arm("statement", "FROM campaigns")
    caplog.set_level(logging.INFO, logger="engage.requests")
    response = client.get("/staff/")
    assert faults.fired == 1
    assert_unavailable(response, as_json=False)
    assert caplog.records[-1].http["user_id"] == user_id


def test_a_bug_escaping_flask_is_a_plain_500_with_the_security_headers(faulty):
    app, _ = faulty
    response = app.test_client().get("/t/teardown-bug")
    assert response.status_code == 500
    assert "Retry-After" not in response.headers
    assert "frame-ancestors 'none'" in response.headers[CSP]
    assert "something went wrong on our side" in response.get_data(as_text=True)
    assert "a bug in a cleanup hook" not in response.get_data(as_text=True)
