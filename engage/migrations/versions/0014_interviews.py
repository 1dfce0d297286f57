"""interviewer mode: drafts taken down by an interviewer, and where

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 20:00:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place', sa.String(length=120), nullable=True))
    with op.batch_alter_table('response_drafts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('channel', sa.String(length=12), server_default='web', nullable=False))
        batch_op.add_column(sa.Column('entered_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('place', sa.String(length=120), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_response_drafts_entered_by_id_users'), 'users', ['entered_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('response_drafts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_response_drafts_entered_by_id_users'), type_='foreignkey')
        batch_op.drop_column('place')
        batch_op.drop_column('entered_by_id')
        batch_op.drop_column('channel')
    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_column('place')
