"""Rate limits that fit the field: who is counted, in which bucket, against which setting.

Residents' answers to a survey (its pages, its start and thank-you forms, and the JSON
intake) share one bucket per *address and survey*, ``RATELIMIT_SURVEY`` (600 a minute
by default): fifty tablets on one community-centre connection at a listening event send
each a page every few seconds, and a busy survey does not hold up another one answered
from the same place. Signed-in users who may enter responses (interviewers, staff) are
not counted with the anonymous visitors of their address: they count per account,
against ``RATELIMIT_INTERVIEWER``. Guessing a resume code counts per address
(``RATELIMIT_RESUME``), and signing in per address (``RATELIMIT_LOGIN``).

Every limit is read from the application's configuration when a request is counted, so
each comes from the environment (see ``engage.config.SETTINGS``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from flask import Flask, current_app, g, has_request_context, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import RateLimitItem
from limits.storage import MemoryStorage, RedisStorage
from limits.strategies import STRATEGIES, FixedWindowRateLimiter, WindowStats

from engage.extensions import limiter
from engage.permissions import Permission, user_can

F = TypeVar("F", bound=Callable[..., Any])

SURVEY_SCOPE = "survey-answers"


def setting(name: str) -> Callable[[], str]:
    """The limit configured as ``name``, read at each request."""
    return lambda: current_app.config[name]


def address_and_survey() -> str:
    """The bucket of an anonymous answer: the client's address and the survey's slug."""
    slug = (request.view_args or {}).get("slug", "")
    return f"{get_remote_address()}/{slug}"


def signed_in_account() -> str:
    """The bucket of a signed-in user's answers: the account."""
    return f"user:{current_user.get_id()}"


def enters_responses() -> bool:
    """Whether the request comes from a signed-in user who may enter responses (asked
    once per request: the bucket and the limit both depend on it)."""
    known = g.get("_engage_enters_responses")
    if known is None:
        # Signing in (the session or the remember-me cookie) needs a cookie: without any,
        # as from the JSON intake's clients, no user is loaded to find that out.
        known = g._engage_enters_responses = "HTTP_COOKIE" in request.environ and user_can(
            current_user, Permission.ENTER_RESPONSES
        )
    return known


def _answers_bucket() -> str:
    return signed_in_account() if enters_responses() else address_and_survey()


def _answers_limit() -> str:
    name = "RATELIMIT_INTERVIEWER" if enters_responses() else "RATELIMIT_SURVEY"
    return current_app.config[name]


def survey_answers(methods: list[str] | None = None) -> Callable[[F], F]:
    """Limit a view that takes answers to the survey ``<slug>`` (see the module text).

    One limit whose bucket and setting depend on who asks (the account of a signed-in
    user who enters responses, else the address and survey): a request is counted
    once, not checked against two limits of which one is exempt.
    ``methods`` restricts counting to those HTTP methods (e.g. ``["POST"]``).
    """
    return limiter.shared_limit(
        _answers_limit, scope=SURVEY_SCOPE, key_func=_answers_bucket, methods=methods
    )


class LocalMemoryStorage(MemoryStorage):
    """``limits``' in-process storage without a thread started per counted request.

    ``MemoryStorage`` starts a ``threading.Timer`` to drop expired counters whenever the
    previous one has finished, that is on nearly every request of a busy worker (a thread
    start costs more than the count itself). Expired counters are already ignored when
    read; here the sweep that frees their memory runs in line, at most once a second.
    Used for ``memory`` limits (no ``REDIS_URL``) as ``engage+memory://``.
    """

    STORAGE_SCHEME = ["engage+memory"]
    SWEEP_EVERY = 1.0  # seconds

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: Any):
        self._next_sweep = 0.0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._next_sweep:
            self._next_sweep = now + self.SWEEP_EVERY
            self._MemoryStorage__expire_events()  # type: ignore[attr-defined]


# Count a hit and read back the counter and its time to live, in one round trip (the
# counter of a new window expires with it, as in ``limits``' own ``incr_expire``).
_INCR_EXPIRE_TTL = """
local current = redis.call("incrby", KEYS[1], ARGV[2])
if tonumber(current) == tonumber(ARGV[2]) then
    redis.call("expire", KEYS[1], ARGV[1])
end
return {current, redis.call("ttl", KEYS[1])}
"""

_WINDOWS = "engage.rate_limit_windows"


class OneTripFixedWindow(FixedWindowRateLimiter):
    """``limits``' fixed window, counting a hit in Redis in one round trip, headers included.

    Flask-Limiter counts a request (one round trip to Redis: ``EVALSHA``) and then, for
    the ``X-RateLimit-*`` and ``Retry-After`` headers, asks for the counter and its
    expiry (two more: ``GET``, ``TTL``). Here the script that counts also returns the
    counter's time to live, and what it returned answers the headers of the same
    request: the figures as this request left them. Any other storage (memory, and
    in-memory fallback) is counted as ``FixedWindowRateLimiter`` does.
    """

    def __init__(self, storage: Any) -> None:
        super().__init__(storage)
        self._script = None
        # ``get_connection`` and ``prefixed_key`` are RedisStorage's (limits 5.8);
        # without them the hit is counted as FixedWindowRateLimiter does.
        usable = all(hasattr(storage, name) for name in ("get_connection", "prefixed_key"))
        if isinstance(storage, RedisStorage) and usable:
            self._script = storage.get_connection().register_script(_INCR_EXPIRE_TTL)

    def hit(self, item: RateLimitItem, *identifiers: str, cost: int = 1) -> bool:
        if self._script is None:
            return super().hit(item, *identifiers, cost=cost)
        key = item.key_for(*identifiers)
        storage: RedisStorage = self.storage  # type: ignore[assignment]
        count, ttl = self._script([storage.prefixed_key(key)], [item.get_expiry(), cost])
        count = int(count)
        if has_request_context():
            reset = max(int(ttl), 0) + time.time()
            request.environ.setdefault(_WINDOWS, {})[key] = WindowStats(
                reset, max(0, item.amount - count)
            )
        return count <= item.amount

    def get_window_stats(self, item: RateLimitItem, *identifiers: str) -> WindowStats:
        if has_request_context():
            known = request.environ.get(_WINDOWS, {}).get(item.key_for(*identifiers))
            if known is not None:
                return known
        return super().get_window_stats(item, *identifiers)


ONE_TRIP_FIXED_WINDOW = "engage-fixed-window"
STRATEGIES[ONE_TRIP_FIXED_WINDOW] = OneTripFixedWindow  # type: ignore[assignment]


def skip_idle_request_check(app: Flask) -> None:
    """Drop Flask-Limiter's check before every request when it has nothing to check.

    Flask-Limiter looks for limits twice per request: before it (application, default,
    blueprint and meta limits) and in each limited view. Engage sets only limits on
    views, which the second check counts; the first found nothing and cost a tenth of a
    millisecond on every request. It is kept when the limiter holds any limit of the
    first kind (set by any app's configuration: the limiter is one per process). Call it
    once the blueprints are registered.
    """
    # These are Flask-Limiter's internals: where a release names them otherwise, the
    # check stays (never a limit skipped, only the saving lost).
    manager = getattr(limiter, "limit_manager", None)
    check = getattr(limiter, "_check_request_limit", None)
    held = [
        getattr(manager, name, True)
        for name in ("_application_limits", "_default_limits", "_blueprint_limits")
    ]
    if (
        manager is None
        or check is None
        or any(held)
        or getattr(limiter, "_meta_limits", True)
        or any(app.config.get(name) for name in _REQUEST_WIDE_SETTINGS)
    ):
        return
    hooks = app.before_request_funcs.get(None, [])
    app.before_request_funcs[None] = [h for h in hooks if h != check]


_REQUEST_WIDE_SETTINGS = ("RATELIMIT_DEFAULT", "RATELIMIT_APPLICATION", "RATELIMIT_META")
