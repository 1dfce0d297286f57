"""report back: entries approved for a campaign's public page, and its timeline

Revision ID: 0021
Revises: 0023
Create Date: 2026-12-02 04:20:00.000000

Campaigns already have a unique ``slug`` (0001), so ``/r/<campaign-slug>`` needs no
backfill.
"""

import sqlalchemy as sa
from alembic import op


revision = '0021'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_back_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('theme', 'quote', 'opportunity', 'sprint')", name=op.f('ck_report_back_entries_kind_known')),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_report_back_entries_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_report_back_entries_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_back_entries')),
    sa.UniqueConstraint('campaign_id', 'kind', 'target_id', name=op.f('uq_report_back_entries_campaign_id'))
    )
    with op.batch_alter_table('report_back_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_back_entries_campaign_id'), ['campaign_id'], unique=False)

    op.create_table('report_back_updates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('translation_of_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=12), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_report_back_updates_author_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_report_back_updates_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_report_back_updates_published_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['translation_of_id'], ['report_back_updates.id'], name=op.f('fk_report_back_updates_translation_of_id_report_back_updates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_back_updates'))
    )
    with op.batch_alter_table('report_back_updates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_back_updates_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_report_back_updates_translation_of_id'), ['translation_of_id'], unique=False)


def downgrade():
    with op.batch_alter_table('report_back_updates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_back_updates_translation_of_id'))
        batch_op.drop_index(batch_op.f('ix_report_back_updates_campaign_id'))
    op.drop_table('report_back_updates')
    with op.batch_alter_table('report_back_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_back_entries_campaign_id'))
    op.drop_table('report_back_entries')
