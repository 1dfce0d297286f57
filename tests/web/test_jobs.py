from __future__ import annotations

import secrets
import subprocess
import sys
import textwrap

import pytest
import sqlalchemy as sa

from engage.extensions import db
from engage.jobs import enqueue, queue, work
from engage.models import Workgroup
from tests.support.databases import make_migrated_app
from tests.support.redis import require_redis


def test_without_redis_a_job_runs_at_once(app, session):
    with app.app_context():
        assert enqueue("tests.support.jobs.add_workgroup", "Inline group") is None
    assert session.scalar(sa.select(Workgroup.name)) == "Inline group"


def test_a_failing_inline_job_leaves_nothing_behind(app, session):
    with app.app_context(), pytest.raises(RuntimeError, match="on purpose"):
        enqueue("tests.support.jobs.fail", "Half done")
    assert session.scalar(sa.select(sa.func.count()).select_from(Workgroup)) == 0


def test_only_engage_functions_can_be_jobs(app):
    with app.app_context(), pytest.raises(ValueError):
        enqueue("os.system", "true")


def test_with_redis_a_worker_runs_the_queued_job(backend, database_factory):
    redis_url = require_redis()
    app = make_migrated_app(
        database_factory.create(backend),
        REDIS_URL=redis_url,
        JOB_QUEUE_NAME=f"engage-test-{secrets.token_hex(4)}",
    )
    with app.app_context():
        job_id = enqueue("tests.support.jobs.add_workgroup", "Queued group")
        assert job_id
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Workgroup)) == 0
        work(app, burst=True, fork=False)
        db.session.remove()
        assert db.session.scalar(sa.select(Workgroup.name)) == "Queued group"


def test_worker_command_needs_redis(app):
    from engage.cli import worker_command

    result = app.test_cli_runner().invoke(worker_command, ["--burst"])
    assert result.exit_code == 1
    assert "REDIS_URL is not set" in result.output


def test_login_rate_limit_is_shared_through_redis(tmp_path):
    """Two processes (as two gunicorn workers) count sign-in attempts together in Redis."""
    redis_url = require_redis()
    from redis import Redis

    Redis.from_url(redis_url).flushdb()
    script = textwrap.dedent(
        f"""
        import sys
        from tests.support.client import PageClient
        from tests.support.databases import make_migrated_app
        url = "sqlite:///{tmp_path / "rl.sqlite"}"
        app = make_migrated_app(url, REDIS_URL={redis_url!r}, RATELIMIT_LOGIN="3 per minute")
        client = PageClient(app.test_client())
        attempts = int(sys.argv[1])
        print([client.login("x@example.org", "wrong password").status_code
               for _ in range(attempts)])
        """
    )

    def attempts_in_new_process(count: int) -> str:
        result = subprocess.run(
            [sys.executable, "-c", script, str(count)],
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip().splitlines()[-1]

    assert attempts_in_new_process(3) == "[401, 401, 401]"
    assert attempts_in_new_process(1) == "[429]"


def test_a_coalesced_job_waits_in_the_queue_once(backend, database_factory):
    """Placing new feedback does all there is to do when it runs: a thousand
    submissions while it waits queue it once, and work after it starts queues it again."""
    redis_url = require_redis()
    app = make_migrated_app(
        database_factory.create(backend),
        REDIS_URL=redis_url,
        JOB_QUEUE_NAME=f"engage-test-{secrets.token_hex(4)}",
    )
    name = f"Coalesced {secrets.token_hex(3)}"
    with app.app_context():
        rq_queue = queue(app)
        first = enqueue("tests.support.jobs.add_workgroup", name, coalesce=True)
        assert first and enqueue("tests.support.jobs.add_workgroup", name, coalesce=True) is None
        assert rq_queue.count == 1
        work(app, burst=True, fork=False)
        db.session.remove()
        assert db.session.scalars(sa.select(Workgroup.name)).all() == [name]
        # It ran, so it waits no more: new work queues it again.
        assert enqueue("tests.support.jobs.add_workgroup", name, coalesce=True)
        assert rq_queue.count == 1
        rq_queue.empty()
