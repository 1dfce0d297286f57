"""backlog evidence names board themes (they follow renames and merges and outlast a re-run)

Each opportunity theme named a run theme; it now names the board theme that holds it:
the board theme showing that run theme, else the one holding most of its answers (as a
re-run maps run themes to board themes). A run theme no board theme holds keeps only
its label, as before when a run was gone.

Revision ID: 0025
Revises: 0028
Create Date: 2026-12-02 06:40:00.000000
"""

from collections import Counter

import sqlalchemy as sa
from alembic import op


revision = '0025'
down_revision = '0028'
branch_labels = None
depends_on = None


def _board_theme_of(connection, theme_id):
    """The board theme that holds the run theme ``theme_id``, or None."""
    shown = connection.execute(
        sa.text(
            "SELECT id FROM board_themes WHERE theme_id = :theme "
            "ORDER BY CASE WHEN merged_into_id IS NULL THEN 0 ELSE 1 END, id"
        ),
        {"theme": theme_id},
    ).first()
    if shown is not None:
        return shown[0]
    theme = connection.execute(
        sa.text("SELECT run_id, key FROM themes WHERE id = :theme"), {"theme": theme_id}
    ).first()
    if theme is None:
        return None
    # The theme's answers (its sub-themes' too), and where the board put them.
    rows = connection.execute(
        sa.text(
            "SELECT p.board_theme_id FROM theme_assignments a "
            "JOIN board_placements p ON p.feedback_item_id = a.feedback_item_id "
            "WHERE a.run_id = :run AND a.theme_id IN ("
            "  SELECT id FROM themes WHERE run_id = :run AND (id = :theme OR parent_key = :key))"
        ),
        {"run": theme[0], "theme": theme_id, "key": theme[1]},
    )
    counts = Counter(row[0] for row in rows)
    if not counts:
        return None
    return min(counts.items(), key=lambda pair: (-pair[1], pair[0]))[0]


def upgrade():
    with op.batch_alter_table('opportunity_themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('board_theme_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_opportunity_themes_board_theme_id'), ['board_theme_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_opportunity_themes_board_theme_id_board_themes'), 'board_themes',
            ['board_theme_id'], ['id'], ondelete='SET NULL',
        )
    connection = op.get_bind()
    rows = connection.execute(
        sa.text("SELECT id, theme_id FROM opportunity_themes WHERE theme_id IS NOT NULL ORDER BY id")
    ).all()
    for row_id, theme_id in rows:
        board_theme_id = _board_theme_of(connection, theme_id)
        if board_theme_id is not None:
            connection.execute(
                sa.text("UPDATE opportunity_themes SET board_theme_id = :board WHERE id = :id"),
                {"board": board_theme_id, "id": row_id},
            )
    with op.batch_alter_table('opportunity_themes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_opportunity_themes_theme_id_themes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_opportunity_themes_theme_id'))
        batch_op.drop_column('theme_id')


def downgrade():
    with op.batch_alter_table('opportunity_themes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('theme_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_opportunity_themes_theme_id'), ['theme_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_opportunity_themes_theme_id_themes'), 'themes', ['theme_id'], ['id'],
            ondelete='SET NULL',
        )
    connection = op.get_bind()
    boards = {
        board_id: (theme_id, merged_into_id)
        for board_id, theme_id, merged_into_id in connection.execute(
            sa.text("SELECT id, theme_id, merged_into_id FROM board_themes")
        )
    }
    rows = connection.execute(
        sa.text("SELECT id, board_theme_id FROM opportunity_themes WHERE board_theme_id IS NOT NULL")
    ).all()
    for row_id, board_id in rows:
        seen = set()  # the run theme the board theme (or the one it was merged into) shows
        while board_id in boards and boards[board_id][1] is not None and board_id not in seen:
            seen.add(board_id)
            board_id = boards[board_id][1]
        theme_id = boards.get(board_id, (None, None))[0]
        if theme_id is not None:
            connection.execute(
                sa.text("UPDATE opportunity_themes SET theme_id = :theme WHERE id = :id"),
                {"theme": theme_id, "id": row_id},
            )
    with op.batch_alter_table('opportunity_themes', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_opportunity_themes_board_theme_id_board_themes'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_opportunity_themes_board_theme_id'))
        batch_op.drop_column('board_theme_id')
