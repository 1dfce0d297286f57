from __future__ import annotations

import pytest

from engage.config import ConfigurationError, load_config


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
        "memory://"
    )


def test_unknown_environment_is_refused(tmp_path):
    with pytest.raises(ConfigurationError, match="ENGAGE_ENV"):
        load_config({"ENGAGE_ENV": "staging"}, tmp_path)
