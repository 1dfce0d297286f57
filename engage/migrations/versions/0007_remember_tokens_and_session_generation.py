"""remember-me tokens and the users' session generation

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 19:45:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_generation', sa.Integer(), server_default='0', nullable=False))
    op.create_table(
        'remember_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_remember_tokens_user_id_users'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_remember_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_remember_tokens_token_hash')),
    )
    with op.batch_alter_table('remember_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remember_tokens_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('remember_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remember_tokens_user_id'))
    op.drop_table('remember_tokens')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('session_generation')
