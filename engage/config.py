"""Configuration, read only from the environment.

``SETTINGS`` lists every environment variable Engage reads, with its default, its parser
and its meaning; ``load_config`` reads each of them once from that list and derives the
Flask keys, and the README's configuration table is ``markdown_table()``
(``python -m engage.config --markdown`` prints it).

``ENGAGE_ENV`` selects the profile: ``production`` (the default: a secret key must be
given, cookies are secure), ``development`` (a secret key is generated once and kept in
the instance folder) or ``testing``.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from limits import parse_many

ENVIRONMENTS = ("production", "development", "testing")
# The text-analysis backends (see ``analysis.ThemeFinder``); kept here as names so that
# reading the configuration never imports the analysis libraries.
ANALYSIS_BACKENDS = ("tfidf", "semantic", "auto")


class ConfigurationError(RuntimeError):
    """The environment does not describe a runnable configuration."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One environment variable: its default, how it is read, and what it means.

    ``parse`` gets the value with surrounding blanks removed and raises ``ValueError``
    with a message that reads after the variable's name ("must be …"). An unset or blank
    variable takes ``default`` (parsed the same way); with no default it is ``None``.
    ``key`` is the Flask configuration key the value is stored under (``None``: only used
    to derive others). ``default_note`` describes the default in the README: after the
    value, or instead of it when there is none.
    """

    name: str
    default: str | None
    parse: Callable[[str], Any]
    help: str
    key: str | None = ""
    default_note: str = ""

    def __post_init__(self) -> None:
        if self.key == "":
            object.__setattr__(self, "key", self.name)
        if self.default is None and not self.default_note:
            raise ValueError(f"{self.name}: a setting without a default needs a default_note")

    def read(self, env: Mapping[str, str]) -> Any:
        """The parsed value of this variable in ``env``; ``ConfigurationError`` if bad."""
        raw = env.get(self.name, "").strip() or self.default
        if raw is None:
            return None
        try:
            return self.parse(raw)
        except ValueError as error:
            raise ConfigurationError(f"{self.name} {error}") from None

    def default_markdown(self) -> str:
        """The README's "default" cell."""
        if self.default is None:
            return self.default_note
        shown = f"`{self.default}`"
        return f"{shown} ({self.default_note})" if self.default_note else shown


def _text(raw: str) -> str:
    return raw


def _one_of(choices: Sequence[str], *, fold_case: bool = False) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.lower() if fold_case else raw
        if value not in choices:
            raise ValueError(f"must be one of {', '.join(choices)}, not {value!r}.")
        return value

    return parse


def _positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise ValueError(f"must be a whole number of at least 1, not {raw!r}.")
    return value


def _whole_number(raw: str) -> int:
    if not raw.isdigit():
        raise ValueError(f"must be a whole number of at least 0, not {raw!r}.")
    return int(raw)


def _rate_limit(raw: str) -> str:
    """A Flask-Limiter limit such as ``10 per minute`` or ``10/minute; 100/hour``."""
    try:
        parse_many(raw)
    except ValueError:
        example = "'10 per minute' or '10/minute; 100/hour'"
        raise ValueError(f"must be a rate limit such as {example}, not {raw!r}.") from None
    return raw


def _database_url(raw: str) -> str:
    # Heroku-style URLs and bare "postgresql://" both mean psycopg 3 here.
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def _directory(raw: str) -> str:
    # Only the path is read here: the model directory is needed where runs are worked on
    # (``engage worker``), so it is checked when a run starts, and a wrong one fails that
    # run with a reason the themes page shows.
    return str(Path(raw).expanduser())


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "ENGAGE_ENV",
        "production",
        _one_of(ENVIRONMENTS),
        "`production`, `development` or `testing`",
        default_note="`make run` sets `development`",
    ),
    Setting(
        "DATABASE_URL",
        None,
        _database_url,
        "SQLAlchemy URL; `postgresql://…` uses psycopg 3",
        key=None,
        default_note="SQLite at `instance/engage.sqlite`",
    ),
    Setting(
        "SECRET_KEY",
        None,
        _text,
        "signs sessions and CSRF tokens",
        key=None,
        default_note=(
            "**required in production**; in development generated once and kept in "
            "`instance/secret_key`"
        ),
    ),
    Setting(
        "REDIS_URL",
        None,
        _text,
        "enables the background job queue and rate limits shared between processes",
        default_note="unset: jobs run inline, limits are per process",
    ),
    Setting(
        "JOB_QUEUE_NAME",
        "engage",
        _text,
        "the Redis job queue the web processes fill and `engage worker` empties",
    ),
    Setting(
        "RATELIMIT_LOGIN",
        "10 per minute",
        _rate_limit,
        "failed sign-ins allowed per client address before it must wait (the wait doubles "
        "up to an hour); also limits sign-up and password-reset forms per address",
    ),
    Setting(
        "LOGIN_ACCOUNT_LIMIT",
        "5 per 15 minutes",
        _rate_limit,
        "failed sign-ins allowed per account, from any address, before it must wait "
        "(the wait doubles up to an hour)",
    ),
    Setting(
        "REMEMBER_ME_DAYS",
        "30",
        _positive_int,
        'how long "keep me signed in" lasts on a device, in days',
    ),
    Setting(
        "TRUSTED_PROXY_COUNT",
        "0",
        _whole_number,
        "how many reverse proxies in front of Engage set `X-Forwarded-For`/`-Proto`/`-Host`; "
        "the client address is then taken from those headers",
        default_note="the headers are ignored",
    ),
    Setting(
        "RATELIMIT_SURVEY",
        "600 per minute",
        _rate_limit,
        "survey answers (pages, start and thank-you forms, API) one address may send to one "
        "survey: 600 a minute lets fifty tablets sharing a community centre's connection "
        "each send a page every five seconds",
    ),
    Setting(
        "RATELIMIT_INTERVIEWER",
        "1200 per minute",
        _rate_limit,
        "survey answers a signed-in interviewer or staff member may send, counted per "
        "account instead of per address",
    ),
    Setting(
        "RATELIMIT_RESUME",
        "10 per minute",
        _rate_limit,
        "resume codes one address may try (guessing them is what it stops)",
    ),
    Setting(
        "SUPPRESSION_THRESHOLD",
        "5",
        _positive_int,
        "smallest group of people a count by language, area or demographic group shows "
        "(a campaign can set its own, 2–100, on its settings page)",
    ),
    Setting(
        "INVITATION_MAX_AGE_DAYS",
        "7",
        _positive_int,
        "how long a sign-up link works, in days",
    ),
    Setting(
        "MAX_CONTENT_LENGTH",
        str(16 * 1024 * 1024),
        _positive_int,
        "largest request in bytes (larger ones get 413)",
        default_note="16 MiB",
    ),
    Setting(
        "LOG_FORMAT",
        None,
        _one_of(("json", "text"), fold_case=True),
        "log lines (one per request, see below): `json` objects or `text`",
        default_note="`json` in production, `text` otherwise",
    ),
    Setting(
        "IMPORT_MAX_ROWS",
        "5000",
        _positive_int,
        "most rows an imported spreadsheet (XLSForm, translation file) may have",
    ),
    Setting(
        "IMPORT_MAX_SECONDS",
        "10",
        _positive_int,
        "most seconds spent reading one imported file (keep it under the worker timeout)",
    ),
    Setting(
        "IMPORT_MAX_UNZIPPED_BYTES",
        str(50 * 1024 * 1024),
        _positive_int,
        "most bytes an imported `.xlsx` may unpack to (refuses zip bombs)",
        default_note="50 MiB",
    ),
    Setting(
        "EXPORT_STREAM_LIMIT",
        "5000",
        _positive_int,
        "most responses a staff download streams at once; a larger export is prepared in "
        "the background into a file (keep it what the server sends within its timeout)",
    ),
    Setting(
        "EXPORT_FOLDER",
        None,
        _text,
        "where exports prepared in the background are kept until they expire (24 hours): "
        "a folder the web processes and `engage worker` share",
        default_note="`exports` in the instance folder",
    ),
    Setting(
        "ENGAGE_ANALYSIS_BACKEND",
        "auto",
        _one_of(ANALYSIS_BACKENDS, fold_case=True),
        "text analysis: `tfidf`, `semantic` or `auto` (see below)",
        key="ANALYSIS_BACKEND",
    ),
    Setting(
        "ENGAGE_ANALYSIS_MODEL",
        None,
        _directory,
        "a local sentence-transformers model directory for the analysis",
        key="ANALYSIS_MODEL",
        default_note="the bundled all-MiniLM-L6-v2, when the semantic extra is installed",
    ),
)

ENV_NAMES: frozenset[str] = frozenset(setting.name for setting in SETTINGS)


def read_settings(env: Mapping[str, str]) -> dict[str, Any]:
    """Every setting's parsed value (``None`` when unset without a default), by name."""
    return {setting.name: setting.read(env) for setting in SETTINGS}


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


def _secret_key(profile: str, given: str | None, instance_path: Path) -> str:
    if given:
        return given
    if profile == "production":
        raise ConfigurationError(
            "SECRET_KEY must be set in production "
            "(or set ENGAGE_ENV=development to generate one in the instance folder)."
        )
    return _instance_secret_key(instance_path)


def _sqlite_in(instance_path: Path) -> str:
    instance_path.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{instance_path / 'engage.sqlite'}"


def load_config(env: Mapping[str, str], instance_path: Path) -> dict[str, Any]:
    """Build the Flask configuration mapping from environment variables."""
    values = read_settings(env)
    profile = values["ENGAGE_ENV"]
    secure_cookies = profile == "production"
    database_url = values["DATABASE_URL"] or _sqlite_in(instance_path)
    # Statement parameters hold what residents wrote: keep them out of error messages
    # and so out of the logs. A pooled connection the server dropped (restart, failover,
    # an idle timeout) is noticed on checkout and replaced.
    engine_options: dict[str, Any] = {"hide_parameters": True}
    if not database_url.startswith("sqlite"):
        engine_options["pool_pre_ping"] = True

    return {
        **{setting.key: values[setting.name] for setting in SETTINGS if setting.key},
        "TESTING": profile == "testing",
        "SECRET_KEY": _secret_key(profile, values["SECRET_KEY"], instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "LOG_FORMAT": values["LOG_FORMAT"] or ("json" if profile == "production" else "text"),
        "SESSION_COOKIE_SECURE": secure_cookies,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": secure_cookies,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PREFERRED_URL_SCHEME": "https" if secure_cookies else "http",
        "WTF_CSRF_TIME_LIMIT": None,
        # In process without Redis (see engage.web.rate_limits.LocalMemoryStorage).
        "RATELIMIT_STORAGE_URI": values["REDIS_URL"] or "engage+memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # Fixed windows; in Redis a hit and its headers are one round trip
        # (see engage.web.rate_limits.OneTripFixedWindow).
        "RATELIMIT_STRATEGY": "engage-fixed-window",
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
    }


def environ_config(instance_path: Path) -> dict[str, Any]:
    """``load_config`` over ``os.environ``."""
    return load_config(os.environ, instance_path)


MARKDOWN_HEADER = ("| variable | meaning | default |", "|---|---|---|")


def markdown_table(settings: Sequence[Setting] = SETTINGS) -> str:
    """The README's configuration table: one row per setting, in ``SETTINGS`` order."""
    rows = [f"| `{s.name}` | {s.help} | {s.default_markdown()} |" for s in settings]
    return "\n".join([*MARKDOWN_HEADER, *rows]) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m engage.config --markdown``: print the README's configuration table."""
    parser = argparse.ArgumentParser(
        prog="python -m engage.config", description="Engage's environment variables."
    )
    parser.add_argument(
        "--markdown", action="store_true", help="print the README's configuration table"
    )
    args = parser.parse_args(argv)
    if not args.markdown:
        parser.error("nothing to do: give --markdown")
    sys.stdout.write(markdown_table())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
