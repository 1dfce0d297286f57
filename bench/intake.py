"""Intake speed: Engage's JSON intake next to a bare Flask + Flask-SQLAlchemy insert.

Budget (DESIGN.md): under 50 concurrent clients, Engage's throughput ≥ 0.6 of a bare
Flask + Flask-SQLAlchemy endpoint that inserts one row, and its p95 latency ≤ 1.5× the
bare endpoint's p95, alternated in the same run on the same gunicorn settings and the
same PostgreSQL database.

Usage: python bench/intake.py [--rounds 4] [--requests 3000] [--seconds 10]
       [--clients 50] [--redis redis://127.0.0.1:6379/3] [--in-process 300] [--profile]

What it does, in one run:

1. creates a throwaway PostgreSQL database (``ENGAGE_BENCH_POSTGRES``, default the local
   server as ``postgres``), migrates it with Engage's migrations, loads the demo data
   (the published, open survey ``demo``) and the bare endpoint's one table;
2. in process (Flask test client, no server): SQL statements and milliseconds per
   submission, and with ``--profile`` the cProfile of the submission path;
3. starts both apps under gunicorn with the same settings — the project's
   ``gunicorn.conf.py`` when there is one, and in any case 2 sync workers on loopback —
   then alternates rounds (Engage, bare, Engage, bare …) of ``--clients`` concurrent
   clients, each round bounded by ``--requests`` and ``--seconds``;
4. prints throughput (accepted submissions per second), p50/p95 latency, the ratios
   against the targets, the load generator's own CPU use, and checks that every
   accepted submission was stored once; then stops the servers and drops the database.

Every request sends a demo answer set (the same bodies to both apps) with its own
``Idempotency-Key``. The clients are threads with ``http.client`` (sync workers close
the connection after each answer, so each request connects again, for both apps alike).
Engage runs with ``ENGAGE_ENV=production`` and a survey rate limit high enough not to
refuse the benchmark (all clients share 127.0.0.1); with ``--redis`` its limits are
counted in Redis, as in a multi-process deployment.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ADMIN_URL = os.environ.get("ENGAGE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
TARGET_THROUGHPUT = 0.6
TARGET_P95 = 1.5
ENGAGE_PATH = "/api/v1/surveys/demo/responses"
BARE_PATH = "/rows"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


# -- the database ---------------------------------------------------------------------


def create_database() -> tuple[str, str]:
    import psycopg

    name = f"engage_bench_{secrets.token_hex(4)}"
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return name, f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"


def drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def engage_config(url: str, redis: str | None) -> dict[str, str]:
    config = {
        "ENGAGE_ENV": "production",
        "SECRET_KEY": "bench-intake",
        "DATABASE_URL": url,
        "RATELIMIT_SURVEY": "1000000 per minute",
    }
    if redis:
        config["REDIS_URL"] = redis
    return config


def prepare_database(url: str, redis: str | None) -> int:
    """Migrate, load the demo data and the bare table; the number of demo responses."""
    import logging

    import sqlalchemy as sa
    from flask_migrate import upgrade

    from bench import bare_intake_app
    from engage import create_app
    from engage.demo_data.loader import load_demo
    from engage.extensions import db
    from engage.models import Response

    logging.getLogger("alembic").setLevel(logging.WARNING)
    app = create_app(engage_config(url, redis))
    with app.app_context():
        upgrade()
        load_demo(db.session)
        db.session.commit()
        stored = db.session.scalar(sa.select(sa.func.count(Response.id))) or 0
        db.engine.dispose()
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    bare_intake_app.Base.metadata.create_all(engine)
    engine.dispose()
    return stored


class RowCounter:
    """Counts the stored rows over one connection held for the whole run (the server may
    have no connection to spare later, when other clients use them all)."""

    def __init__(self, url: str) -> None:
        import sqlalchemy as sa

        self.engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        self.connection = self.engine.connect()

    def __call__(self) -> tuple[int, int]:
        import sqlalchemy as sa

        with self.connection.begin():
            engage = self.connection.scalar(sa.text("SELECT count(*) FROM responses")) or 0
            bare = self.connection.scalar(sa.text("SELECT count(*) FROM bench_bare_rows")) or 0
        return engage, bare

    def close(self) -> None:
        self.connection.close()
        self.engine.dispose()


def request_bodies(n: int = 200) -> list[bytes]:
    from engage.demo_data import generate_demo_responses

    return [
        json.dumps({"language": r["language"], "answers": r["answers"]}).encode()
        for r in generate_demo_responses(n=n, seed=11)
    ]


# -- in process -----------------------------------------------------------------------


def in_process(url: str, redis: str | None, bodies: list[bytes], n: int, profile: bool) -> None:
    """Statements, and milliseconds per submission through the Flask test client (no
    server), of Engage and of the bare endpoint, alternated in batches of ``n``."""
    import cProfile
    import pstats

    import sqlalchemy as sa

    from bench import bare_intake_app
    from engage import create_app
    from engage.extensions import db

    engage_app = create_app(engage_config(url, redis))
    bare_app = bare_intake_app.create_app(url)
    with engage_app.app_context():
        engine = db.engine
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(" ".join(statement.split())[:90])

    def poster(app, path: str):  # type: ignore[no-untyped-def]
        client = app.test_client()

        def post(i: int) -> None:
            answer = client.post(
                path,
                data=bodies[i % len(bodies)],
                headers={"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex},
            )
            if answer.status_code != 201:
                raise SystemExit(f"in process: {path} answered {answer.status_code}")

        return post

    posts = {"engage": poster(engage_app, ENGAGE_PATH), "bare": poster(bare_app, BARE_PATH)}
    for post in posts.values():
        for i in range(20):  # warm up: imports, caches, connections
            post(i)
    sa.event.listen(engine, "before_cursor_execute", note)
    posts["engage"](0)
    sa.event.remove(engine, "before_cursor_execute", note)
    print(f"in process: {len(statements)} SQL statements per submission (BEGIN/COMMIT not counted)")
    for statement in statements:
        print(f"    {statement}")
    wall: dict[str, float] = {"engage": 0.0, "bare": 0.0}
    cpu: dict[str, float] = {"engage": 0.0, "bare": 0.0}
    for _ in range(3):
        for name, post in posts.items():
            started, cpu_started = time.perf_counter(), time.process_time()
            for i in range(n):
                post(i)
            wall[name] += time.perf_counter() - started
            cpu[name] += time.process_time() - cpu_started
    for name in posts:
        print(
            f"in process, {name:<6}: {wall[name] / (3 * n) * 1000:5.2f} ms per submission, "
            f"{cpu[name] / (3 * n) * 1000:5.2f} ms of it on this process's CPU "
            f"(3 × {n}, alternated)"
        )
    if profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for i in range(n):
            posts["engage"](i)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(
            os.environ.get("BENCH_PROFILE_FILTER", ""), 50
        )
    with engage_app.app_context():
        db.engine.dispose()
    with bare_app.app_context():
        bare_intake_app.db.engine.dispose()


# -- servers --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_command(app_spec: str, port: int) -> list[str]:
    command = [sys.executable, "-m", "gunicorn"]
    conf = ROOT / "gunicorn.conf.py"
    if conf.exists():
        command += ["--config", str(conf)]
    # The same for both apps, whatever the configuration file says.
    command += ["--workers", "2", "--worker-class", "sync", "--bind", f"127.0.0.1:{port}"]
    return [*command, app_spec]


@dataclass
class Server:
    name: str
    path: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_server(name: str, app_spec: str, path: str, env: dict[str, str], folder: Path) -> Server:
    port = free_port()
    log = folder / f"{name}.log"
    process = subprocess.Popen(
        gunicorn_command(app_spec, port),
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{name} did not start:\n{log.read_text()[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return Server(name, path, port, process, log)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{name} did not listen within 60 s:\n{log.read_text()[-3000:]}")


# -- the load generator ---------------------------------------------------------------


@dataclass
class Round:
    name: str
    accepted: int = 0
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)

    @property
    def requests(self) -> int:
        return sum(self.statuses.values())


def run_round(
    server: Server, bodies: list[bytes], clients: int, max_requests: int, max_seconds: float
) -> Round:
    """``clients`` threads send submissions until ``max_requests`` or ``max_seconds``."""
    issued = iter(range(max_requests))
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    per_client: list[tuple[list[float], Counter[str]]] = []
    stop_at = [0.0]

    def client() -> None:
        latencies: list[float] = []
        statuses: Counter[str] = Counter()
        per_client.append((latencies, statuses))
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        barrier.wait()
        while time.perf_counter() < stop_at[0]:
            with lock:
                n = next(issued, None)
            if n is None:
                break
            headers = {"Content-Type": "application/json", "Idempotency-Key": uuid.uuid4().hex}
            started = time.perf_counter()
            try:
                connection.request("POST", server.path, bodies[n % len(bodies)], headers)
                answer = connection.getresponse()
                answer.read()
                status = str(answer.status)
                if answer.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                status = type(error).__name__
            elapsed = time.perf_counter() - started
            statuses[status] += 1
            if status in ("200", "201"):
                latencies.append(elapsed)
        connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    result = Round(server.name)
    stop_at[0] = time.perf_counter() + max_seconds
    cpu = time.process_time()
    started = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    result.cpu_seconds = time.process_time() - cpu
    for latencies, statuses in per_client:
        result.latencies += latencies
        result.statuses += statuses
    result.accepted = result.statuses["201"] + result.statuses["200"]
    return result


def summary(rounds: list[Round]) -> tuple[float, float, float]:
    accepted = sum(r.accepted for r in rounds)
    seconds = sum(r.seconds for r in rounds)
    latencies = [x for r in rounds for x in r.latencies]
    return accepted / seconds, percentile(latencies, 0.50), percentile(latencies, 0.95)


def report(results: dict[str, list[Round]]) -> None:
    """Both apps' figures over all their rounds, the ratios and the load generator's cost."""
    figures = {name: summary(rounds) for name, rounds in results.items()}
    print()
    for name, (rate, p50, p95) in figures.items():
        latency = f"p50 {p50 * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms"
        print(f"{name + ':':<8}{rate:7.0f} accepted/s   {latency}")
    ratio = figures["engage"][0] / figures["bare"][0]
    p95_ratio = figures["engage"][2] / figures["bare"][2]
    met = {True: "met", False: "NOT met"}
    verdict = met[ratio >= TARGET_THROUGHPUT]
    print(f"throughput ratio {ratio:.2f} (target ≥ {TARGET_THROUGHPUT}: {verdict})")
    print(
        f"p95 ratio        {p95_ratio:.2f} (target ≤ {TARGET_P95}: {met[p95_ratio <= TARGET_P95]})"
    )
    rounds = [r for rs in results.values() for r in rs]
    cpu = sum(r.cpu_seconds for r in rounds) / sum(r.requests for r in rounds)
    busiest = max(r.cpu_seconds / r.seconds for r in rounds)
    print(f"load generator: {cpu * 1e6:.0f} µs CPU per request, at most {busiest:.0%} of one core")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=4, help="rounds per app")
    parser.add_argument("--requests", type=int, default=3000, help="requests per round, at most")
    parser.add_argument("--seconds", type=float, default=10.0, help="seconds per round, at most")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=300, help="requests per app before round 1")
    parser.add_argument("--redis", help="REDIS_URL for Engage's rate limits (default: in memory)")
    parser.add_argument("--in-process", type=int, default=300, metavar="N")
    parser.add_argument("--profile", action="store_true", help="cProfile the in-process runs")
    args = parser.parse_args()

    name, url = create_database()
    servers: list[Server] = []
    closing: list[Callable[[], None]] = []
    try:
        demo_responses = prepare_database(url, args.redis)
        count_rows = RowCounter(url)
        closing.append(count_rows.close)
        bodies = request_bodies()
        sizes = sorted(len(b) for b in bodies)
        print(f"database {name}: demo data loaded ({demo_responses} responses)")
        print(f"bodies: {len(bodies)} demo answer sets, median {sizes[len(sizes) // 2]} bytes")
        if args.in_process:
            in_process(url, args.redis, bodies, args.in_process, args.profile)

        if args.rounds < 1:
            return 0
        folder = Path(tempfile.mkdtemp(prefix="bench-intake-"))
        env = engage_config(url, args.redis)
        engage = start_server("engage", "engage:create_app()", ENGAGE_PATH, env, folder)
        servers.append(engage)
        bare = start_server(
            "bare", "bench.bare_intake_app:create_app()", BARE_PATH, {"DATABASE_URL": url}, folder
        )
        servers.append(bare)
        print("gunicorn:", " ".join(gunicorn_command("APP", 0)[1:]).replace(":0", ":PORT"))
        bounds = f"rounds of ≤ {args.requests} requests, ≤ {args.seconds:g} s"
        storage = "Redis" if args.redis else "in-memory"
        print(f"clients: {args.clients} threads; {bounds}; {storage} rate limits")

        for server in (engage, bare):
            warm = run_round(server, bodies, args.clients, args.warmup, 30)
            if warm.accepted == 0:
                raise SystemExit(
                    f"{server.name} accepted nothing: {dict(warm.statuses)}; see {server.log}"
                )

        engage_before, bare_before = count_rows()
        print()
        print(
            f"{'round':<10}{'accepted/s':>12}{'p50 ms':>9}{'p95 ms':>9}{'requests':>10}"
            f"{'client CPU':>12}  answers"
        )
        results: dict[str, list[Round]] = {"engage": [], "bare": []}
        for number in range(1, args.rounds + 1):
            for server in (engage, bare):
                r = run_round(server, bodies, args.clients, args.requests, args.seconds)
                results[server.name].append(r)
                load = r.cpu_seconds / r.seconds * 100
                print(
                    f"{server.name + ' ' + str(number):<10}{r.accepted / r.seconds:>12.0f}"
                    f"{percentile(r.latencies, 0.5) * 1000:>9.1f}"
                    f"{percentile(r.latencies, 0.95) * 1000:>9.1f}{r.requests:>10}"
                    f"{load:>11.0f}%  {dict(r.statuses)}"
                )
        for server in servers:
            server.stop()

        report(results)
        engage_accepted = sum(r.accepted for r in results["engage"])
        bare_accepted = sum(r.accepted for r in results["bare"])
        engage_after, bare_after = count_rows()
        print(
            f"stored in the rounds: engage {engage_after - engage_before} responses for "
            f"{engage_accepted} accepted, bare {bare_after - bare_before} rows for "
            f"{bare_accepted} accepted"
        )
    finally:
        for server in servers:
            server.stop()
        for close in closing:
            close()
        drop_database(name)
        print(f"database {name} dropped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
