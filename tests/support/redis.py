from __future__ import annotations

import os

import pytest

REDIS_URL = os.environ.get("ENGAGE_TEST_REDIS", "redis://127.0.0.1:6379/15")


def require_redis() -> str:
    """The test Redis URL; skip (or, in CI, fail) when no Redis answers."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisConnectionError

    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except RedisConnectionError as error:
        message = f"Redis unavailable at {REDIS_URL}: {error}"
        if os.environ.get("ENGAGE_REQUIRE_REDIS", "") not in ("", "0"):
            pytest.fail(message)
        pytest.skip(message)
    return REDIS_URL
