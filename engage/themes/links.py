"""Links between board themes that say the same thing in different languages.

Themes are found within each language. A run links its themes automatically when its
sentence encoder suits both languages (``analysis.Theme.linked``, kept as the run's
:class:`~engage.models.ThemeLink` rows); when the run lands on the board, those become
links between the board themes that show them (:func:`engage.themes.board.sync_board`).
A workgroup links and unlinks board themes by hand: any two shown themes in different
languages, a theme made by a split included. Links are
:class:`~engage.models.BoardLink` rows, one per pair, lower board theme id first, and
last across runs. A link of a theme merged into another counts for the theme it ended up
in, so undoing the merge gives the link back.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engage.models import AnalysisRun, BoardLink, BoardTheme, Theme, ThemeLink, User
from engage.themes.board import final_theme, remember_link_choice

if TYPE_CHECKING:
    from analysis import Theme as FoundTheme
    from engage.themes.board import BoardCard

LINK_ERRORS = ("unknown_theme", "same_theme", "same_language", "duplicate")


class ThemeLinkError(Exception):
    """A link that cannot be made; ``code`` is one of ``LINK_ERRORS``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class LinkedTheme:
    """One link seen from one of its board themes: the theme at the other end."""

    link_id: int
    other: BoardTheme
    origin: str


@dataclass(frozen=True)
class ThemeGroup:
    """Board themes linked to each other: one concern heard in several languages."""

    themes: list[BoardTheme]
    languages: list[str]
    size: int


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def store_automatic_links(
    session: Session, run: AnalysisRun, found: Sequence[FoundTheme], by_key: Mapping[int, Theme]
) -> int:
    """Keep the finder's cross-language links between the run's themes (the run's record;
    the board takes them over in ``sync_board``); returns how many."""
    pairs = {
        _pair(by_key[theme.id].id, by_key[other].id) for theme in found for other in theme.linked
    }
    session.add_all(
        ThemeLink(run_id=run.id, theme_id=a, linked_theme_id=b, origin="automatic")
        for a, b in sorted(pairs)
    )
    session.flush()
    return len(pairs)


def _campaign_themes(session: Session, campaign_id: int) -> dict[int, BoardTheme]:
    return {
        t.id: t
        for t in session.scalars(sa.select(BoardTheme).where(BoardTheme.campaign_id == campaign_id))
    }


def _resolved(session: Session, campaign_id: int) -> list[tuple[BoardLink, BoardTheme, BoardTheme]]:
    """The campaign's links with each end resolved to the shown theme it ended up in;
    a pair that became one theme, or one language, by a merge is left out."""
    by_id = _campaign_themes(session, campaign_id)
    out, seen = [], set()
    links = session.scalars(
        sa.select(BoardLink).where(BoardLink.campaign_id == campaign_id).order_by(BoardLink.id)
    )
    for link in links:
        a = final_theme(by_id[link.board_theme_id], by_id)
        b = final_theme(by_id[link.linked_board_theme_id], by_id)
        pair = _pair(a.id, b.id)
        if a.id == b.id or a.language == b.language or pair in seen:
            continue
        seen.add(pair)
        out.append((link, a, b))
    return out


def link_themes(
    session: Session, *, theme: BoardTheme, other: BoardTheme | None, created_by: User | None
) -> BoardLink:
    """A workgroup links ``theme`` to ``other``, a theme of the same board in another
    language.

    Raises:
        ThemeLinkError: ``unknown_theme``, ``same_theme``, ``same_language`` or ``duplicate``.
    """
    if other is None or other.campaign_id != theme.campaign_id or other.is_merged:
        raise ThemeLinkError("unknown_theme")
    if theme.is_merged:
        raise ThemeLinkError("unknown_theme")
    if other.id == theme.id:
        raise ThemeLinkError("same_theme")
    if other.language == theme.language:
        raise ThemeLinkError("same_language")
    first, second = _pair(theme.id, other.id)
    if any(
        _pair(a.id, b.id) == (first, second) for _l, a, b in _resolved(session, theme.campaign_id)
    ):
        raise ThemeLinkError("duplicate")
    link = BoardLink(
        campaign_id=theme.campaign_id,
        board_theme_id=first,
        linked_board_theme_id=second,
        origin="workgroup",
        created_by_id=created_by.id if created_by else None,
    )
    try:
        with session.begin_nested():
            session.add(link)
            session.flush()
    except IntegrityError:  # the same pair linked at the same moment by someone else
        raise ThemeLinkError("duplicate") from None
    remember_link_choice(session, theme, other, linked=True)
    return link


def get_link_of_theme(session: Session, theme: BoardTheme, link_id: int) -> BoardLink | None:
    """The link ``link_id`` if the board shows it on ``theme``."""
    for link, a, b in _resolved(session, theme.campaign_id):
        if link.id == link_id and theme.id in (a.id, b.id):
            return link
    return None


def delete_link(session: Session, link: BoardLink) -> None:
    """Remove ``link``; the board remembers it, so a re-run does not link them again."""
    by_id = _campaign_themes(session, link.campaign_id)
    a = final_theme(by_id[link.board_theme_id], by_id)
    b = final_theme(by_id[link.linked_board_theme_id], by_id)
    remember_link_choice(session, a, b, linked=False)
    session.delete(link)
    session.flush()


def list_links(session: Session, campaign_id: int) -> dict[int, list[LinkedTheme]]:
    """Board theme id → the board themes linked to it (merged themes resolved)."""
    out: dict[int, list[LinkedTheme]] = {}
    for link, a, b in _resolved(session, campaign_id):
        out.setdefault(a.id, []).append(LinkedTheme(link.id, b, link.origin))
        out.setdefault(b.id, []).append(LinkedTheme(link.id, a, link.origin))
    for linked in out.values():
        linked.sort(key=lambda item: (item.other.language, item.other.display_name, item.other.id))
    return out


def link_candidates(
    theme: BoardTheme, themes: Iterable[BoardTheme], linked: Sequence[LinkedTheme]
) -> dict[str, list[BoardTheme]]:
    """Language → themes ``theme`` could be linked to: other languages, not yet linked."""
    taken = {item.other.id for item in linked}
    out: dict[str, list[BoardTheme]] = {}
    for other in sorted(themes, key=lambda t: (t.language, t.display_name, t.id)):
        if other.language != theme.language and other.id not in taken:
            out.setdefault(other.language, []).append(other)
    return out


def group_linked_themes(
    cards: Sequence[BoardCard], links: Mapping[int, Sequence[LinkedTheme]]
) -> list[ThemeGroup]:
    """Groups of linked board themes among ``cards`` (the shown ones), biggest first."""
    ids = {card.theme.id: card for card in cards}
    seen: set[int] = set()
    groups: list[ThemeGroup] = []
    for card in cards:
        if card.theme.id in seen:
            continue
        members, stack = [], [card.theme.id]
        seen.add(card.theme.id)
        while stack:
            current = ids[stack.pop()]
            members.append(current)
            for item in links.get(current.theme.id, ()):
                if item.other.id in ids and item.other.id not in seen:
                    seen.add(item.other.id)
                    stack.append(item.other.id)
        if len(members) > 1:
            members.sort(key=lambda c: (-c.size, c.theme.language, c.theme.id))
            by_language: dict[str, int] = {}
            for member in members:
                language = member.theme.language
                by_language[language] = by_language.get(language, 0) + member.size
            groups.append(
                ThemeGroup(
                    themes=[m.theme for m in members],
                    # The language most answers came in first: "heard in English and Spanish".
                    languages=sorted(by_language, key=lambda lang: (-by_language[lang], lang)),
                    size=sum(by_language.values()),
                )
            )
    groups.sort(key=lambda g: (-g.size, g.themes[0].id))
    return groups
