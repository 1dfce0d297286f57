"""full-text search over feedback on PostgreSQL (the quote explorer)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 04:00:00.000000

A GIN index on the masked text's ``simple`` text-search vector (no stemming, so every
language alike). SQLite has no such index: the explorer matches substrings there.
"""

from alembic import op


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

INDEX = "ix_feedback_items_text_search"


def upgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE INDEX {INDEX} ON feedback_items "
            "USING gin (to_tsvector('simple'::regconfig, redacted_text))"
        )


def downgrade():
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
