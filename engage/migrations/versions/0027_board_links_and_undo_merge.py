"""board links: cross-language links between board themes; merges that can be undone

Links were kept between the themes of one run (``theme_links``), so a theme made by a
split could only be linked after the next run and links hung on run ids. They are now
between board themes (``board_links``): each existing link is moved to the board themes
that show its two run themes (the theme a merged one went into, when it was merged);
links whose run themes no board theme shows (earlier runs) are dropped. ``theme_links``
keeps only the runs' automatic links, as the runs found them.

A merge now records which answers it moved (``board_merge_items``), and "Merge undone"
is an edit of its own.

Revision ID: 0027
Revises: 0024
Create Date: 2026-12-02 06:40:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = '0027'
down_revision = '0024'
branch_labels = None
depends_on = None

_ACTIONS = ("renamed", "job_statement", "merged", "split", "moved", "hidden", "unhidden",
            "reviewed", "reopened", "commented")


def _check(actions):
    return "action IN (" + ", ".join(f"'{a}'" for a in actions) + ")"


def upgrade():
    op.create_table('board_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('board_theme_id', sa.Integer(), nullable=False),
    sa.Column('linked_board_theme_id', sa.Integer(), nullable=False),
    sa.Column('origin', sa.String(length=10), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('board_theme_id < linked_board_theme_id', name=op.f('ck_board_links_ordered_pair')),
    sa.CheckConstraint("origin IN ('automatic', 'workgroup')", name=op.f('ck_board_links_origin_known')),
    sa.ForeignKeyConstraint(['board_theme_id'], ['board_themes.id'], name=op.f('fk_board_links_board_theme_id_board_themes'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], name=op.f('fk_board_links_campaign_id_campaigns'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_board_links_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['linked_board_theme_id'], ['board_themes.id'], name=op.f('fk_board_links_linked_board_theme_id_board_themes'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_board_links')),
    sa.UniqueConstraint('board_theme_id', 'linked_board_theme_id', name=op.f('uq_board_links_board_theme_id'))
    )
    with op.batch_alter_table('board_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_board_links_campaign_id'), ['campaign_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_board_links_linked_board_theme_id'), ['linked_board_theme_id'], unique=False)

    op.create_table('board_merge_items',
    sa.Column('edit_id', sa.Integer(), nullable=False),
    sa.Column('feedback_item_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['edit_id'], ['board_edits.id'], name=op.f('fk_board_merge_items_edit_id_board_edits'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['feedback_item_id'], ['feedback_items.id'], name=op.f('fk_board_merge_items_feedback_item_id_feedback_items'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('edit_id', 'feedback_item_id', name=op.f('pk_board_merge_items'))
    )
    with op.batch_alter_table('board_edits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_board_edits_action_known'), type_='check')
        batch_op.create_check_constraint('action_known', _check(_ACTIONS + ("unmerged",)))

    links_to_board(op.get_bind())


def links_to_board(connection):
    """Each link between run themes becomes a link between the board themes showing them
    (tests call it on a connection); workgroup rows leave ``theme_links``."""
    boards = connection.execute(sa.text(
        "SELECT id, campaign_id, language, theme_id, merged_into_id FROM board_themes"
    )).all()
    by_id = {row[0]: row for row in boards}

    def final(board_id):
        seen = set()
        while by_id[board_id][4] is not None and board_id not in seen:
            seen.add(board_id)
            board_id = by_id[board_id][4]
        return board_id

    shows = {}
    for board_id, _campaign, _language, theme_id, merged in sorted(
        boards, key=lambda row: (row[4] is not None, row[0])  # a shown theme first
    ):
        if theme_id is not None:
            shows.setdefault(theme_id, board_id)
    board_links = sa.table(
        'board_links', sa.column('campaign_id', sa.Integer),
        sa.column('board_theme_id', sa.Integer), sa.column('linked_board_theme_id', sa.Integer),
        sa.column('origin', sa.String), sa.column('created_by_id', sa.Integer),
        sa.column('created_at'),  # as read: a string on SQLite
    )
    rows, seen = [], set()
    for theme_id, other_id, origin, created_by_id, created_at in connection.execute(sa.text(
        "SELECT theme_id, linked_theme_id, origin, created_by_id, created_at FROM theme_links "
        "ORDER BY CASE WHEN origin = 'workgroup' THEN 0 ELSE 1 END, id"
    )):
        if theme_id not in shows or other_id not in shows:
            continue
        a, b = final(shows[theme_id]), final(shows[other_id])
        if a == b or by_id[a][2] == by_id[b][2] or by_id[a][1] != by_id[b][1]:
            continue
        pair = (min(a, b), max(a, b))
        if pair in seen:
            continue
        seen.add(pair)
        rows.append({"campaign_id": by_id[a][1], "board_theme_id": pair[0],
                     "linked_board_theme_id": pair[1], "origin": origin,
                     "created_by_id": created_by_id, "created_at": created_at})
    if rows:
        connection.execute(board_links.insert(), rows)
    connection.execute(sa.text("DELETE FROM theme_links WHERE origin = 'workgroup'"))


def downgrade():
    connection = op.get_bind()
    # Workgroup links go back between the run themes their board themes show, where both
    # are themes of one run.
    run_of = dict(connection.execute(sa.text("SELECT id, run_id FROM themes")).tuples().all())
    shows = dict(connection.execute(sa.text(
        "SELECT id, theme_id FROM board_themes WHERE theme_id IS NOT NULL"
    )).tuples().all())
    theme_links = sa.table(
        'theme_links', sa.column('run_id', sa.Integer), sa.column('theme_id', sa.Integer),
        sa.column('linked_theme_id', sa.Integer), sa.column('origin', sa.String),
        sa.column('created_by_id', sa.Integer),
        sa.column('created_at'),  # as read: a string on SQLite
    )
    rows, seen = [], set()
    for a, b, created_by_id, created_at in connection.execute(sa.text(
        "SELECT board_theme_id, linked_board_theme_id, created_by_id, created_at "
        "FROM board_links WHERE origin = 'workgroup'"
    )):
        first, second = shows.get(a), shows.get(b)
        if first is None or second is None or first == second:
            continue
        if run_of.get(first) != run_of.get(second):
            continue
        pair = (min(first, second), max(first, second))
        if pair in seen:
            continue
        seen.add(pair)
        rows.append({"run_id": run_of[first], "theme_id": pair[0], "linked_theme_id": pair[1],
                     "origin": "workgroup", "created_by_id": created_by_id,
                     "created_at": created_at})
    if rows:
        connection.execute(sa.text(
            "DELETE FROM theme_links WHERE " + " OR ".join(
                f"(theme_id = {a} AND linked_theme_id = {b})" for _r, a, b in
                ((row["run_id"], row["theme_id"], row["linked_theme_id"]) for row in rows)
            )
        ))
        connection.execute(theme_links.insert(), rows)
    connection.execute(sa.text("DELETE FROM board_edits WHERE action = 'unmerged'"))
    with op.batch_alter_table('board_edits', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_board_edits_action_known'), type_='check')
        batch_op.create_check_constraint('action_known', _check(_ACTIONS))

    op.drop_table('board_merge_items')
    with op.batch_alter_table('board_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_board_links_linked_board_theme_id'))
        batch_op.drop_index(batch_op.f('ix_board_links_campaign_id'))

    op.drop_table('board_links')
