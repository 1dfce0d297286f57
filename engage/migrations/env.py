"""Alembic environment: the schema is ``engage.models`` on the app's database."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from engage.orm import StrEnumType, UTCDateTime

config = context.config
if config.config_file_name is not None:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger("alembic.env")

target_db = current_app.extensions["migrate"].db


def render_item(type_, obj, autogen_context):
    """Write Engage's column types as what the database holds.

    The UTC timestamp is a plain timezone-aware DateTime; a state enum is a String (its
    values are a CHECK constraint).
    """
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if type_ == "type" and isinstance(obj, StrEnumType):
        return f"sa.String(length={obj.length})"
    return False


def configure_args(connection_dialect):
    args = dict(current_app.extensions["migrate"].configure_args)
    args.setdefault("compare_type", True)
    args.setdefault("render_item", render_item)
    # SQLite cannot ALTER most things: batch mode rebuilds the table instead.
    args.setdefault("render_as_batch", connection_dialect == "sqlite")
    return args


def run_migrations_offline():
    engine = target_db.engine
    context.configure(
        url=engine.url.render_as_string(hide_password=False),
        target_metadata=target_db.metadata,
        literal_binds=True,
        **configure_args(engine.dialect.name),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    def process_revision_directives(context, revision, directives):
        # Never write an empty migration when autogenerate finds nothing to do.
        if getattr(config.cmd_opts, "autogenerate", False):
            script = directives[0]
            if script.upgrade_ops.is_empty():
                directives[:] = []
                logger.info("No changes in schema detected.")

    args = configure_args(target_db.engine.dialect.name)
    args.setdefault("process_revision_directives", process_revision_directives)
    with target_db.engine.connect() as connection:
        # SQLite: a batch operation rebuilds a table (copy, DROP, rename), and with foreign
        # keys on, the DROP deletes every row that references it ON DELETE CASCADE (a
        # downgrade dropping a column of ``campaigns`` would empty the backlog). Alembic's
        # batch documentation: foreign keys off while migrating.
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            _sqlite_foreign_keys(connection, on=False)
        try:
            context.configure(connection=connection, target_metadata=target_db.metadata, **args)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if sqlite:
                _sqlite_foreign_keys(connection, on=True)


def _sqlite_foreign_keys(connection, *, on: bool) -> None:
    """Outside any transaction (SQLite ignores the pragma inside one)."""
    connection.connection.dbapi_connection.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
