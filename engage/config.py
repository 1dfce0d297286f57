"""Configuration, read only from the environment.

``ENGAGE_ENV`` selects the profile: ``production`` (the default: a secret key must be
given, cookies are secure), ``development`` (a secret key is generated once and kept in
the instance folder) or ``testing``.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENVIRONMENTS = ("production", "development", "testing")
# The text-analysis backends (see ``analysis.ThemeFinder``); kept here as names so that
# reading the configuration never imports the analysis libraries.
ANALYSIS_BACKENDS = ("tfidf", "semantic", "auto")


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable configuration."""


def _instance_secret_key(instance_path: Path) -> str:
    """Return the development secret key kept in ``instance/secret_key``, creating it."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _database_url(env: Mapping[str, str], instance_path: Path) -> str:
    url = env.get("DATABASE_URL", "").strip()
    if not url:
        instance_path.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{instance_path / 'engage.sqlite'}"
    # Heroku-style URLs and bare "postgresql://" both mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _analysis_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """``ENGAGE_ANALYSIS_BACKEND`` and ``ENGAGE_ANALYSIS_MODEL``.

    Only the backend's name is checked here: the model directory is needed where runs
    are worked on (``engage worker``), so it is checked when a run starts, and a wrong
    one fails that run with a reason the themes page shows.
    """
    backend = env.get("ENGAGE_ANALYSIS_BACKEND", "").strip().lower() or "auto"
    if backend not in ANALYSIS_BACKENDS:
        raise ConfigurationError(
            f"ENGAGE_ANALYSIS_BACKEND must be one of {', '.join(ANALYSIS_BACKENDS)}, "
            f"not {backend!r}."
        )
    model = env.get("ENGAGE_ANALYSIS_MODEL", "").strip()
    return {
        "ANALYSIS_BACKEND": backend,
        "ANALYSIS_MODEL": str(Path(model).expanduser()) if model else None,
    }


def load_config(env: Mapping[str, str], instance_path: Path) -> dict[str, Any]:
    """Build the Flask configuration mapping from environment variables."""
    profile = env.get("ENGAGE_ENV", "production").strip() or "production"
    if profile not in ENVIRONMENTS:
        raise ConfigurationError(
            f"ENGAGE_ENV must be one of {', '.join(ENVIRONMENTS)}, not {profile!r}."
        )
    secret_key = env.get("SECRET_KEY", "").strip()
    if not secret_key:
        if profile == "production":
            raise ConfigurationError(
                "SECRET_KEY must be set in production "
                "(or set ENGAGE_ENV=development to generate one in the instance folder)."
            )
        secret_key = _instance_secret_key(instance_path)

    secure_cookies = profile == "production"
    redis_url = env.get("REDIS_URL", "").strip() or None
    database_url = _database_url(env, instance_path)
    engine_options: dict[str, Any] = {"pool_pre_ping": True}
    if database_url.startswith("sqlite"):
        engine_options = {}

    return {
        "ENGAGE_ENV": profile,
        "TESTING": profile == "testing",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "REDIS_URL": redis_url,
        "JOB_QUEUE_NAME": env.get("JOB_QUEUE_NAME", "engage"),
        "SESSION_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PREFERRED_URL_SCHEME": "https" if secure_cookies else "http",
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024))),
        "WTF_CSRF_TIME_LIMIT": None,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_LOGIN": env.get("RATELIMIT_LOGIN", "10 per minute"),
        "INVITATION_MAX_AGE_DAYS": int(env.get("INVITATION_MAX_AGE_DAYS", "7")),
        **_analysis_settings(env),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
    }


def environ_config(instance_path: Path) -> dict[str, Any]:
    """``load_config`` over ``os.environ``."""
    return load_config(os.environ, instance_path)
