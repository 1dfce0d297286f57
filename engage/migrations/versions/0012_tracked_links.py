"""tracked links per outreach source

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 19:45:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'tracked_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('tag', sa.String(length=80), nullable=False),
        sa.Column('label', sa.String(length=120), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_tracked_links_survey_id_surveys'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_tracked_links')),
        sa.UniqueConstraint('survey_id', 'tag', name='uq_tracked_links_survey_tag'),
    )


def downgrade():
    op.drop_table('tracked_links')
