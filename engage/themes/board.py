"""The theme board: workgroups shape a campaign's themes, and their edits survive a re-run.

Why a board beside the runs
---------------------------
A run (:class:`~engage.models.AnalysisRun`) keeps what the finder found, and a new run
finds new themes with new ids. What a workgroup did (a name, a job statement, quotes
moved, themes merged, split, hidden, reviewed, comments) cannot hang on a run's themes,
or "Analyse again" would throw it away. So the board has its own themes with stable ids
(:class:`~engage.models.BoardTheme`) and puts each feedback item in one of them
(:class:`~engage.models.BoardPlacement`); a run theme is only the board theme's current
automatic description (label, keywords, job card, quotes).

How a run lands on the board (:func:`sync_board`)
-------------------------------------------------
- **An item already on the board stays where it is.** The workgroup has read the board
  and discussed its quotes; a re-run that silently rearranged them would break that
  trust (and undo moves, merges and splits). The analysis adds to the board, it never
  reorders it; ``pinned`` records which placements a member made by hand.
- **Each top-level run theme maps to the board theme holding most of its items that are
  already placed**, when that board theme holds at least ``OVERLAP_THRESHOLD`` of them
  and they are at least ``MIN_PLACED_SHARE`` of the run theme (otherwise the run theme
  is mostly new feedback: a new concern, not a grown old one). The run theme's new items
  go to that board theme, which shows the run theme's description from now on (the
  largest run theme, when several map to one board theme, as after a merge).
- **Otherwise the run theme becomes a new board theme** ("new since the last run").
- Cross-language links are between board themes (:class:`~engage.models.BoardLink`,
  :mod:`engage.themes.links`), so "Analyse again" keeps them as they are; the run's
  automatic links are added between the board themes its run themes map to
  (:func:`_link_automatically`), except a link a member removed
  (:func:`remember_link_choice`).
- A merge remembers which answers it moved (:class:`~engage.models.BoardMergeItem`), so
  it can be undone (:func:`unmerge`).

Every edit is a :class:`~engage.models.BoardEdit` (who, when) and an audit-log entry.
Services flush, never commit.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import analysis
from engage.audit.services import record
from engage.models import (
    AnalysisRun,
    AuditAction,
    BoardComment,
    BoardEdit,
    BoardLink,
    BoardMergeItem,
    BoardPlacement,
    BoardTheme,
    FeedbackItem,
    IllegalTransition,
    Theme,
    ThemeLink,
    User,
)

OVERLAP_THRESHOLD = 0.5
MIN_PLACED_SHARE = 0.2
MIN_SPLIT_ITEMS = 6
MAX_SPLIT_THEMES = 5
QUOTES_SHOWN = 6


class BoardError(Exception):
    """An edit refused; ``code`` is a key of ``engage.web.messages.BOARD``."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


# -- a run lands on the board ------------------------------------------------------------


def _campaign_placements(session: Session, campaign_id: int) -> dict[int, int]:
    """Item id → board theme id, for every placed item of the campaign."""
    rows = session.execute(
        sa.select(BoardPlacement.feedback_item_id, BoardPlacement.board_theme_id)
        .join(BoardTheme, BoardTheme.id == BoardPlacement.board_theme_id)
        .where(BoardTheme.campaign_id == campaign_id)
    )
    return dict(rows.tuples().all())


def final_theme(theme: BoardTheme, by_id: Mapping[int, BoardTheme]) -> BoardTheme:
    """The theme a merged theme ended up in."""
    seen = set()
    while theme.merged_into_id is not None and theme.id not in seen:
        seen.add(theme.id)
        theme = by_id[theme.merged_into_id]
    return theme


def sync_board(
    session: Session, run: AnalysisRun, assignments: Iterable[tuple[int, Theme | None]]
) -> dict[int, BoardTheme]:
    """Put the results of ``run`` on its campaign's board (see the module's docstring).

    Args:
        assignments: (feedback item id, the item's top-level run theme or None).

    Returns:
        run theme id → the board theme it maps to; nothing for a filtered run (an
        exploration, see :mod:`engage.themes.runs`), which never reaches the board.
    """
    if run.is_filtered:
        return {}
    themes = list(
        session.scalars(sa.select(BoardTheme).where(BoardTheme.campaign_id == run.campaign_id))
    )
    by_id = {theme.id: theme for theme in themes}
    placed = _campaign_placements(session, run.campaign_id)
    members: dict[int, list[int]] = {}
    run_themes: dict[int, Theme] = {}
    for item_id, theme in assignments:
        if theme is not None:
            members.setdefault(theme.id, []).append(item_id)
            run_themes[theme.id] = theme
    for theme in run.themes:
        if theme.parent_key is None:
            run_themes.setdefault(theme.id, theme)
    mapped: dict[int, BoardTheme] = {}
    described: set[int] = set()
    order = sorted(run_themes.values(), key=lambda t: (-len(members.get(t.id, [])), t.id))
    for run_theme in order:
        items = members.get(run_theme.id, [])
        target = _target(items, placed, by_id)
        if target is None:
            target = BoardTheme(
                campaign_id=run.campaign_id,
                language=run_theme.language,
                label=run_theme.label[:300],
                created_run_id=run.id,
            )
            session.add(target)
            session.flush()
            by_id[target.id] = target
        mapped[run_theme.id] = target
        if target.id not in described:  # the largest run theme describes it
            described.add(target.id)
            target.theme_id, target.label = run_theme.id, run_theme.label[:300]
        session.add_all(
            BoardPlacement(feedback_item_id=i, board_theme_id=target.id, added_run_id=run.id)
            for i in items
            if i not in placed
        )
    session.flush()
    _link_automatically(session, run, mapped, by_id)
    return mapped


def _target(
    items: Sequence[int], placed: Mapping[int, int], by_id: Mapping[int, BoardTheme]
) -> BoardTheme | None:
    counts = Counter(final_theme(by_id[placed[i]], by_id).id for i in items if i in placed)
    if not counts:
        return None
    best, held = min(counts.items(), key=lambda pair: (-pair[1], pair[0]))
    total = sum(counts.values())
    if held >= OVERLAP_THRESHOLD * total and total >= MIN_PLACED_SHARE * len(items):
        return by_id[best]
    return None


def _link_automatically(
    session: Session,
    run: AnalysisRun,
    mapped: Mapping[int, BoardTheme],
    by_id: Mapping[int, BoardTheme],
) -> int:
    """The run's automatic links, made between the board themes its themes map to: not
    between themes a member unlinked, nor twice. Returns how many were added."""
    existing = set(
        session.execute(
            sa.select(BoardLink.board_theme_id, BoardLink.linked_board_theme_id).where(
                BoardLink.campaign_id == run.campaign_id
            )
        )
        .tuples()
        .all()
    )
    added = 0
    for link in session.scalars(
        sa.select(ThemeLink).where(ThemeLink.run_id == run.id, ThemeLink.origin == "automatic")
    ):
        a, b = mapped.get(link.theme_id), mapped.get(link.linked_theme_id)
        if a is None or b is None:
            continue
        a, b = final_theme(a, by_id), final_theme(b, by_id)
        pair = (min(a.id, b.id), max(a.id, b.id))
        if a.id == b.id or a.language == b.language or pair in existing:
            continue
        if b.id in (a.unlinked or []) or a.id in (b.unlinked or []):
            continue
        existing.add(pair)
        session.add(
            BoardLink(
                campaign_id=run.campaign_id,
                board_theme_id=pair[0],
                linked_board_theme_id=pair[1],
                origin="automatic",
            )
        )
        added += 1
    session.flush()
    return added


def remember_link_choice(
    session: Session, theme: BoardTheme, other: BoardTheme, *, linked: bool
) -> None:
    """A member linked or unlinked two board themes: they remember an unlinking, so that
    a re-run does not link them again automatically (and forget it when linked again)."""
    for one, two in ((theme, other), (other, theme)):
        ids = set(one.unlinked or [])
        if linked:
            ids.discard(two.id)
        else:
            ids.add(two.id)
        one.unlinked = sorted(ids)
    session.flush()


def place_later(session: Session, run: AnalysisRun, placed: Iterable[tuple[int, Theme]]) -> int:
    """Feedback placed in ``run``'s themes after it finished goes on the board too, in the
    board theme that shows its (top-level) run theme. Returns how many were put there."""
    board_of = dict(
        session.execute(
            sa.select(BoardTheme.theme_id, BoardTheme.id).where(
                BoardTheme.campaign_id == run.campaign_id,
                BoardTheme.theme_id.in_([t.id for t in run.themes]),
                BoardTheme.merged_into_id.is_(None),
            )
        )
        .tuples()
        .all()
    )
    keys = {t.key: t for t in run.themes}
    placed = list(placed)
    already = set(
        session.scalars(
            sa.select(BoardPlacement.feedback_item_id).where(
                BoardPlacement.feedback_item_id.in_([item_id for item_id, _theme in placed])
            )
        )
    )
    count = 0
    for item_id, theme in placed:
        if item_id in already:
            continue
        top = keys.get(theme.parent_key, theme) if theme.parent_key is not None else theme
        board_id = board_of.get(top.id)
        if board_id is not None:
            session.add(
                BoardPlacement(
                    feedback_item_id=item_id,
                    board_theme_id=board_id,
                    added_run_id=run.id,
                    placed_later=True,
                )
            )
            count += 1
    session.flush()
    return count


# -- edits ----------------------------------------------------------------------------------


def get_board_theme(session: Session, campaign_id: int, board_theme_id: Any) -> BoardTheme | None:
    """The board theme ``board_theme_id`` of the campaign (None for any other id)."""
    if not isinstance(board_theme_id, int) or not 0 < board_theme_id <= 2**31 - 1:
        return None
    theme = session.get(BoardTheme, board_theme_id)
    return theme if theme is not None and theme.campaign_id == campaign_id else None


def _record(
    session: Session,
    theme: BoardTheme,
    action: str,
    actor: User | None,
    **detail: Any,
) -> BoardEdit:
    edit = BoardEdit(
        board_theme_id=theme.id,
        action=action,
        actor_id=actor.id if actor else None,
        actor_name=(actor.name if actor else "")[:254],
        detail=detail,
    )
    session.add(edit)
    record(
        session,
        AuditAction.THEME_EDITED,
        actor=actor,
        subject=theme,
        detail={
            "edit": action,
            "theme": theme.display_name[:200],
            "campaign_id": theme.campaign_id,
            **detail,
        },
    )
    session.flush()
    return edit


def _transition(theme: BoardTheme, change: Any) -> None:
    try:
        change()
    except IllegalTransition as error:
        raise BoardError(error.code) from None


def rename(session: Session, theme: BoardTheme, name: str, *, by: User | None) -> None:
    old = theme.display_name
    _transition(theme, lambda: theme.rename(name.strip()))
    _record(session, theme, "renamed", by, old=old[:200], new=theme.display_name[:200])


def write_job_statement(session: Session, theme: BoardTheme, text: str, *, by: User | None) -> None:
    _transition(theme, lambda: theme.write_job_statement(text.strip()))
    _record(session, theme, "job_statement", by)


def set_hidden(session: Session, theme: BoardTheme, hidden: bool, *, by: User | None) -> None:
    _transition(theme, theme.hide if hidden else theme.unhide)
    _record(session, theme, "hidden" if hidden else "unhidden", by)


def set_reviewed(session: Session, theme: BoardTheme, reviewed: bool, *, by: User | None) -> None:
    _transition(theme, (lambda: theme.mark_reviewed(by)) if reviewed else theme.reopen)
    _record(session, theme, "reviewed" if reviewed else "reopened", by)


def comment(session: Session, theme: BoardTheme, body: str, *, by: User | None) -> BoardComment:
    if theme.is_merged:
        raise BoardError("theme_merged")
    note = BoardComment(
        board_theme_id=theme.id,
        author_id=by.id if by else None,
        author_name=(by.name if by else "")[:254],
        body=body.strip(),
    )
    session.add(note)
    _record(session, theme, "commented", by)
    return note


def merge(
    session: Session, theme: BoardTheme, into: BoardTheme | None, *, by: User | None
) -> BoardTheme:
    """``theme`` joins ``into`` (any language): its quotes and comments move there. Which
    answers moved is kept (:class:`~engage.models.BoardMergeItem`), for :func:`unmerge`."""
    if into is None or into.campaign_id != theme.campaign_id:
        raise BoardError("unknown_theme")
    _transition(theme, lambda: theme.merge_into(into))
    answers = session.scalar(
        sa.select(sa.func.count()).where(BoardPlacement.board_theme_id == theme.id)
    )
    comments = list(
        session.scalars(sa.select(BoardComment.id).where(BoardComment.board_theme_id == theme.id))
    )
    edit = _record(
        session,
        theme,
        "merged",
        by,
        into=into.display_name[:200],
        into_id=into.id,
        answers=answers or 0,
        comments=comments,
    )
    session.execute(
        sa.insert(BoardMergeItem).from_select(
            ["edit_id", "feedback_item_id"],
            sa.select(sa.literal(edit.id), BoardPlacement.feedback_item_id).where(
                BoardPlacement.board_theme_id == theme.id
            ),
        )
    )
    session.execute(
        sa.update(BoardPlacement)
        .where(BoardPlacement.board_theme_id == theme.id)
        .values(board_theme_id=into.id)
    )
    session.execute(
        sa.update(BoardComment)
        .where(BoardComment.board_theme_id == theme.id)
        .values(board_theme_id=into.id)
    )
    _record(session, into, "merged", by, merged=theme.display_name[:200], merged_id=theme.id)
    return into


def unmerge(session: Session, theme: BoardTheme, *, by: User | None) -> BoardTheme:
    """Undo the merge of ``theme``: back on the board with its own name, label and job
    statement, and the answers and comments the merge moved that are still in the theme
    it went into (answers moved on since by a member or a split stay where they are, as
    do answers new runs placed there). Returns the theme it was merged into.

    Raises:
        BoardError: ``theme_not_merged``; ``merge_not_recorded`` (merged before merges
            could be undone: its answers cannot be told apart); ``merge_answers_gone``
            (every answer it brought has since been moved to other themes).
    """
    if not theme.is_merged:
        raise BoardError("theme_not_merged")
    by_id = {
        t.id: t
        for t in session.scalars(
            sa.select(BoardTheme).where(BoardTheme.campaign_id == theme.campaign_id)
        )
    }
    into = final_theme(by_id[theme.id], by_id)
    # Its own merge: the latest "merged" edit saying where it went (not one of a theme
    # merged into it, which is recorded on it too).
    edit = next(
        (
            e
            for e in session.scalars(
                sa.select(BoardEdit)
                .where(BoardEdit.board_theme_id == theme.id, BoardEdit.action == "merged")
                .order_by(BoardEdit.id.desc())
            )
            if "into_id" in (e.detail or {})
        ),
        None,
    )
    names = {"theme": theme.display_name, "into": into.display_name}
    if edit is None or "answers" not in (edit.detail or {}):
        raise BoardError("merge_not_recorded", **names)
    brought = sa.select(BoardMergeItem.feedback_item_id).where(BoardMergeItem.edit_id == edit.id)
    still_there = sa.and_(
        BoardPlacement.board_theme_id == into.id, BoardPlacement.feedback_item_id.in_(brought)
    )
    back = session.scalar(sa.select(sa.func.count()).where(still_there)) or 0
    if edit.detail["answers"] and not back:
        raise BoardError("merge_answers_gone", **names)
    _transition(theme, theme.unmerge)
    session.execute(
        sa.update(BoardPlacement)
        .where(still_there)
        .values(board_theme_id=theme.id)
        .execution_options(synchronize_session=False)
    )
    comments = [c for c in edit.detail.get("comments", []) if isinstance(c, int)]
    if comments:
        session.execute(
            sa.update(BoardComment)
            .where(BoardComment.id.in_(comments), BoardComment.board_theme_id == into.id)
            .values(board_theme_id=theme.id)
            .execution_options(synchronize_session=False)
        )
    session.expire_all()
    _record(session, theme, "unmerged", by, source=into.display_name[:200], source_id=into.id,
            answers=back)  # fmt: skip
    _record(session, into, "unmerged", by, restored=theme.display_name[:200], restored_id=theme.id)
    return into


def move_item(
    session: Session, theme: BoardTheme, item_id: Any, to: BoardTheme | None, *, by: User | None
) -> BoardPlacement:
    """Move the quote ``item_id`` (now in ``theme``) to ``to``; later runs leave it there."""
    if to is None or to.campaign_id != theme.campaign_id:
        raise BoardError("unknown_theme")
    if to.id == theme.id:
        raise BoardError("same_theme")
    placement = (
        session.get(BoardPlacement, item_id)
        if isinstance(item_id, int) and 0 < item_id <= 2**31 - 1
        else None
    )
    if placement is None or placement.board_theme_id != theme.id:
        raise BoardError("unknown_item")
    _transition(to, lambda: placement.move_to(to, by))
    _record(session, to, "moved", by, item_id=placement.feedback_item_id, source=theme.id)
    return placement


def split(
    session: Session, theme: BoardTheme, *, by: User | None, seed: int = 0
) -> list[BoardTheme]:
    """Cluster ``theme``'s own answers again into sub-themes (the analysis module's
    ``ThemeFinder``, word statistics: quick enough for a request, needs no model).

    The sub-theme holding most of the quotes the theme is known by (its run theme's
    representatives; then the largest) stays in ``theme``, keeping its name, statement,
    links and comments: what the workgroup named stays named. Every other sub-theme
    becomes a new board theme with the finder's label, its quotes pinned there. Returns
    the new themes.
    """
    if theme.is_merged:
        raise BoardError("theme_merged")
    rows = session.execute(
        sa.select(FeedbackItem.id, FeedbackItem.text, FeedbackItem.language)
        .join(BoardPlacement, BoardPlacement.feedback_item_id == FeedbackItem.id)
        .where(BoardPlacement.board_theme_id == theme.id, FeedbackItem.counted())
        .order_by(FeedbackItem.id)
    ).all()
    if len(rows) < MIN_SPLIT_ITEMS:
        raise BoardError("too_few_to_split", min=MIN_SPLIT_ITEMS)
    finder = analysis.ThemeFinder(
        backend="tfidf", max_themes=MAX_SPLIT_THEMES, random_state=seed, sentiment=False
    )
    try:
        finder.fit([r.text for r in rows], [r.language for r in rows])
    except ValueError:
        raise BoardError("no_split_found") from None
    top = {t.id: t for t in finder.themes_ if t.parent is None}
    parent = {t.id: (t.parent if t.parent is not None else t.id) for t in finder.themes_}
    groups: dict[int, list[int]] = {}
    for row, label in zip(rows, finder.labels_, strict=True):
        if int(label) != analysis.UNASSIGNED:
            groups.setdefault(parent[int(label)], []).append(row.id)
    if len(groups) < 2:
        raise BoardError("no_split_found")
    known = {q.get("item_id") for q in (theme.theme.representatives if theme.theme else [])}
    ordered = sorted(
        groups, key=lambda key: (-len(known.intersection(groups[key])), -len(groups[key]), key)
    )
    created = []
    for key in ordered[1:]:
        found = top[key]
        new = BoardTheme(
            campaign_id=theme.campaign_id,
            language=found.language,
            label=found.label[:300],
            origin="split",
            split_from_id=theme.id,
            hidden=theme.hidden,
        )
        session.add(new)
        session.flush()
        for placement in session.scalars(
            sa.select(BoardPlacement).where(BoardPlacement.feedback_item_id.in_(groups[key]))
        ):
            placement.move_to(new, by)
        created.append(new)
    session.flush()
    _record(session, theme, "split", by, into=[t.id for t in created])
    return created


# -- what the board page shows ---------------------------------------------------------


@dataclass
class Quote:
    item_id: int
    text: str
    language: str
    pinned: bool


@dataclass
class BoardCard:
    """One board theme as the page shows it."""

    theme: BoardTheme
    run_theme: Theme | None
    size: int = 0
    new: int = 0
    is_new: bool = False
    languages: list[str] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    comments: list[BoardComment] = field(default_factory=list)
    edits: list[BoardEdit] = field(default_factory=list)
    # Themes merged into this one (also by way of another): each can be unmerged.
    merged_here: list[BoardTheme] = field(default_factory=list)


@dataclass
class Board:
    cards: list[BoardCard]
    hidden: list[BoardCard]
    since_previous_run: bool

    def by_run_theme(self) -> dict[int, BoardCard]:
        return {c.run_theme.id: c for c in self.cards + self.hidden if c.run_theme is not None}

    def targets(self) -> list[tuple[str, list[BoardCard]]]:
        """The shown themes by language: where a quote can be moved or a theme merged."""
        out: dict[str, list[BoardCard]] = {}
        for card in sorted(self.cards, key=lambda c: (c.theme.language, c.theme.display_name)):
            out.setdefault(card.theme.language, []).append(card)
        return list(out.items())


def load_board(
    session: Session, campaign_id: int, run: AnalysisRun | None, first_language: str | None
) -> Board:
    """The campaign's board: shown and hidden themes, each with its counts and quotes."""
    every = list(
        session.scalars(sa.select(BoardTheme).where(BoardTheme.campaign_id == campaign_id))
    )
    themes = [t for t in every if not t.is_merged]
    if not themes:
        return Board([], [], False)
    latest = run.id if run is not None else None
    earlier = latest is not None and any(t.created_run_id not in (None, latest) for t in themes)
    cards = {t.id: BoardCard(t, t.theme) for t in themes}
    by_id = {t.id: t for t in every}
    for merged in sorted((t for t in every if t.is_merged), key=lambda t: t.id):
        cards[final_theme(merged, by_id).id].merged_here.append(merged)
    new_expr = sa.and_(
        BoardPlacement.added_run_id == latest,
        sa.or_(BoardPlacement.placed_later, sa.true() if earlier else sa.false()),
    )
    counts = session.execute(
        sa.select(
            BoardPlacement.board_theme_id,
            FeedbackItem.language,
            sa.func.count(),
            sa.func.sum(sa.case((new_expr, 1), else_=0)),
        )
        .join(FeedbackItem, FeedbackItem.id == BoardPlacement.feedback_item_id)
        .where(BoardPlacement.board_theme_id.in_(list(cards)), FeedbackItem.counted())
        .group_by(BoardPlacement.board_theme_id, FeedbackItem.language)
    )
    for board_id, language, count, new in counts:
        card = cards[board_id]
        card.size += count
        card.new += int(new or 0)
        card.languages.append(language)
    for card in cards.values():
        card.is_new = earlier and card.theme.created_run_id == latest
        card.languages.sort(key=lambda lang: (lang != card.theme.language, lang))
    _load_quotes(session, cards)
    for note in session.scalars(
        sa.select(BoardComment)
        .where(BoardComment.board_theme_id.in_(list(cards)))
        .order_by(BoardComment.created_at, BoardComment.id)
    ):
        cards[note.board_theme_id].comments.append(note)
    for edit in session.scalars(
        sa.select(BoardEdit)
        .where(BoardEdit.board_theme_id.in_(list(cards)))
        .order_by(BoardEdit.at.desc(), BoardEdit.id.desc())
    ):
        if len(cards[edit.board_theme_id].edits) < 5:
            cards[edit.board_theme_id].edits.append(edit)
    heard: Counter[str] = Counter()
    for card in cards.values():
        heard[card.theme.language] += card.size
    ordered = sorted(
        cards.values(),
        key=lambda c: (
            c.theme.language != first_language,
            -heard[c.theme.language],
            c.theme.language,
            -c.size,
            c.theme.id,
        ),
    )
    return Board(
        [c for c in ordered if not c.theme.hidden],
        [c for c in ordered if c.theme.hidden],
        earlier,
    )


def _load_quotes(session: Session, cards: Mapping[int, BoardCard]) -> None:
    """Up to ``QUOTES_SHOWN`` quotes per theme: the run's representatives still in it,
    then quotes members moved there, then the first others."""
    wanted: dict[int, list[int]] = {}
    for card in cards.values():
        if card.run_theme is not None:
            wanted[card.theme.id] = [q["item_id"] for q in card.run_theme.representatives]
    representative_ids = {i for ids in wanted.values() for i in ids}
    query = (
        sa.select(
            BoardPlacement.board_theme_id,
            BoardPlacement.feedback_item_id,
            BoardPlacement.pinned,
            FeedbackItem.redacted_text,
            FeedbackItem.language,
        )
        .join(FeedbackItem, FeedbackItem.id == BoardPlacement.feedback_item_id)
        .where(BoardPlacement.board_theme_id.in_(list(cards)), FeedbackItem.counted())
    )
    found: dict[int, dict[int, Quote]] = {}
    condition = BoardPlacement.pinned
    if representative_ids:
        condition = sa.or_(condition, BoardPlacement.feedback_item_id.in_(representative_ids))
    for board_id, item_id, pinned, text, language in session.execute(query.where(condition)):
        found.setdefault(board_id, {})[item_id] = Quote(item_id, text, language, pinned)
    for board_id, card in cards.items():
        have = found.get(board_id, {})
        quotes = [have[i] for i in wanted.get(board_id, []) if i in have and not have[i].pinned]
        quotes += sorted((q for q in have.values() if q.pinned), key=lambda q: -q.item_id)
        if len(quotes) < QUOTES_SHOWN:
            taken = {q.item_id for q in quotes}
            for _board, item_id, pinned, text, language in session.execute(
                query.where(BoardPlacement.board_theme_id == board_id)
                .order_by(BoardPlacement.feedback_item_id)
                .limit(QUOTES_SHOWN * 2)
            ):
                if item_id not in taken:
                    quotes.append(Quote(item_id, text, language, pinned))
        card.quotes = quotes[:QUOTES_SHOWN]
