"""responses set aside as duplicates or spam

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-01 19:40:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0011'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('excluded_reason', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('excluded_note', sa.String(length=500), server_default='', nullable=False))
        batch_op.add_column(sa.Column('excluded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('excluded_by_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_responses_excluded_by_id_users'), 'users', ['excluded_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_check_constraint('excluded_reason_known', "excluded_reason IN ('duplicate', 'spam')")


def downgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_responses_excluded_reason_known'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_responses_excluded_by_id_users'), type_='foreignkey')
        batch_op.drop_column('excluded_by_id')
        batch_op.drop_column('excluded_at')
        batch_op.drop_column('excluded_note')
        batch_op.drop_column('excluded_reason')
