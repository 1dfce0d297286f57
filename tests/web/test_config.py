from __future__ import annotations

import re
from pathlib import Path

import pytest

from engage.config import ENV_NAMES, SETTINGS, ConfigurationError, load_config
from tests.support.databases import make_app


def test_production_requires_a_secret_key(tmp_path):
    with pytest.raises(ConfigurationError, match="SECRET_KEY"):
        load_config({"ENGAGE_ENV": "production"}, tmp_path)


def test_development_generates_and_keeps_a_secret_key(tmp_path):
    first = load_config({"ENGAGE_ENV": "development"}, tmp_path)["SECRET_KEY"]
    second = load_config({"ENGAGE_ENV": "development"}, tmp_path)["SECRET_KEY"]
    assert len(first) >= 40
    assert first == second
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_defaults_to_sqlite_in_the_instance_folder(tmp_path):
    config = load_config({"ENGAGE_ENV": "development"}, tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'engage.sqlite'}"


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_postgres_urls_use_psycopg3(tmp_path, scheme):
    config = load_config({"ENGAGE_ENV": "testing", "DATABASE_URL": f"{scheme}://u@h/db"}, tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


def test_redis_url_switches_rate_limits_to_redis(tmp_path):
    config = load_config(
        {"ENGAGE_ENV": "testing", "REDIS_URL": "redis://127.0.0.1:6379/0"}, tmp_path
    )
    assert config["RATELIMIT_STORAGE_URI"] == "redis://127.0.0.1:6379/0"
    assert load_config({"ENGAGE_ENV": "testing"}, tmp_path)["RATELIMIT_STORAGE_URI"] == (
        "engage+memory://"
    )


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="ENGAGE_ENV"):
        load_config({"ENGAGE_ENV": "staging"}, tmp_path)


def test_analysis_defaults_to_the_auto_backend_and_the_bundled_model(tmp_path):
    config = load_config({"ENGAGE_ENV": "testing"}, tmp_path)
    assert (config["ANALYSIS_BACKEND"], config["ANALYSIS_MODEL"]) == ("auto", None)


def test_analysis_backend_and_model_come_from_the_environment(tmp_path):
    config = load_config(
        {
            "ENGAGE_ENV": "testing",
            "ENGAGE_ANALYSIS_BACKEND": " Semantic ",
            "ENGAGE_ANALYSIS_MODEL": "~/models/multilingual ",
        },
        tmp_path,
    )
    assert config["ANALYSIS_BACKEND"] == "semantic"
    assert config["ANALYSIS_MODEL"] == str(Path("~/models/multilingual").expanduser())


def test_an_unknown_analysis_backend_is_refused_at_start_up(tmp_path):
    with pytest.raises(ConfigurationError, match="ENGAGE_ANALYSIS_BACKEND must be one of"):
        load_config({"ENGAGE_ENV": "testing", "ENGAGE_ANALYSIS_BACKEND": "bert"}, tmp_path)


def test_analysis_settings_can_be_given_to_create_app(tmp_path):
    app = make_app(
        f"sqlite:///{tmp_path / 'engage.sqlite'}",
        ENGAGE_ANALYSIS_BACKEND="tfidf",
        ENGAGE_ANALYSIS_MODEL=str(tmp_path / "model"),
    )
    assert app.config["ANALYSIS_BACKEND"] == "tfidf"
    assert app.config["ANALYSIS_MODEL"] == str(tmp_path / "model")


def test_every_setting_has_a_default_that_parses(tmp_path):
    config = load_config({"ENGAGE_ENV": "testing"}, tmp_path)
    assert config["RATELIMIT_LOGIN"] == "10 per minute"
    assert config["RATELIMIT_SURVEY"] == "600 per minute"
    assert config["RATELIMIT_INTERVIEWER"] == "1200 per minute"
    assert config["RATELIMIT_RESUME"] == "10 per minute"
    assert config["INVITATION_MAX_AGE_DAYS"] == 7
    assert config["MAX_CONTENT_LENGTH"] == 16 * 1024 * 1024
    assert config["JOB_QUEUE_NAME"] == "engage"
    assert config["REDIS_URL"] is None


def test_settings_are_read_once_from_one_list():
    names = [setting.name for setting in SETTINGS]
    assert len(names) == len(set(names))
    assert frozenset(names) == ENV_NAMES
    keys = [setting.key for setting in SETTINGS if setting.key]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("RATELIMIT_SURVEY", "5/minute; 50/hour", "5/minute; 50/hour"),
        ("RATELIMIT_LOGIN", " 3 per minute ", "3 per minute"),
        ("INVITATION_MAX_AGE_DAYS", "14", 14),
        ("MAX_CONTENT_LENGTH", "1024", 1024),
        ("JOB_QUEUE_NAME", "engage-staging", "engage-staging"),
        ("LOGIN_ACCOUNT_LIMIT", "3 per hour", "3 per hour"),
        ("REMEMBER_ME_DAYS", "7", 7),
        ("TRUSTED_PROXY_COUNT", "2", 2),
        ("TRUSTED_PROXY_COUNT", "0", 0),
    ],
)
def test_settings_come_from_the_environment(tmp_path, name, raw, expected):
    assert load_config({"ENGAGE_ENV": "testing", name: raw}, tmp_path)[name] == expected


@pytest.mark.parametrize("name", ["RATELIMIT_SURVEY", "INVITATION_MAX_AGE_DAYS", "JOB_QUEUE_NAME"])
def test_a_blank_setting_takes_its_default(tmp_path, name):
    blank = load_config({"ENGAGE_ENV": "testing", name: "  "}, tmp_path)
    assert blank[name] == load_config({"ENGAGE_ENV": "testing"}, tmp_path)[name]


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("INVITATION_MAX_AGE_DAYS", "abc"),
        ("INVITATION_MAX_AGE_DAYS", "0"),
        ("INVITATION_MAX_AGE_DAYS", "1.5"),
        ("MAX_CONTENT_LENGTH", "-1"),
        ("MAX_CONTENT_LENGTH", "16M"),
        ("RATELIMIT_LOGIN", "ten a minute"),
        ("RATELIMIT_SURVEY", "120 per fortnight"),
        ("LOGIN_ACCOUNT_LIMIT", "five"),
        ("REMEMBER_ME_DAYS", "0"),
        ("TRUSTED_PROXY_COUNT", "-1"),
        ("TRUSTED_PROXY_COUNT", "one"),
    ],
)
def test_a_bad_value_is_refused_naming_the_variable(tmp_path, name, raw):
    with pytest.raises(ConfigurationError, match=rf"^{name} must be .*{re.escape(repr(raw))}"):
        load_config({"ENGAGE_ENV": "testing", name: raw}, tmp_path)


def test_env_style_settings_can_be_given_to_create_app(tmp_path):
    app = make_app(
        f"sqlite:///{tmp_path / 'engage.sqlite'}",
        RATELIMIT_SURVEY="7 per minute",
        INVITATION_MAX_AGE_DAYS=3,
        MAX_CONTENT_LENGTH=2048,
    )
    assert app.config["RATELIMIT_SURVEY"] == "7 per minute"
    assert app.config["INVITATION_MAX_AGE_DAYS"] == 3
    assert app.config["MAX_CONTENT_LENGTH"] == 2048


def test_create_app_reads_overrides_named_like_variables_as_the_environment(tmp_path):
    with pytest.raises(ConfigurationError, match=r"^INVITATION_MAX_AGE_DAYS must be"):
        make_app(f"sqlite:///{tmp_path / 'engage.sqlite'}", INVITATION_MAX_AGE_DAYS="abc")
