"""Background jobs: RQ on Redis when ``REDIS_URL`` is set, inline otherwise.

A pilot on one machine needs no Redis: a job then runs at once, in the request that
asked for it. With Redis, ``engage worker`` processes run the jobs, and any number of
them can run on any number of machines.

A job is named by the dotted path of a function that takes the database session as its
first argument; the worker runs it inside an application context and commits: a job owns
its transaction. A service asks for a job with :func:`enqueue_after_commit`, so that the
job is sent only once what it needs is committed (by the request's unit of work, the
job runner or a command), and not at all if that is rolled back.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from engage.extensions import db

log = logging.getLogger(__name__)

QUEUE_NAME = "engage"
JOB_TIMEOUT_SECONDS = 60 * 60


def _resolve(path: str) -> Callable[..., Any]:
    module_name, _, attribute = path.rpartition(".")
    if not module_name.startswith(("engage.", "tests.")):
        raise ValueError(f"not a job: {path}")
    return getattr(importlib.import_module(module_name), attribute)


def run_job(path: str, *args: Any) -> Any:
    """Run the job ``path`` with the session and ``args``; commit, or roll back on error."""
    if has_app_context():
        return _run_here(path, args)
    from engage import create_app

    app: Flask = create_app()
    with app.app_context():
        return _run_here(path, args)


def _run_here(path: str, args: tuple[Any, ...]) -> Any:
    function = _resolve(path)
    try:
        result = function(db.session, *args)
        db.session.commit()
    except Exception:
        discard_after_commit(db.session)
        db.session.rollback()
        raise
    dispatch_after_commit(db.session)
    return result


_AFTER_COMMIT = "engage_jobs_after_commit"


def enqueue_after_commit(session: Session, path: str, *args: Any, coalesce: bool = False) -> None:
    """Send job ``path`` once ``session`` commits; the same job and arguments go once.

    With ``coalesce`` (a job that does all there is to do, whenever it runs, such as
    placing a campaign's new feedback), it is not queued again while it waits: see
    :func:`enqueue`.
    """
    _resolve(path)  # fail now, where it was asked for, for a misspelt job
    session.info.setdefault(_AFTER_COMMIT, {})[(path, args)] = coalesce


def dispatch_after_commit(session: Session) -> None:
    """Send the jobs asked for since the last commit (call right after committing)."""
    for (path, args), coalesce in session.info.pop(_AFTER_COMMIT, {}).items():
        try:
            enqueue(path, *args, coalesce=coalesce)
        except Exception:  # what asked for the job is committed: never answer it with an error
            log.exception("job %s%r failed", path, args)


def discard_after_commit(session: Session) -> None:
    """Forget the jobs asked for: what they needed was rolled back."""
    session.info.pop(_AFTER_COMMIT, None)


def queue(app: Flask | None = None):  # type: ignore[no-untyped-def]
    """The RQ queue, or ``None`` when no Redis is configured."""
    app = app or current_app._get_current_object()  # type: ignore[attr-defined]
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis
    from rq import Queue

    name = app.config.get("JOB_QUEUE_NAME", QUEUE_NAME)
    clients = app.extensions.setdefault("engage_redis_clients", {})
    if url not in clients:  # one client (and connection pool) per process, not per job
        clients[url] = Redis.from_url(url)
    return Queue(name, connection=clients[url])


def enqueue(path: str, *args: Any, coalesce: bool = False) -> str | None:
    """Run the job in the background (Redis) or right away (no Redis).

    Returns the RQ job id, or ``None`` when the job already ran inline or, with
    ``coalesce``, when the same job is already waiting (it will find this work too: it
    forgets that it waits as it starts, so work that comes later queues it again).
    """
    _resolve(path)  # fail now, in the request, for a misspelt job
    rq_queue = queue()
    if rq_queue is None:
        run_job(path, *args)
        return None
    if coalesce:
        key = _waiting_key(path, args)
        if not rq_queue.connection.set(key, "1", nx=True, ex=JOB_TIMEOUT_SECONDS):
            return None
        try:
            job = rq_queue.enqueue_call(
                "engage.jobs.run_waiting_job", args=(key, path, *args), timeout=JOB_TIMEOUT_SECONDS
            )
        except Exception:
            rq_queue.connection.delete(key)  # not waiting after all: the next request queues it
            raise
        return job.id
    job = rq_queue.enqueue_call(
        "engage.jobs.run_job", args=(path, *args), timeout=JOB_TIMEOUT_SECONDS
    )
    return job.id


def _waiting_key(path: str, args: tuple[Any, ...]) -> str:
    return f"engage:waiting:{path}:{args!r}"


def run_waiting_job(key: str, path: str, *args: Any) -> Any:
    """A coalesced job, run by the worker: no longer waiting, then :func:`run_job`."""
    from rq import get_current_job

    job = get_current_job()
    if job is not None:
        job.connection.delete(key)
    return run_job(path, *args)


def work(app: Flask, *, burst: bool = False, fork: bool = True) -> None:
    """Process jobs until stopped (or, with ``burst``, until the queue is empty)."""
    from rq import SimpleWorker, Worker

    rq_queue = queue(app)
    if rq_queue is None:
        raise RuntimeError("REDIS_URL is not set: jobs run inline and need no worker.")
    # A forked job must not share the parent's pooled database connections.
    db.session.remove()
    for engine in db.engines.values():
        engine.dispose()
    worker_class = Worker if fork else SimpleWorker
    worker = worker_class([rq_queue], connection=rq_queue.connection)
    worker.work(burst=burst, logging_level="INFO")
