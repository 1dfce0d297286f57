"""Sign-in throttling: per account and per client address, with a growing wait.

Failed sign-ins are counted in a moving window (the ``limits`` library) in the
rate-limit storage: Redis when ``REDIS_URL`` is set, so every process counts together,
memory in one process otherwise. When an account (``LOGIN_ACCOUNT_LIMIT``) or an
address (``RATELIMIT_LOGIN``) reaches its limit it is locked: the next attempt is
refused before the password is looked at, for a wait that doubles with each lock
(``BASE_WAIT`` seconds, then twice that …, at most ``MAX_WAIT``). A successful sign-in
clears the account's count; the address keeps its own.

If Redis cannot be reached the counting goes on in the process's memory (and is
logged), so that sign-in neither fails nor goes unthrottled.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from engage.accounts.services import normalise_email

BASE_WAIT = 60
MAX_WAIT = 3600
NAMESPACE = "engage-login"
EXTENSION = "engage_login_throttle"

log = logging.getLogger(__name__)
T = TypeVar("T")


def backoff_seconds(locks: int) -> int:
    """The wait imposed by the ``locks``-th lock in a row: it doubles, up to ``MAX_WAIT``."""
    return min(BASE_WAIT * 2 ** max(locks - 1, 0), MAX_WAIT)


@dataclass
class LoginThrottle:
    """The failure counts and locks of one application, in its rate-limit storage."""

    storage: Storage
    account_limit: RateLimitItem
    address_limit: RateLimitItem
    fallback: Storage = field(default_factory=MemoryStorage)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LoginThrottle:
        return cls(
            storage=storage_from_string(config["RATELIMIT_STORAGE_URI"], wrap_exceptions=True),
            account_limit=parse(config["LOGIN_ACCOUNT_LIMIT"]),
            address_limit=parse(config["RATELIMIT_LOGIN"]),
        )

    def _scopes(self, email: str, address: str | None) -> list[tuple[str, str, RateLimitItem]]:
        account = hashlib.sha256(normalise_email(email).encode()).hexdigest()[:32]
        return [
            ("account", account, self.account_limit),
            ("address", address or "unknown", self.address_limit),
        ]

    def _lock_key(self, scope: str, key: str) -> str:
        return f"{NAMESPACE}/lock/{scope}/{key}"

    def _strikes_key(self, scope: str, key: str) -> str:
        return f"{NAMESPACE}/strikes/{scope}/{key}"

    def _using_storage(self, work: Callable[[Storage], T]) -> T:
        try:
            return work(self.storage)
        except StorageError as error:
            log.error("sign-in throttle storage unavailable, counting in memory: %s", error)
            return work(self.fallback)

    def retry_after(self, email: str, address: str | None) -> int:
        """Seconds until this account and address may try again; 0: they may now."""

        def work(storage: Storage) -> int:
            wait = 0.0
            for scope, key, _limit in self._scopes(email, address):
                lock = self._lock_key(scope, key)
                if storage.get(lock):
                    wait = max(wait, storage.get_expiry(lock) - time.time(), 1)
            return math.ceil(wait)

        return self._using_storage(work)

    def record_failure(self, email: str, address: str | None) -> None:
        """Count a failed sign-in; lock the account or address that reached its limit."""

        def work(storage: Storage) -> None:
            window = MovingWindowRateLimiter(storage)
            for scope, key, limit in self._scopes(email, address):
                window.hit(limit, NAMESPACE, scope, key)
                if window.test(limit, NAMESPACE, scope, key):
                    continue
                # Locks in a row are remembered for a quiet window plus the longest wait.
                strikes = storage.incr(self._strikes_key(scope, key), limit.get_expiry() + MAX_WAIT)
                storage.incr(self._lock_key(scope, key), backoff_seconds(strikes))

        self._using_storage(work)

    def record_success(self, email: str) -> None:
        """A successful sign-in: the account starts counting afresh."""
        scope, key, limit = self._scopes(email, None)[0]

        def work(storage: Storage) -> None:
            MovingWindowRateLimiter(storage).clear(limit, NAMESPACE, scope, key)
            storage.clear(self._lock_key(scope, key))
            storage.clear(self._strikes_key(scope, key))

        self._using_storage(work)

    def reset(self) -> None:
        """Forget every count and lock (tests start from nothing)."""
        self._using_storage(lambda storage: storage.reset())
        self.fallback.reset()


def init_throttle(app: Flask) -> None:
    app.extensions[EXTENSION] = LoginThrottle.from_config(app.config)


def login_throttle() -> LoginThrottle:
    """The current application's throttle."""
    return current_app.extensions[EXTENSION]
