"""Property-based tests (hypothesis): odd input anywhere never ends in a 500.

Every test here runs on SQLite and PostgreSQL through the ``app`` fixture: hypothesis
runs all of a test's examples inside that one rolled-back transaction (the fixture is
set up once per test, not per example, which is what these tests want: state left by
one example is just more odd input for the next).

Profiles: ``engage`` (the default) draws fresh examples each run; with ``CI`` set the
``ci`` profile is derandomized, so a run is repeatable. ``HYPOTHESIS_PROFILE`` picks
one by name (``thorough`` draws ten times as many examples, for a local hunt).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

from engage.extensions import limiter

_COMMON = {
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
    ],
}
_LOCAL_DATABASE = Path(__file__).resolve().parents[2] / ".pytest_cache" / "hypothesis"

settings.register_profile(
    "engage",
    max_examples=40,
    database=DirectoryBasedExampleDatabase(str(_LOCAL_DATABASE)),
    **_COMMON,
)
settings.register_profile("ci", max_examples=40, derandomize=True, database=None, **_COMMON)
settings.register_profile("thorough", max_examples=400, database=None, **_COMMON)
_CI = os.environ.get("CI", "").lower() not in ("", "0", "false")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if _CI else "engage"))


def examples(fraction: float) -> settings:
    """This test's share of the profile's examples (for tests whose example is costly)."""
    return settings(max_examples=max(3, int(settings.default.max_examples * fraction)))


@pytest.fixture(autouse=True)
def _no_rate_limits(request: pytest.FixtureRequest) -> Iterator[None]:
    """Hundreds of posts from one address: the limits would answer 429 before the code.

    Switched off once the app exists (an app made while it is off would keep it off).
    """
    if "app" in request.fixturenames:
        request.getfixturevalue("app")
    enabled = limiter.enabled
    limiter.enabled = False
    yield
    limiter.enabled = enabled


@pytest.fixture
def no_csrf(app, monkeypatch: pytest.MonkeyPatch) -> None:
    """Forms accept posts without a token, so fuzzed values reach the form's checks."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", False)
