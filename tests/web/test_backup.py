"""``engage backup`` and ``engage restore`` on a real SQLite file."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade

from engage.cli import backup_command, restore_command
from engage.extensions import db
from engage.models import Campaign
from tests.support.databases import make_app, make_migrated_app


@pytest.fixture
def sqlite_app(database_factory):
    return make_migrated_app(database_factory.create("sqlite"))


def _db_file(app):
    return sa.engine.make_url(app.config["SQLALCHEMY_DATABASE_URI"]).database


def _add_campaign(app, slug):
    with app.app_context():
        db.session.add(Campaign(slug=slug, title=slug.title(), languages=["en"]))
        db.session.commit()


def _campaign_slugs(app):
    with app.app_context():
        slugs = set(db.session.scalars(sa.select(Campaign.slug)))
        db.session.remove()
        return slugs


def _invoke(app, command, *args):
    return app.test_cli_runner().invoke(command, [str(a) for a in args])


def test_backup_then_restore_brings_back_the_data(sqlite_app, tmp_path):
    _add_campaign(sqlite_app, "before")
    target = tmp_path / "engage-backup.sqlite"
    result = _invoke(sqlite_app, backup_command, target)
    assert result.exit_code == 0, result.output
    assert "Backup written" in result.output
    _add_campaign(sqlite_app, "after")

    result = _invoke(sqlite_app, restore_command, target, "--yes")

    assert result.exit_code == 0, result.output
    assert "engage db upgrade" not in result.output
    assert _campaign_slugs(sqlite_app) == {"before"}
    live = Path(_db_file(sqlite_app))
    [kept] = live.parent.glob(f"{live.name}.before-restore-*")
    with sqlite3.connect(kept) as connection:
        assert {r[0] for r in connection.execute("SELECT slug FROM campaigns")} == {
            "before",
            "after",
        }
    assert "kept at" in result.output


def test_backup_is_consistent_while_the_app_writes(sqlite_app, tmp_path):
    path = _db_file(sqlite_app)
    stop = threading.Event()
    written = []

    def write_pairs():
        # Each transaction adds two campaigns: a consistent copy holds an even number.
        connection = sqlite3.connect(path, timeout=10, isolation_level=None)
        n = 0
        while not stop.is_set():
            connection.execute("BEGIN IMMEDIATE")
            for half in ("a", "b"):
                connection.execute(
                    "INSERT INTO campaigns (slug, title, purpose, target_population, areas,"
                    " languages, baseline, status, created_at, updated_at)"
                    " VALUES (?, 'x', '', '', '[]', '[\"en\"]', '{}', 'draft',"
                    " '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
                    (f"w{n}{half}",),
                )
            connection.execute("COMMIT")
            n += 1
            written.append(n)
        connection.close()

    writer = threading.Thread(target=write_pairs)
    writer.start()
    try:
        deadline = time.monotonic() + 5
        while len(written) < 20 and time.monotonic() < deadline:
            time.sleep(0.01)
        results = [
            _invoke(sqlite_app, backup_command, tmp_path / f"copy{i}.sqlite") for i in range(3)
        ]
    finally:
        stop.set()
        writer.join(timeout=10)
    assert [r.exit_code for r in results] == [0, 0, 0], [r.output for r in results]
    for i in range(3):
        with sqlite3.connect(tmp_path / f"copy{i}.sqlite") as connection:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            count = connection.execute("SELECT count(*) FROM campaigns").fetchone()[0]
        assert count % 2 == 0 and count > 0
    assert not list(tmp_path.glob(".*partial"))


def test_backup_refuses_to_overwrite_without_force(sqlite_app, tmp_path):
    target = tmp_path / "existing.sqlite"
    target.write_bytes(b"keep me")
    result = _invoke(sqlite_app, backup_command, target)
    assert result.exit_code != 0
    assert "already exists" in result.output and "--force" in result.output
    assert target.read_bytes() == b"keep me"
    assert _invoke(sqlite_app, backup_command, target, "--force").exit_code == 0
    assert target.read_bytes().startswith(b"SQLite format 3")


def test_backup_and_restore_refuse_postgresql_and_point_to_pg_dump(tmp_path):
    app = make_app("postgresql://postgres@127.0.0.1:5432/not_used")
    for command, args in (
        (backup_command, [tmp_path / "x"]),
        (restore_command, [tmp_path / "x", "--yes"]),
    ):
        result = _invoke(app, command, *args)
        assert result.exit_code != 0
        assert "pg_dump" in result.output


def test_restore_refuses_a_file_that_is_not_an_engage_database(sqlite_app, tmp_path):
    _add_campaign(sqlite_app, "still-here")
    text = tmp_path / "notes.txt"
    text.write_text("not a database at all" * 100)
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE things (id INTEGER)")

    cases = [
        (text, "not a readable SQLite database"),
        (other, "not an Engage database"),
        (tmp_path / "missing.sqlite", "There is no file"),
    ]
    for path, message in cases:
        result = _invoke(sqlite_app, restore_command, path, "--yes")
        assert result.exit_code != 0
        assert message in result.output
    assert _campaign_slugs(sqlite_app) == {"still-here"}


def test_restore_refuses_a_damaged_backup(sqlite_app, tmp_path):
    _add_campaign(sqlite_app, "still-here")
    target = tmp_path / "b.sqlite"
    assert _invoke(sqlite_app, backup_command, target).exit_code == 0
    data = bytearray(target.read_bytes())
    page = 4096
    for start in range(page * 2, len(data), page * 2):  # every other page from the third
        data[start : start + page] = b"\xff" * page
    target.write_bytes(bytes(data))
    result = _invoke(sqlite_app, restore_command, target, "--yes")
    assert result.exit_code != 0
    assert "damaged" in result.output or "not a readable" in result.output
    assert _campaign_slugs(sqlite_app) == {"still-here"}


def test_restore_refuses_a_newer_schema(sqlite_app, tmp_path):
    target = tmp_path / "future.sqlite"
    assert _invoke(sqlite_app, backup_command, target).exit_code == 0
    with sqlite3.connect(target) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
    result = _invoke(sqlite_app, restore_command, target, "--yes")
    assert result.exit_code != 0
    assert "newer than this version" in result.output
    assert not list(tmp_path.glob("*before-restore*"))


def test_restore_of_an_older_schema_says_to_upgrade(sqlite_app, database_factory, tmp_path):
    old = make_app(database_factory.create("sqlite"))
    with old.app_context():
        from flask_migrate import upgrade

        upgrade()
        downgrade(revision="0005")
    target = tmp_path / "old.sqlite"
    assert _invoke(old, backup_command, target).exit_code == 0
    result = _invoke(sqlite_app, restore_command, target, "--yes")
    assert result.exit_code == 0, result.output
    assert "run `engage db upgrade`" in result.output


def test_restore_asks_before_replacing(sqlite_app, tmp_path):
    _add_campaign(sqlite_app, "kept")
    target = tmp_path / "b.sqlite"
    assert _invoke(sqlite_app, backup_command, target).exit_code == 0
    _add_campaign(sqlite_app, "newer")
    result = sqlite_app.test_cli_runner().invoke(restore_command, [str(target)], input="n\n")
    assert result.exit_code != 0
    assert _campaign_slugs(sqlite_app) == {"kept", "newer"}
