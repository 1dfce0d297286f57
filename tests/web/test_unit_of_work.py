"""One unit of work per request: commit after a successful view, roll back after an error,
never write on GET, and send the jobs a request asked for only once it has committed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask import abort

from engage.extensions import db
from engage.jobs import enqueue_after_commit
from engage.models import Workgroup
from engage.permissions import public
from engage.web.unit_of_work import SafeRequestWrote, keep_changes
from tests.support.databases import make_migrated_app

SENT: list[str] = []


def record_job(session, name: str) -> None:  # a job: the session, then its arguments
    SENT.append(name)


JOB = "tests.web.test_unit_of_work.record_job"


@pytest.fixture
def app_with_views(backend, database_factory):
    app = make_migrated_app(database_factory.create(backend), WTF_CSRF_ENABLED=False)

    def add(name: str) -> None:
        db.session.add(Workgroup(name=name))
        db.session.flush()
        enqueue_after_commit(db.session, JOB, name)

    @app.post("/t/ok/<name>")
    @public
    def ok(name: str):
        add(name)
        return "", 302

    @app.post("/t/refused/<name>")
    @public
    def refused(name: str):
        add(name)
        return "no", 400

    @app.post("/t/kept/<name>")
    @public
    def kept(name: str):
        add(name)
        keep_changes()
        return "no, but kept", 400

    @app.post("/t/raises/<name>")
    @public
    def raises(name: str):
        add(name)
        abort(409)

    @app.post("/t/bulk/<name>")
    @public
    def bulk(name: str):
        db.session.execute(sa.update(Workgroup).values(description=name))
        return "", 204

    @app.get("/t/get-writes/<name>")
    @public
    def get_writes(name: str):
        add(name)
        return "wrote"

    SENT.clear()
    return app


def _names(app) -> list[str]:
    with app.app_context():
        return list(db.session.scalars(sa.select(Workgroup.name).order_by(Workgroup.name)))


def test_a_successful_view_commits_and_then_sends_its_jobs(app_with_views):
    client = app_with_views.test_client()
    assert client.post("/t/ok/alpha").status_code == 302
    assert _names(app_with_views) == ["alpha"]
    assert SENT == ["alpha"]


@pytest.mark.parametrize("path", ["/t/refused/beta", "/t/raises/beta"])
def test_an_error_rolls_back_and_sends_nothing(app_with_views, path):
    client = app_with_views.test_client()
    assert client.post(path).status_code >= 400
    assert _names(app_with_views) == []
    assert SENT == []


def test_a_view_may_keep_what_it_stored_with_an_error_status(app_with_views):
    assert app_with_views.test_client().post("/t/kept/gamma").status_code == 400
    assert _names(app_with_views) == ["gamma"]


def test_a_bulk_update_is_committed_too(app_with_views):
    client = app_with_views.test_client()
    client.post("/t/ok/delta")
    assert client.post("/t/bulk/changed").status_code == 204
    with app_with_views.app_context():
        assert db.session.scalar(sa.select(Workgroup.description)) == "changed"


def test_a_get_that_writes_fails_loudly_and_stores_nothing(app_with_views):
    with pytest.raises(SafeRequestWrote):
        app_with_views.test_client().get("/t/get-writes/epsilon")
    assert _names(app_with_views) == []
    assert SENT == []
