"""The theme board: a campaign's themes as its workgroups shaped them.

An analysis run's themes (:class:`~engage.models.analysis.Theme`) are what the finder
found, kept as found. The board is what the workgroups made of them, and lasts across
runs: a :class:`BoardTheme` has a stable id, the workgroup's name and job statement, its
hidden and reviewed state, and points at the run theme whose description (automatic
label, keywords, job card, quotes) it currently shows. A :class:`BoardPlacement` puts
each feedback item in one board theme; ``pinned`` when a member put it there by hand
(a move, merge or split). How a new run lands on the board is
:func:`engage.themes.board.sync_board`.

State changes are methods here, each returning nothing and raising
:class:`~engage.models.transitions.IllegalTransition` when the theme's state refuses it;
:mod:`engage.themes.board` records who made each one (:class:`BoardEdit`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.extensions import db
from engage.models.transitions import IllegalTransition
from engage.orm import sql_in, utcnow

if TYPE_CHECKING:
    from engage.models.analysis import Theme
    from engage.models.user import User

MAX_NAME = 200
MAX_JOB_STATEMENT = 2000
MAX_COMMENT = 2000
BOARD_THEME_ORIGINS = ("run", "split")
BOARD_EDIT_ACTIONS = (
    "renamed",
    "job_statement",
    "merged",
    "split",
    "moved",
    "hidden",
    "unhidden",
    "reviewed",
    "reopened",
    "commented",
    "unmerged",
)
BOARD_LINK_ORIGINS = ("automatic", "workgroup")


class BoardTheme(db.Model):
    """A theme on a campaign's board, with the workgroup's edits."""

    __tablename__ = "board_themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    language: Mapped[str] = mapped_column(sa.String(12))
    # The automatic label (from the run theme it shows, or the split that made it).
    label: Mapped[str] = mapped_column(sa.String(300), default="")
    # The workgroup's name and job statement; None until a member writes one.
    name: Mapped[str | None] = mapped_column(sa.String(MAX_NAME))
    job_statement: Mapped[str | None] = mapped_column(sa.Text)
    theme_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("themes.id", ondelete="SET NULL"), index=True
    )
    origin: Mapped[str] = mapped_column(sa.String(10), default="run")
    created_run_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("analysis_runs.id", ondelete="SET NULL")
    )
    split_from_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("board_themes.id", ondelete="SET NULL")
    )
    merged_into_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("board_themes.id", ondelete="SET NULL")
    )
    hidden: Mapped[bool] = mapped_column(default=False)
    # Board themes a member unlinked this one from: a re-run does not link them again.
    unlinked: Mapped[list[int]] = mapped_column(sa.JSON, default=list)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    reviewed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    theme: Mapped[Theme | None] = relationship()
    reviewed_by: Mapped[User | None] = relationship()

    __table_args__ = (
        sa.CheckConstraint(sql_in("origin", BOARD_THEME_ORIGINS), name="origin_known"),
    )

    @property
    def display_name(self) -> str:
        return self.name or self.label

    @property
    def is_reviewed(self) -> bool:
        return self.reviewed_at is not None

    @property
    def is_merged(self) -> bool:
        return self.merged_into_id is not None

    def _require_open(self) -> None:
        if self.is_merged:
            raise IllegalTransition("theme_merged", state="merged")

    def rename(self, name: str | None) -> None:
        """The workgroup's name; ``None`` or "" gives the automatic label back."""
        self._require_open()
        self.name = name or None

    def write_job_statement(self, text: str | None) -> None:
        self._require_open()
        self.job_statement = text or None

    def hide(self) -> None:
        """Hidden as noise: off the board, kept (with its quotes) under "Hidden"."""
        self._require_open()
        if self.hidden:
            raise IllegalTransition("theme_hidden", state="hidden")
        self.hidden = True

    def unhide(self) -> None:
        self._require_open()
        if not self.hidden:
            raise IllegalTransition("theme_not_hidden", state="shown")
        self.hidden = False

    def mark_reviewed(self, by: Any) -> None:
        self._require_open()
        if self.is_reviewed:
            raise IllegalTransition("theme_reviewed", state="reviewed")
        self.reviewed_by_id, self.reviewed_at = by.id if by else None, utcnow()

    def reopen(self) -> None:
        self._require_open()
        if not self.is_reviewed:
            raise IllegalTransition("theme_not_reviewed", state="open")
        self.reviewed_by_id = self.reviewed_at = None

    def merge_into(self, other: BoardTheme) -> None:
        """This theme joins ``other``; the caller moves its quotes."""
        self._require_open()
        if other.id == self.id:
            raise IllegalTransition("same_theme")
        if other.is_merged or other.campaign_id != self.campaign_id:
            raise IllegalTransition("unknown_theme")
        self.merged_into_id = other.id

    def unmerge(self) -> None:
        """Back on the board as its own theme (its name, label, statement kept); the caller
        moves back the answers that came with the merge."""
        if not self.is_merged:
            raise IllegalTransition("theme_not_merged", state="open")
        self.merged_into_id = None


class BoardLink(db.Model):
    """Two board themes, usually in different languages, that say the same thing.

    Between board themes, not a run's themes: a link lasts across runs, and a theme just
    made by a split can be linked at once. Linked automatically when a run's multilingual
    encoder finds the run themes they show close, or by a workgroup. Stored once per pair,
    lower id first. A link of a theme merged into another counts for the theme it is in
    (:func:`engage.themes.links.list_links`), so undoing the merge gives it back.
    """

    __tablename__ = "board_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaigns.id", ondelete="CASCADE"), index=True
    )
    board_theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("board_themes.id", ondelete="CASCADE")
    )
    linked_board_theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("board_themes.id", ondelete="CASCADE"), index=True
    )
    origin: Mapped[str] = mapped_column(sa.String(10), default="workgroup")
    created_by_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("board_theme_id", "linked_board_theme_id"),
        sa.CheckConstraint("board_theme_id < linked_board_theme_id", name="ordered_pair"),
        sa.CheckConstraint(sql_in("origin", BOARD_LINK_ORIGINS), name="origin_known"),
    )


class BoardMergeItem(db.Model):
    """A feedback item a merge moved (the merge's ``BoardEdit`` on the merged-away theme),
    so that undoing the merge gives that theme its own answers back."""

    __tablename__ = "board_merge_items"

    edit_id: Mapped[int] = mapped_column(
        sa.ForeignKey("board_edits.id", ondelete="CASCADE"), primary_key=True
    )
    feedback_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback_items.id", ondelete="CASCADE"), primary_key=True
    )


class BoardPlacement(db.Model):
    """Which board theme a feedback item is in (an item is in at most one)."""

    __tablename__ = "board_placements"

    feedback_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("feedback_items.id", ondelete="CASCADE"), primary_key=True
    )
    board_theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("board_themes.id", ondelete="CASCADE"), index=True
    )
    # The run whose themes placed it; placed_later: after that run, without a re-run.
    added_run_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("analysis_runs.id", ondelete="SET NULL")
    )
    placed_later: Mapped[bool] = mapped_column(default=False)
    pinned: Mapped[bool] = mapped_column(default=False)
    moved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    moved_at: Mapped[datetime | None]

    def move_to(self, theme: BoardTheme, by: Any) -> None:
        """A member put the item in ``theme``; later runs leave it there."""
        theme._require_open()
        self.board_theme_id = theme.id
        self.pinned = True
        self.moved_by_id, self.moved_at = (by.id if by else None), utcnow()


class BoardComment(db.Model):
    __tablename__ = "board_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("board_themes.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    author_name: Mapped[str] = mapped_column(sa.String(254), default="")
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class BoardEdit(db.Model):
    """One edit of a board theme: what, who (name copied), when, and small facts."""

    __tablename__ = "board_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_theme_id: Mapped[int] = mapped_column(
        sa.ForeignKey("board_themes.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(sa.String(20))
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    actor_name: Mapped[str] = mapped_column(sa.String(254), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    detail: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)

    __table_args__ = (
        sa.CheckConstraint(sql_in("action", BOARD_EDIT_ACTIONS), name="action_known"),
    )
