"""campaign's own small-cell suppression threshold

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 23:10:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('suppression_threshold', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('suppression_threshold')
