"""feedback sentiment: each answer's sentiment score, for the quote explorer's filter

``feedback_items.sentiment`` holds VADER's compound score (−1 … 1) of an English answer,
set by the analysis run and the placement of new feedback (never at intake). Answers in
other languages, and answers not yet analysed, keep it empty.

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-02 07:30:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sentiment', sa.Float(), nullable=True))


def downgrade():
    with op.batch_alter_table('feedback_items', schema=None) as batch_op:
        batch_op.drop_column('sentiment')
