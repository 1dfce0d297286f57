"""the report-back page can publish a co-design round's results

Revision ID: 0024
Revises: 0021
Create Date: 2026-12-02 06:40:00.000000
"""

from alembic import op


revision = '0024'
down_revision = '0021'
branch_labels = None
depends_on = None

BEFORE = "kind IN ('theme', 'quote', 'opportunity', 'sprint')"
AFTER = "kind IN ('theme', 'quote', 'opportunity', 'sprint', 'round')"


def _kinds(condition):
    with op.batch_alter_table('report_back_entries', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_report_back_entries_kind_known'), type_='check')
        batch_op.create_check_constraint('kind_known', condition)


def upgrade():
    _kinds(AFTER)


def downgrade():
    op.execute("DELETE FROM report_back_entries WHERE kind = 'round'")
    _kinds(BEFORE)
