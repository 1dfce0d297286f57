"""a co-design round tests the prototypes of a design sprint

Revision ID: 0023
Revises: 0020
Create Date: 2026-12-02 04:40:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0023'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('codesign_rounds', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sprint_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_codesign_rounds_sprint_id'), ['sprint_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_codesign_rounds_sprint_id_sprints'), 'sprints', ['sprint_id'], ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('codesign_rounds', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_codesign_rounds_sprint_id_sprints'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_codesign_rounds_sprint_id'))
        batch_op.drop_column('sprint_id')
