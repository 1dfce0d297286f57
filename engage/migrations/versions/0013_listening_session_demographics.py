"""listening sessions: who attended, counted by group

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 19:55:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('listening_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('demographics', sa.JSON(), server_default='{}', nullable=False))


def downgrade():
    with op.batch_alter_table('listening_sessions', schema=None) as batch_op:
        batch_op.drop_column('demographics')
