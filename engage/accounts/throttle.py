"""Sign-in throttling: per account and per client address, with a growing wait.

Failed sign-ins are counted in a moving window (the ``limits`` library) in the
rate-limit storage: Redis when ``REDIS_URL`` is set, so every process counts together,
memory in one process otherwise. When an account (``LOGIN_ACCOUNT_LIMIT``) or an
address (``RATELIMIT_LOGIN``) reaches its limit it is locked: the next attempt is
refused before the password is looked at, for a wait that doubles with each lock
(``BASE_WAIT`` seconds, then twice that …, at most ``MAX_WAIT``). A successful sign-in
clears the account's count; the address keeps its own.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from engage.accounts.services import normalise_email

BASE_WAIT = 60
MAX_WAIT = 3600
NAMESPACE = "engage-login"
EXTENSION = "engage_login_throttle"


def backoff_seconds(locks: int) -> int:
    """The wait imposed by the ``locks``-th lock in a row: it doubles, up to ``MAX_WAIT``."""
    return min(BASE_WAIT * 2 ** max(locks - 1, 0), MAX_WAIT)


@dataclass
class LoginThrottle:
    """The failure counts and locks of one application, in its rate-limit storage."""

    storage: Storage
    account_limit: RateLimitItem
    address_limit: RateLimitItem

    def __post_init__(self) -> None:
        self.window = MovingWindowRateLimiter(self.storage)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LoginThrottle:
        return cls(
            storage=storage_from_string(config["RATELIMIT_STORAGE_URI"]),
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

    def retry_after(self, email: str, address: str | None) -> int:
        """Seconds until this account and address may try again; 0: they may now."""
        wait = 0.0
        for scope, key, _limit in self._scopes(email, address):
            lock = self._lock_key(scope, key)
            if self.storage.get(lock):
                wait = max(wait, self.storage.get_expiry(lock) - time.time(), 1)
        return math.ceil(wait)

    def record_failure(self, email: str, address: str | None) -> None:
        """Count a failed sign-in; lock the account or address that reached its limit."""
        for scope, key, limit in self._scopes(email, address):
            self.window.hit(limit, NAMESPACE, scope, key)
            if self.window.test(limit, NAMESPACE, scope, key):
                continue
            # Locks in a row are remembered for a quiet window plus the longest wait.
            strikes = self.storage.incr(
                self._strikes_key(scope, key), limit.get_expiry() + MAX_WAIT
            )
            self.storage.incr(self._lock_key(scope, key), backoff_seconds(strikes))

    def record_success(self, email: str) -> None:
        """A successful sign-in: the account starts counting afresh."""
        scope, key, limit = self._scopes(email, None)[0]
        self.window.clear(limit, NAMESPACE, scope, key)
        self.storage.clear(self._lock_key(scope, key))
        self.storage.clear(self._strikes_key(scope, key))

    def reset(self) -> None:
        """Forget every count and lock (tests start from nothing)."""
        self.storage.reset()


def init_throttle(app: Flask) -> None:
    app.extensions[EXTENSION] = LoginThrottle.from_config(app.config)


def login_throttle() -> LoginThrottle:
    """The current application's throttle."""
    return current_app.extensions[EXTENSION]
