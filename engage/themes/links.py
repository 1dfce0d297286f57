"""Links between themes of one run that say the same thing in different languages.

Themes are found within each language. A run links them automatically when its
sentence encoder suits both languages (``analysis.Theme.linked``); a workgroup links and
unlinks them by hand. Each pair is stored once, lower theme id first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engage.models import AnalysisRun, Theme, ThemeLink, User
from engage.themes.board import remember_link_choice

if TYPE_CHECKING:
    from analysis import Theme as FoundTheme

LINK_ERRORS = ("unknown_theme", "same_theme", "other_run", "same_language", "duplicate")


class ThemeLinkError(Exception):
    """A link that cannot be made; ``code`` is one of ``LINK_ERRORS``."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class LinkedTheme:
    """One link seen from one of its themes: the theme at the other end."""

    link_id: int
    other: Theme
    origin: str


@dataclass(frozen=True)
class ThemeGroup:
    """Top-level themes linked to each other: one concern heard in several languages."""

    themes: list[Theme]
    languages: list[str]
    size: int


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def store_automatic_links(
    session: Session, run: AnalysisRun, found: Sequence[FoundTheme], by_key: Mapping[int, Theme]
) -> int:
    """Store the finder's cross-language links between the run's themes; returns how many."""
    pairs = {
        _pair(by_key[theme.id].id, by_key[other].id) for theme in found for other in theme.linked
    }
    session.add_all(
        ThemeLink(run_id=run.id, theme_id=a, linked_theme_id=b, origin="automatic")
        for a, b in sorted(pairs)
    )
    session.flush()
    return len(pairs)


def link_themes(
    session: Session, *, theme: Theme, other: Theme | None, created_by: User | None
) -> ThemeLink:
    """A workgroup links ``theme`` to ``other``, a theme of the same run in another language.

    Raises:
        ThemeLinkError: ``unknown_theme``, ``same_theme``, ``other_run``, ``same_language``
            or ``duplicate``.
    """
    if other is None:
        raise ThemeLinkError("unknown_theme")
    if other.id == theme.id:
        raise ThemeLinkError("same_theme")
    if other.run_id != theme.run_id:
        raise ThemeLinkError("other_run")
    if other.language == theme.language:
        raise ThemeLinkError("same_language")
    first, second = _pair(theme.id, other.id)
    if session.scalar(
        sa.select(ThemeLink.id).where(
            ThemeLink.theme_id == first, ThemeLink.linked_theme_id == second
        )
    ):
        raise ThemeLinkError("duplicate")
    link = ThemeLink(
        run_id=theme.run_id,
        theme_id=first,
        linked_theme_id=second,
        origin="workgroup",
        created_by_id=created_by.id if created_by else None,
    )
    try:
        with session.begin_nested():
            session.add(link)
            session.flush()
    except IntegrityError:  # the same pair linked at the same moment by someone else
        raise ThemeLinkError("duplicate") from None
    remember_link_choice(session, first, second, linked=True)
    return link


def get_link_of_theme(session: Session, theme: Theme, link_id: int) -> ThemeLink | None:
    """The link ``link_id`` if it has ``theme`` at one of its ends."""
    link = session.get(ThemeLink, link_id)
    if link is None or theme.id not in (link.theme_id, link.linked_theme_id):
        return None
    return link


def delete_link(session: Session, link: ThemeLink) -> None:
    """Remove ``link``; the board remembers it, so a re-run does not link them again."""
    remember_link_choice(session, link.theme_id, link.linked_theme_id, linked=False)
    session.delete(link)
    session.flush()


def list_links(session: Session, run: AnalysisRun) -> dict[int, list[LinkedTheme]]:
    """Theme id → the themes linked to it, in the order of the run's themes."""
    themes = {theme.id: theme for theme in run.themes}
    out: dict[int, list[LinkedTheme]] = {}
    links = session.scalars(
        sa.select(ThemeLink).where(ThemeLink.run_id == run.id).order_by(ThemeLink.id)
    )
    for link in links:
        a, b = themes[link.theme_id], themes[link.linked_theme_id]
        out.setdefault(a.id, []).append(LinkedTheme(link.id, b, link.origin))
        out.setdefault(b.id, []).append(LinkedTheme(link.id, a, link.origin))
    for linked in out.values():
        linked.sort(key=lambda item: (item.other.language, -item.other.size, item.other.id))
    return out


def link_candidates(
    theme: Theme, themes: Iterable[Theme], linked: Sequence[LinkedTheme]
) -> dict[str, list[Theme]]:
    """Language → themes ``theme`` could be linked to: other languages, not yet linked."""
    taken = {item.other.id for item in linked}
    out: dict[str, list[Theme]] = {}
    for other in sorted(themes, key=lambda t: (t.language, -t.size, t.id)):
        if other.language != theme.language and other.id not in taken:
            out.setdefault(other.language, []).append(other)
    return out


def group_linked_themes(
    themes: Sequence[Theme], links: Mapping[int, Sequence[LinkedTheme]]
) -> list[ThemeGroup]:
    """Groups of linked ``themes`` (the connected ones among them), biggest first.

    Only links between the given themes count, so grouping the top-level themes keeps
    sub-themes out and the combined size counts every answer once.
    """
    ids = {theme.id: theme for theme in themes}
    seen: set[int] = set()
    groups: list[ThemeGroup] = []
    for theme in themes:
        if theme.id in seen:
            continue
        members, stack = [], [theme.id]
        seen.add(theme.id)
        while stack:
            current = ids[stack.pop()]
            members.append(current)
            for item in links.get(current.id, ()):
                if item.other.id in ids and item.other.id not in seen:
                    seen.add(item.other.id)
                    stack.append(item.other.id)
        if len(members) > 1:
            members.sort(key=lambda t: (-t.size, t.language, t.id))
            by_language: dict[str, int] = {}
            for member in members:
                by_language[member.language] = by_language.get(member.language, 0) + member.size
            groups.append(
                ThemeGroup(
                    themes=members,
                    # The language most answers came in first: "heard in English and Spanish".
                    languages=sorted(by_language, key=lambda lang: (-by_language[lang], lang)),
                    size=sum(by_language.values()),
                )
            )
    groups.sort(key=lambda g: (-g.size, g.themes[0].id))
    return groups
