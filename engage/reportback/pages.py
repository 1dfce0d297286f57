"""What the approval page and the public page show, worked out from what is published."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.models import (
    BoardPlacement,
    BoardTheme,
    Campaign,
    CodesignRound,
    EntryKind,
    FeedbackItem,
    Opportunity,
    OpportunityStatus,
    ReportBackEntry,
    ReportBackUpdate,
    Sprint,
    SurveyStatus,
)
from engage.reportback.services import list_updates, published_ids, theme_counts
from engage.rounds.results import PublicPrototypeResult, PublicRoundResults, public_results
from surveys.codesign import REACTIONS
from surveys.i18n import text_for

QUOTES_PER_THEME = 5  # offered for approval under each theme
MAX_PUBLIC_QUOTES = 6


@dataclass(frozen=True)
class PublicTheme:
    name: str
    language: str
    count: int | None  # None: fewer people than the suppression threshold


@dataclass(frozen=True)
class PublicText:
    text: str
    language: str
    on: date | None = None


@dataclass
class PublicReportBack:
    campaign: Campaign
    threshold: int
    themes: list[PublicTheme] = field(default_factory=list)
    quotes: list[PublicText] = field(default_factory=list)
    doing: list[Opportunity] = field(default_factory=list)
    not_now: list[Opportunity] = field(default_factory=list)
    sprints: list[Sprint] = field(default_factory=list)
    updates: list[PublicText] = field(default_factory=list)
    # What changed because of residents' feedback: the approved co-design rounds' results.
    round_results: list[PublicRound] = field(default_factory=list)

    @property
    def has_content(self) -> bool:
        return bool(
            self.themes or self.quotes or self.doing or self.not_now or self.sprints
            or self.updates or self.round_results
        )  # fmt: skip


def _text(texts: dict[str, str], lang: str, campaign: Campaign) -> PublicText:
    """Staff-written text in ``lang``, else in the campaign's languages (marked)."""
    text, language = text_for(texts, lang, [campaign.default_language, *campaign.languages])
    return PublicText(text, language)


def reaction_labels(lang: str) -> dict[str, PublicText]:
    """The scale's points as residents read them on the round's own page."""
    labels = {}
    for value, texts in REACTIONS:
        text, language = text_for(texts, lang, "en")
        labels[value] = PublicText(text, language)
    return labels


@dataclass(frozen=True)
class PublicPrototype:
    title: PublicText
    description: PublicText
    version: int
    result: PublicPrototypeResult


@dataclass(frozen=True)
class PublicRound:
    title: PublicText
    is_open: bool
    slug: str  # the round's survey: residents can still take part while it is open
    closes_on: date | None
    results: PublicRoundResults
    prototypes: list[PublicPrototype]

    @property
    def respondents(self) -> int | None:
        return self.results.respondents


def round_results(
    session: Session, campaign: Campaign, ids: list[int], *, lang: str, threshold: int
) -> list[PublicRound]:
    """The published co-design rounds ``ids`` of the campaign, oldest first, each with its
    reactions per prototype (``engage.rounds.results.public_results``). A round never
    opened is never shown, even if it was published before (it cannot be now)."""
    rounds = sorted(_by_ids(session, CodesignRound, ids, campaign), key=lambda r: r.id)
    shown = []
    for found in rounds:
        if found.status == SurveyStatus.DRAFT:
            continue
        results = public_results(session, found, threshold=threshold)
        prototypes = [
            PublicPrototype(
                _text(r.prototype.title, lang, campaign),
                _text(r.prototype.description, lang, campaign),
                r.prototype.version_number,
                r,
            )
            for r in results.prototypes
        ]
        is_open = found.survey.is_open_for_answers  # its campaign open too
        title = _text(found.title, lang, campaign)
        shown.append(
            PublicRound(title, is_open, found.survey.slug, found.closes_on, results, prototypes)
        )
    return shown


def _by_ids(session: Session, model: type, ids: list[int], campaign: Campaign) -> list[Any]:
    if not ids:
        return []
    found = {
        o.id: o
        for o in session.scalars(
            sa.select(model).where(model.id.in_(ids), model.campaign_id == campaign.id)
        )
    }
    return [found[i] for i in ids if i in found]


def _timeline(session: Session, campaign: Campaign, lang: str) -> list[PublicText]:
    """Published updates, newest first, each in ``lang`` when a published translation
    exists, else in the language it was written in (the page marks it)."""
    updates = [u for u in list_updates(session, campaign) if u.is_published]
    translations = {
        u.translation_of_id: u for u in updates if u.translation_of_id and u.language == lang
    }
    shown = []
    for update in updates:
        if update.translation_of_id is not None:
            continue
        chosen = translations.get(update.id, update)
        shown.append(PublicText(chosen.body, chosen.language, update.happened_on))
    return shown


def public_report_back(
    session: Session, campaign: Campaign, *, lang: str, threshold: int
) -> PublicReportBack:
    """Only what is published, and never a hidden or merged theme, a quote from a response
    set aside, or a count of fewer people than ``threshold``."""
    ids = published_ids(session, campaign)
    page = PublicReportBack(campaign, threshold)
    counts = theme_counts(session, campaign)
    for theme in _by_ids(session, BoardTheme, ids[EntryKind.THEME], campaign):
        if theme.hidden or theme.is_merged:
            continue
        count = counts.get(theme.id, 0)
        page.themes.append(
            PublicTheme(theme.display_name, theme.language, count if count >= threshold else None)
        )
    quote_ids = ids[EntryKind.QUOTE]
    if quote_ids:
        items = session.scalars(
            sa.select(FeedbackItem).where(
                FeedbackItem.id.in_(quote_ids),
                FeedbackItem.campaign_id == campaign.id,
                FeedbackItem.counted(),
            )
        )
        by_id = {item.id: item for item in items}
        page.quotes = [
            PublicText(by_id[i].redacted_text, by_id[i].language)
            for i in quote_ids
            if i in by_id and by_id[i].redacted_text.strip()
        ][:MAX_PUBLIC_QUOTES]
    for opportunity in _by_ids(session, Opportunity, ids[EntryKind.OPPORTUNITY], campaign):
        if opportunity.status == OpportunityStatus.NOT_NOW:
            page.not_now.append(opportunity)
        else:
            page.doing.append(opportunity)
    page.sprints = _by_ids(session, Sprint, ids[EntryKind.SPRINT], campaign)
    page.updates = _timeline(session, campaign, lang)
    page.round_results = round_results(
        session, campaign, ids[EntryKind.ROUND], lang=lang, threshold=threshold
    )
    return page


@dataclass
class ApprovalTheme:
    theme: BoardTheme
    count: int
    published: bool
    quotes: list[tuple[FeedbackItem, bool]]


def _quotes_of(session: Session, theme_ids: list[int]) -> dict[int, list[FeedbackItem]]:
    found: dict[int, list[FeedbackItem]] = {i: [] for i in theme_ids}
    if not theme_ids:
        return found
    rows = session.execute(
        sa.select(BoardPlacement.board_theme_id, FeedbackItem)
        .join(FeedbackItem, FeedbackItem.id == BoardPlacement.feedback_item_id)
        .where(BoardPlacement.board_theme_id.in_(theme_ids), FeedbackItem.counted())
        .order_by(BoardPlacement.board_theme_id, BoardPlacement.pinned.desc(), FeedbackItem.id)
    )
    for theme_id, item in rows:
        if len(found[theme_id]) < QUOTES_PER_THEME:
            found[theme_id].append(item)
    return found


def approval_page(session: Session, campaign: Campaign) -> dict[str, Any]:
    """Everything staff may publish, each with whether it is published."""
    entries = {
        (e.kind, e.target_id): e
        for e in session.scalars(
            sa.select(ReportBackEntry).where(ReportBackEntry.campaign_id == campaign.id)
        )
    }

    def published(kind: EntryKind, target_id: int) -> bool:
        entry = entries.get((kind, target_id))
        return entry is not None and entry.is_published

    themes = list(
        session.scalars(
            sa.select(BoardTheme)
            .where(
                BoardTheme.campaign_id == campaign.id,
                BoardTheme.hidden.is_(False),
                BoardTheme.merged_into_id.is_(None),
            )
            .order_by(BoardTheme.language, BoardTheme.id)
        )
    )
    counts = theme_counts(session, campaign)
    quotes = _quotes_of(session, [t.id for t in themes])
    shown_themes = [
        ApprovalTheme(
            t,
            counts.get(t.id, 0),
            published(EntryKind.THEME, t.id),
            [(q, published(EntryKind.QUOTE, q.id)) for q in quotes[t.id]],
        )
        for t in sorted(themes, key=lambda t: -counts.get(t.id, 0))
    ]
    opportunities = session.scalars(
        sa.select(Opportunity)
        .where(Opportunity.campaign_id == campaign.id)
        .order_by(Opportunity.id)
    )
    sprints = session.scalars(
        sa.select(Sprint).where(Sprint.campaign_id == campaign.id).order_by(Sprint.starts_on)
    )
    rounds = session.scalars(
        sa.select(CodesignRound)
        .where(CodesignRound.campaign_id == campaign.id)
        .order_by(CodesignRound.id)
    )
    updates: list[ReportBackUpdate] = list_updates(session, campaign)
    return {
        "rounds": [(r, published(EntryKind.ROUND, r.id)) for r in rounds],
        "themes": shown_themes,
        "opportunities": [(o, published(EntryKind.OPPORTUNITY, o.id)) for o in opportunities],
        "sprints": [(s, published(EntryKind.SPRINT, s.id)) for s in sprints],
        "updates": updates,
        "originals": [u for u in updates if u.translation_of_id is None],
    }
