"""export files, paper form numbers, purposes of contact

Revision ID: 0029
Revises: 0025
Create Date: 2026-12-02 06:50:00.000000

Large exports built in the background into files kept for a while (export_files); the
number written on a paper form (responses.form_number); the purpose of contact a
campaign shows residents (campaigns.contact_purpose), kept with each opt-in as what the
resident agreed to (contact_opt_ins.purpose).
"""

import sqlalchemy as sa
from alembic import op


revision = '0029'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('export_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('options', sa.JSON(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('written', sa.Integer(), nullable=False),
    sa.Column('stored_name', sa.String(length=80), nullable=True),
    sa.Column('download_name', sa.String(length=200), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=80), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('queued', 'running', 'done', 'failed')", name=op.f('ck_export_files_status_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_export_files_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['survey_id'], ['surveys.id'], name=op.f('fk_export_files_survey_id_surveys'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_files'))
    )
    with op.batch_alter_table('export_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_files_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_files_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_export_files_survey_id'), ['survey_id'], unique=False)

    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('form_number', sa.String(length=40), nullable=True))

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_purpose', sa.JSON(), server_default='{}', nullable=False))

    with op.batch_alter_table('contact_opt_ins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purpose', sa.Text(), server_default='', nullable=False))


def downgrade():
    with op.batch_alter_table('contact_opt_ins', schema=None) as batch_op:
        batch_op.drop_column('purpose')

    with op.batch_alter_table('campaigns', schema=None) as batch_op:
        batch_op.drop_column('contact_purpose')

    with op.batch_alter_table('responses', schema=None) as batch_op:
        batch_op.drop_column('form_number')

    with op.batch_alter_table('export_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_files_survey_id'))
        batch_op.drop_index(batch_op.f('ix_export_files_expires_at'))
        batch_op.drop_index(batch_op.f('ix_export_files_created_by_id'))

    op.drop_table('export_files')
