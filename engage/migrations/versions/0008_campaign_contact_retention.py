"""campaign retention date for residents' contact details

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 19:50:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contacts_retained_until', sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('contacts_retained_until')
