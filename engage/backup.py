"""Backing up and restoring an SQLite deployment (``engage backup``, ``engage restore``).

The copy is made with SQLite's online backup API, so it is consistent while the app
keeps answering: the copy is one committed state of the database. A restore writes the
backup *into* the live database file with the same API rather than swapping files, so a
process that still has the database open sees the restored data, not a deleted file.

PostgreSQL deployments use ``pg_dump``/``pg_restore`` instead (see docs/deployment.md).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from alembic.config import Config
from alembic.script import ScriptDirectory

from engage.paths import PACKAGE_DIR

# Tables every Engage database has had since the first migration.
EXPECTED_TABLES = frozenset(
    {"alembic_version", "users", "campaigns", "surveys", "survey_versions", "responses", "answers"}
)


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def sqlite_path(database_url: str) -> Path:
    """The database file of an SQLite URL, or :class:`BackupError` for anything else."""
    url = sa.engine.make_url(database_url)
    if url.get_backend_name() != "sqlite":
        raise BackupError(
            f"DATABASE_URL is a {url.get_backend_name()} database: engage backup and "
            "engage restore are for SQLite deployments. Use pg_dump and pg_restore "
            "(see docs/deployment.md)."
        )
    if not url.database or url.database == ":memory:" or url.database.startswith("file:"):
        raise BackupError("DATABASE_URL does not name an SQLite database file.")
    return Path(url.database)


@contextlib.contextmanager
def _connect(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    uri = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    connection = sqlite3.connect(uri, uri=read_only, timeout=30)
    try:
        yield connection
    finally:
        connection.close()


def _copy(source: Path, target: Path) -> None:
    """Copy ``source`` into a new file ``target``: written beside it, then renamed."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    temporary.unlink(missing_ok=True)
    try:
        with _connect(source, read_only=True) as src, _connect(temporary) as dst:
            # One step (pages=-1): the copy is a single read transaction on the source,
            # so writes made meanwhile are either wholly in it or wholly not.
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)


def backup_database(database_url: str, target: Path, *, force: bool = False) -> int:
    """Write a consistent copy of the SQLite database to ``target``; its size in bytes."""
    source = sqlite_path(database_url)
    if not source.is_file():
        raise BackupError(f"There is no database at {source}.")
    if target.exists() and not force:
        raise BackupError(f"{target} already exists: choose another name, or use --force.")
    if target.resolve() == source.resolve():
        raise BackupError("The backup cannot be written over the database itself.")
    if not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    _copy(source, target)
    return target.stat().st_size


@dataclass(frozen=True)
class BackupInfo:
    """What a backup file holds."""

    revision: str
    is_older: bool  # its schema needs ``engage db upgrade`` after restoring


def _scripts() -> ScriptDirectory:
    config = Config()
    config.set_main_option("script_location", str(PACKAGE_DIR / "migrations"))
    return ScriptDirectory.from_config(config)


def inspect_backup(path: Path) -> BackupInfo:
    """Check ``path`` is a sound Engage SQLite database this code can run on."""
    if not path.is_file():
        raise BackupError(f"There is no file at {path}.")
    try:
        with _connect(path, read_only=True) as connection:
            tables = {
                name
                for (name,) in connection.execute(
                    "SELECT name FROM sqlite_master WHERE type='table'"
                )
            }
            missing = EXPECTED_TABLES - tables
            if missing:
                raise BackupError(
                    f"{path} is not an Engage database (no {', '.join(sorted(missing))} table)."
                )
            check = [row[0] for row in connection.execute("PRAGMA integrity_check")]
            revisions = [
                row[0] for row in connection.execute("SELECT version_num FROM alembic_version")
            ]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database ({error}).") from error
    if check != ["ok"]:
        raise BackupError(f"{path} is damaged: SQLite's integrity check says {check[0]}.")
    if len(revisions) != 1:
        raise BackupError(f"{path} has no schema revision recorded.")
    return BackupInfo(revisions[0], _is_older(revisions[0]))


def _is_older(revision: str) -> bool:
    scripts = _scripts()
    head = scripts.get_current_head()
    if revision == head:
        return False
    known = {script.revision for script in scripts.walk_revisions()}
    if revision not in known:
        raise BackupError(
            f"The backup's schema (revision {revision}) is newer than this version of "
            f"Engage (revision {head}): upgrade Engage before restoring it."
        )
    return True


def restore_database(database_url: str, backup: Path) -> tuple[BackupInfo, Path | None]:
    """Replace the SQLite database's content with ``backup``.

    The current database is first copied beside itself
    (``engage.sqlite.before-restore-20261201T190000Z``); that copy's path is returned
    with what the backup holds.
    """
    target = sqlite_path(database_url)
    info = inspect_backup(backup)
    if target.exists() and target.resolve() == backup.resolve():
        raise BackupError("The backup is the database itself: nothing to restore.")
    kept = None
    if target.is_file():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
        kept = target.with_name(f"{target.name}.before-restore-{stamp}")
        _copy(target, kept)
    elif not target.parent.is_dir():
        raise BackupError(f"The folder {target.parent} does not exist.")
    with _connect(backup, read_only=True) as src, _connect(target) as dst:
        src.backup(dst)
    return info, kept
