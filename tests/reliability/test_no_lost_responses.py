"""No lost responses: real gunicorn on PostgreSQL, while connections are killed and the
server restarts.

Eight clients each send their submissions to the JSON intake, one ``Idempotency-Key``
per submission, retrying the same key (with a short, bounded back-off) after a 503 or a
refused connection. Meanwhile a killer terminates every connection the application holds
to its database, over and over, and the server is reloaded once (SIGHUP: new workers,
old ones finish their requests) and restarted once (SIGTERM, then started again on the
same port). Every acknowledged submission must be stored exactly once, no request may end
in a 500, every 503 must be a proper one (``Retry-After``, a JSON body, the security
headers), and the application must recover by itself.

Bounded: a few hundred submissions, a hard deadline, and the server's processes are
stopped whatever happens.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

from engage.extensions import db
from tests.factories import make_survey
from tests.support.databases import POSTGRES_ADMIN_URL, make_migrated_app

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = 8
PER_CLIENT = 25  # 200 submissions
DEADLINE_SECONDS = 50  # for the submissions (about 15 s on an idle machine, 2 cores)
KILL_EVERY_SECONDS = 0.25
ANSWERS = {"obstacle": "The bus is late", "bus_importance": 7}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn with the project's ``gunicorn.conf.py``, two workers, on one port."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.port = _free_port()
        self.log = log
        self.process: subprocess.Popen[bytes] | None = None
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "ENGAGE_ENV": "production",
            "SECRET_KEY": "no-lost-responses",
            "WEB_CONCURRENCY": "2",
            "RATELIMIT_SURVEY": "100000 per minute",
            "LOG_FORMAT": "json",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        self.env.pop("REDIS_URL", None)

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "-b",
            f"127.0.0.1:{self.port}",
            "engage:create_app()",
        ]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        self.wait_ready()

    def wait_ready(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self._tail()
            try:
                if request(self.port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        pytest.fail(f"gunicorn did not answer within {seconds} s\n{self._tail()}")

    def reload(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGHUP)

    def stop(self) -> None:
        """Graceful stop (SIGTERM); then the whole process group, whatever is left of it."""
        process, self.process = self.process, None
        if process is None:
            return
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=25)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # its workers, if any outlived it
        process.wait(timeout=5)

    def _tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""


def request(
    port: int, method: str, path: str, body: dict | None = None, headers: dict | None = None
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        payload = json.dumps(body).encode() if body is not None else None
        sent = {"Content-Type": "application/json", **(headers or {})} if payload else {}
        connection.request(method, path, body=payload, headers=sent)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@dataclass
class Outcomes:
    lock: threading.Lock = field(default_factory=threading.Lock)
    statuses: Counter = field(default_factory=Counter)
    acknowledged: dict[str, int] = field(default_factory=dict)  # key -> response id
    bad: list[str] = field(default_factory=list)  # what must never happen
    done: int = 0

    def note(self, status: int | str) -> None:
        with self.lock:
            self.statuses[status] += 1


def check_unavailable(headers: dict[str, str], body: bytes) -> str | None:
    """What is wrong with a 503, or ``None``."""
    if not headers.get("Retry-After", "").isdigit():
        return "503 without Retry-After"
    if "frame-ancestors 'none'" not in headers.get("Content-Security-Policy", ""):
        return "503 without the security headers"
    if "max-age" not in headers.get("Strict-Transport-Security", ""):  # a production server
        return "503 without HSTS"
    try:
        if json.loads(body)["error"]["status"] != 503:
            return f"503 with another body: {body[:200]!r}"
    except (ValueError, KeyError, TypeError):
        return f"503 without a JSON body: {body[:200]!r}"
    return None


def submit(server: Server, slug: str, key: str, outcomes: Outcomes, deadline: float) -> None:
    """Send one submission until it is acknowledged, retrying the same key."""
    path = f"/api/v1/surveys/{slug}/responses"
    attempt = 0
    while time.monotonic() < deadline:
        attempt += 1
        try:
            status, headers, body = request(
                server.port, "POST", path, {"answers": ANSWERS}, {"Idempotency-Key": key}
            )
        except (OSError, http.client.HTTPException) as error:  # refused, reset: restarting
            outcomes.note(type(error).__name__)
        else:
            outcomes.note(status)
            if status in (200, 201):
                with outcomes.lock:
                    outcomes.acknowledged[key] = json.loads(body)["id"]
                    outcomes.done += 1
                return
            problem = (
                check_unavailable(headers, body) if status == 503 else f"{status}: {body[:300]!r}"
            )
            if problem:
                with outcomes.lock:
                    outcomes.bad.append(problem)
                return
        time.sleep(min(0.02 * 2**attempt, 0.5))
    with outcomes.lock:
        outcomes.bad.append(f"{key} not acknowledged before the deadline")


def kill_connections(database: str, stop: threading.Event, kills: list[int]) -> None:
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        while not stop.wait(KILL_EVERY_SECONDS):
            rows = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (database,),
            ).fetchall()
            kills.append(sum(1 for (killed,) in rows if killed))


def test_no_response_is_lost_while_connections_die_and_the_server_restarts(
    database_factory, tmp_path
):
    url = database_factory.create("postgresql")  # skips without PostgreSQL (fails in CI)
    database = url.rsplit("/", 1)[1]
    app = make_migrated_app(url)
    with app.app_context():
        slug = make_survey(db.session).slug
    with app.app_context():
        db.engine.dispose()  # the test process keeps no connection of its own

    server = Server(url, tmp_path / "gunicorn.log")
    outcomes = Outcomes()
    stop_killing = threading.Event()
    phases: dict[str, float] = {}
    kills: list[int] = []
    total = CLIENTS * PER_CLIENT
    try:
        started = time.monotonic()
        server.start()
        phases = {"up": time.monotonic() - started}
        killer = threading.Thread(
            target=kill_connections, args=(database, stop_killing, kills), daemon=True
        )
        deadline = time.monotonic() + DEADLINE_SECONDS

        def client() -> None:
            for _ in range(PER_CLIENT):
                submit(server, slug, uuid.uuid4().hex, outcomes, deadline)

        clients = [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
        killer.start()
        for thread in clients:
            thread.start()

        _wait_for(lambda: outcomes.done >= total // 3, deadline)
        phases["reload"] = time.monotonic() - started
        server.reload()  # graceful: new workers, the old ones finish what they started
        _wait_for(lambda: outcomes.done >= 2 * total // 3, deadline)
        phases["restart"] = time.monotonic() - started
        server.stop()  # and a full restart on the same port
        server.start()
        phases["up again"] = time.monotonic() - started

        for thread in clients:
            thread.join(max(0.0, deadline - time.monotonic()) + 20)
        phases["all acknowledged"] = time.monotonic() - started
        stop_killing.set()
        killer.join(5)

        # The application recovers by itself: the next submission after the storm works.
        status, _, _ = request(
            server.port,
            "POST",
            f"/api/v1/surveys/{slug}/responses",
            {"answers": ANSWERS},
            {"Idempotency-Key": "after-the-storm"},
        )
        assert status == 201
        assert request(server.port, "GET", "/healthz")[0] == 200
    finally:
        stop_killing.set()
        server.stop()

    timeline = ", ".join(f"{name} at {seconds:.1f} s" for name, seconds in phases.items())
    summary = f"statuses {dict(outcomes.statuses)}, {sum(kills)} connections killed; {timeline}"
    assert not outcomes.bad, f"{outcomes.bad[:5]} ({summary})"
    assert 500 not in outcomes.statuses, summary
    assert len(outcomes.acknowledged) == total, summary
    assert sum(kills) > 0, summary

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as check:
        stored = dict(
            check.execute(
                "SELECT idempotency_key, count(*) FROM responses GROUP BY idempotency_key"
            ).fetchall()
        )
    assert stored.pop("after-the-storm") == 1
    assert set(stored) == set(outcomes.acknowledged), summary  # nothing lost, nothing extra
    assert set(stored.values()) == {1}, summary  # each exactly once
    print(summary)


def _wait_for(condition, deadline: float) -> None:
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
