"""The migrations build the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from engage.extensions import db
from tests.support.databases import make_app


@pytest.fixture
def fresh_app(backend, database_factory):
    return make_app(database_factory.create(backend))


def _differences(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


# The full-text index exists on PostgreSQL only (``ddl_if``); on SQLite Alembic says it
# cannot compare expression indexes, which is right: there is none to compare.
@pytest.mark.filterwarnings(
    "ignore:autogenerate skipping metadata-specified expression-based index "
    "'ix_feedback_items_text_search'; dialect 'sqlite'"
)
def test_migrations_and_models_agree(fresh_app):
    with fresh_app.app_context():
        upgrade()
    assert _differences(fresh_app) == []


def test_migrations_downgrade_to_nothing_and_up_again(fresh_app):
    with fresh_app.app_context():
        upgrade()
        downgrade(revision="base")
        tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        assert tables == set()
        upgrade()
        assert "users" in sa.inspect(db.engine).get_table_names()


def test_report_back_entries_take_round_results_and_refuse_unknown_kinds(fresh_app):
    """0024: a co-design round's results can be published; any other kind is refused."""
    from tests.factories import make_campaign

    insert = sa.text(
        "INSERT INTO report_back_entries (campaign_id, kind, target_id, created_at) "
        "VALUES (:campaign, :kind, 1, CURRENT_TIMESTAMP)"
    )
    with fresh_app.app_context():
        upgrade()
        campaign_id = make_campaign(db.session).id
        db.session.execute(insert, {"campaign": campaign_id, "kind": "round"})
        db.session.commit()
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(insert, {"campaign": campaign_id, "kind": "poem"})
        db.session.rollback()
        db.session.remove()
        downgrade(revision="0021")
        with db.engine.connect() as connection:
            kinds = connection.execute(sa.text("SELECT kind FROM report_back_entries")).all()
        assert kinds == []


def _insert(connection, name: str, **values):
    """A row with ``values``, and a plain value in every other required column."""
    table = sa.Table(name, sa.MetaData(), autoload_with=connection)
    plain = {
        sa.Integer: 0,
        sa.DateTime: datetime(2025, 3, 20, 10, tzinfo=UTC),
        sa.Date: date(2025, 3, 20),
        sa.JSON: {},
    }
    for column in table.columns:
        if column.name in values or column.nullable or column.primary_key:
            continue
        if column.server_default is not None:
            continue
        kind = next((v for t, v in plain.items() if isinstance(column.type, t)), None)
        values[column.name] = "x" if kind is None else kind
    return connection.execute(table.insert().values(**values)).inserted_primary_key[0]


def test_a_sessions_single_language_becomes_its_list_of_languages_and_back(fresh_app):
    with fresh_app.app_context():
        upgrade(revision="0021")
        with db.engine.begin() as connection:
            campaign = _insert(connection, "campaigns", slug="c", title="C", status="open")
            _insert(connection, "listening_sessions", campaign_id=campaign, language="es")
            _insert(connection, "listening_sessions", campaign_id=campaign, language="ar")
        upgrade(revision="0028")
        sessions = sa.Table("listening_sessions", sa.MetaData(), autoload_with=db.engine)
        with db.engine.connect() as connection:
            rows = connection.execute(
                sa.select(sessions.c.languages).order_by(sessions.c.id)
            ).scalars()
            assert list(rows) == [["es"], ["ar"]]
        downgrade(revision="0021")
        sessions = sa.Table("listening_sessions", sa.MetaData(), autoload_with=db.engine)
        with db.engine.connect() as connection:
            rows = connection.execute(sa.select(sessions.c.language).order_by(sessions.c.id))
            assert rows.scalars().all() == ["es", "ar"]
