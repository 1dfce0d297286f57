"""survey waves: the same survey asked again, from a moment on

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 23:15:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'survey_waves',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('label', sa.String(length=80), server_default='', nullable=False),
        sa.Column('starts_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('number >= 2', name=op.f('ck_survey_waves_number_after_first')),
        sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_survey_waves_survey_id_surveys'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_waves')),
        sa.UniqueConstraint('survey_id', 'number', name=op.f('uq_survey_waves_survey_id')),
    )
    with op.batch_alter_table('survey_waves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_waves_survey_id'), ['survey_id'], unique=False)


def downgrade():
    with op.batch_alter_table('survey_waves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_waves_survey_id'))
    op.drop_table('survey_waves')
