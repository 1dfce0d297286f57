"""listening sessions: every language a session was held in, not one main language

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02 06:45:00.000000

A session run in English and Spanish with interpretation has two languages. The old
single ``language`` becomes a one-item list; going down keeps the first language.
"""

import sqlalchemy as sa
from alembic import op


revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

_sessions = sa.table(
    'listening_sessions',
    sa.column('id', sa.Integer()),
    sa.column('language', sa.String(12)),
    sa.column('languages', sa.JSON()),
)


def upgrade():
    with op.batch_alter_table('listening_sessions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('languages', sa.JSON(), server_default='["en"]', nullable=False)
        )
    connection = op.get_bind()
    rows = connection.execute(sa.select(_sessions.c.id, _sessions.c.language)).all()
    for session_id, language in rows:
        connection.execute(
            _sessions.update()
            .where(_sessions.c.id == session_id)
            .values(languages=[language or 'en'])
        )
    with op.batch_alter_table('listening_sessions', schema=None) as batch_op:
        batch_op.drop_column('language')


def downgrade():
    with op.batch_alter_table('listening_sessions', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('language', sa.String(length=12), server_default='en', nullable=False)
        )
    connection = op.get_bind()
    rows = connection.execute(sa.select(_sessions.c.id, _sessions.c.languages)).all()
    for session_id, languages in rows:
        first = (languages or ['en'])[0]
        connection.execute(
            _sessions.update().where(_sessions.c.id == session_id).values(language=str(first)[:12])
        )
    with op.batch_alter_table('listening_sessions', schema=None) as batch_op:
        batch_op.alter_column('language', server_default=None)
        batch_op.drop_column('languages')
