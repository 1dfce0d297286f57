"""Gunicorn's settings for serving Engage in production.

    gunicorn -c gunicorn.conf.py 'engage:create_app()'

The address comes from gunicorn itself: ``-b HOST:PORT`` (or ``PORT`` in the environment:
``0.0.0.0:$PORT``; otherwise ``127.0.0.1:8000``). Behind the reverse proxy keep it on
loopback or a Unix socket (``-b unix:/run/engage/gunicorn.sock``). Any setting here can be
overridden on the command line or with ``GUNICORN_CMD_ARGS="--timeout 60"``.

Environment variables read here:

- ``WEB_CONCURRENCY`` — worker processes (default: 2 × CPU cores + 1, at most 8).
- ``FORWARDED_ALLOW_IPS`` — the proxies whose ``X-Forwarded-Proto`` gunicorn believes
  (default ``127.0.0.1,::1``: a proxy on the same machine).

Reloading: ``kill -HUP <master pid>`` starts new workers with the current code and
configuration and lets the old ones finish their requests (``graceful_timeout``); nothing
in flight is dropped. ``kill -TERM`` stops the same graceful way.
"""

from __future__ import annotations

import os


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use (containers)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _workers() -> int:
    given = os.environ.get("WEB_CONCURRENCY", "").strip()
    if given:
        return max(1, int(given))
    # Sync workers wait on the database; 2n + 1 keeps the cores busy. Each worker holds
    # its own connection pool and memory, so more than 8 rarely helps one machine: scale
    # out with more machines instead.
    return min(2 * _cores() + 1, 8)


# One request per worker at a time: the request is one database transaction and Engage's
# pages are short. Keep-alive is not used by sync workers (the proxy keeps its own).
worker_class = "sync"
workers = _workers()

# A worker silent for this long is killed and replaced (the request gets 502 from the
# proxy). Imports are bounded well below it; a response export larger than
# EXPORT_STREAM_LIMIT is prepared by `engage worker`, not in the request.
timeout = 30
# On reload (SIGHUP) or stop (SIGTERM), the time old workers get to finish their requests.
graceful_timeout = 20
# Only used by threaded or asynchronous workers; a proxy in front keeps connections open.
keepalive = 5

# Replace each worker after about ten thousand requests (the jitter keeps them from all
# restarting at once): memory that a library keeps is returned. A restart costs a worker
# about a second of booting the app, so it should be rare at the busiest moment: at a
# thousand requests per worker, a full-speed intake lost about a fifth of its capacity.
max_requests = 10000
max_requests_jitter = 1000

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# No gunicorn access log: the application writes one structured line per request
# (``engage.requests``, see ``LOG_FORMAT``) with its status, duration, user and request id.
accesslog = None
errorlog = "-"
loglevel = "info"

# Not preloaded: each worker builds the app (and its database pool) itself, after the
# fork, so no database connection is ever shared between processes, and a SIGHUP reload
# really loads new code.
preload_app = False

# The workers' heartbeat files in memory, not on a disk that may stall (containers).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"
