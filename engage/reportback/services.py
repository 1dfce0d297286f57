"""Approving what a campaign's public report-back page shows, and reading it back.

Staff publish board themes, quotes (always shown masked), backlog items, sprints and the
results of co-design rounds, and write a dated timeline; nothing is public until
published, and every publication and withdrawal is in the audit log (a round's results
under labels of their own). Services flush, never commit.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import quote

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.audit.services import record
from engage.campaigns.services import get_report_back_url
from engage.models import (
    AuditAction,
    AuditEvent,
    BoardPlacement,
    BoardTheme,
    Campaign,
    CodesignRound,
    EntryKind,
    FeedbackItem,
    IllegalTransition,
    Opportunity,
    ReportBackEntry,
    ReportBackUpdate,
    Sprint,
    SurveyStatus,
)
from engage.models.reportback import MAX_UPDATE
from surveys import is_storable

UPDATE = "update"
KINDS = (*[k.value for k in EntryKind], UPDATE)
_TARGETS: dict[str, type] = {
    EntryKind.THEME: BoardTheme,
    EntryKind.QUOTE: FeedbackItem,
    EntryKind.OPPORTUNITY: Opportunity,
    EntryKind.SPRINT: Sprint,
    EntryKind.ROUND: CodesignRound,
}
ROUND = EntryKind.ROUND.value
# What the audit log calls a publication and a withdrawal: a round's results have labels
# of their own; everything else on the page shares one.
_PUBLISHED = {ROUND: AuditAction.ROUND_RESULTS_PUBLISHED}
_WITHDRAWN = {ROUND: AuditAction.ROUND_RESULTS_WITHDRAWN}


class ReportBackError(Exception):
    """A publication refused; ``code`` names why (``engage.web.messages``)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def get_campaign_by_slug(session: Session, slug: str) -> Campaign | None:
    if not slug or len(slug) > 80 or not is_storable(slug):  # no address has a NUL in it
        return None
    return session.scalar(sa.select(Campaign).where(Campaign.slug == slug))


def theme_counts(session: Session, campaign: Campaign) -> dict[int, int]:
    """Feedback items (from responses not set aside) in each board theme."""
    rows = session.execute(
        sa.select(BoardPlacement.board_theme_id, sa.func.count())
        .join(FeedbackItem, FeedbackItem.id == BoardPlacement.feedback_item_id)
        .where(FeedbackItem.campaign_id == campaign.id, FeedbackItem.counted())
        .group_by(BoardPlacement.board_theme_id)
    )
    return {theme_id: count for theme_id, count in rows}


def _target(session: Session, campaign: Campaign, kind: EntryKind, target_id: int) -> Any:
    if not 0 < target_id < 2**31:
        raise ReportBackError("unknown_item")
    found = session.get(_TARGETS[kind], target_id)
    if found is None or found.campaign_id != campaign.id:
        raise ReportBackError("unknown_item")
    if kind == EntryKind.THEME and (found.hidden or found.is_merged):
        raise ReportBackError("theme_not_publishable")
    if kind == EntryKind.QUOTE:
        counted = session.scalar(
            sa.select(sa.func.count())
            .select_from(FeedbackItem)
            .where(FeedbackItem.id == found.id, FeedbackItem.counted())
        )
        if not counted or not found.redacted_text.strip():
            raise ReportBackError("quote_not_publishable")
    if kind == EntryKind.ROUND and found.status == SurveyStatus.DRAFT:
        raise ReportBackError("round_not_publishable")  # never opened: no results
    return found


def _entry(session: Session, campaign: Campaign, kind: EntryKind, target_id: int) -> Any:
    return session.scalar(
        sa.select(ReportBackEntry).where(
            ReportBackEntry.campaign_id == campaign.id,
            ReportBackEntry.kind == kind,
            ReportBackEntry.target_id == target_id,
        )
    )


def _update(session: Session, campaign: Campaign, update_id: int) -> ReportBackUpdate:
    found = session.get(ReportBackUpdate, update_id) if 0 < update_id < 2**31 else None
    if found is None or found.campaign_id != campaign.id:
        raise ReportBackError("unknown_item")
    return found


def _subject(
    session: Session, campaign: Campaign, kind: str, target_id: int, *, create: bool
) -> Any:
    if kind not in KINDS:
        raise ReportBackError("unknown_kind")
    if kind == UPDATE:
        return _update(session, campaign, target_id)
    entry_kind = EntryKind(kind)
    if create:
        _target(session, campaign, entry_kind, target_id)
    entry = _entry(session, campaign, entry_kind, target_id)
    if entry is None and create:
        entry = ReportBackEntry(campaign_id=campaign.id, kind=entry_kind, target_id=target_id)
        session.add(entry)
    if entry is None:
        raise ReportBackError("not_published")
    return entry


def publish(session: Session, campaign: Campaign, kind: str, target_id: int, *, by: Any) -> None:
    """Approve one thing for the public page (``kind``: theme, quote, opportunity,
    sprint, round or update); recorded in the audit log."""
    subject = _subject(session, campaign, kind, target_id, create=True)
    try:
        subject.publish(by)
    except IllegalTransition as refused:
        raise ReportBackError(refused.code) from None
    record(
        session, _PUBLISHED.get(kind, AuditAction.REPORT_BACK_PUBLISHED), actor=by,
        subject=campaign, detail={"kind": kind, "id": target_id},
    )  # fmt: skip
    session.flush()


def withdraw(session: Session, campaign: Campaign, kind: str, target_id: int, *, by: Any) -> None:
    """Take one thing off the public page; recorded in the audit log."""
    subject = _subject(session, campaign, kind, target_id, create=False)
    try:
        subject.withdraw()
    except IllegalTransition as refused:
        raise ReportBackError(refused.code) from None
    record(
        session, _WITHDRAWN.get(kind, AuditAction.REPORT_BACK_WITHDRAWN), actor=by,
        subject=campaign, detail={"kind": kind, "id": target_id},
    )  # fmt: skip
    session.flush()


def add_update(
    session: Session,
    campaign: Campaign,
    *,
    language: str,
    happened_on: date | None,
    body: str,
    translation_of: int | None = None,
    by: Any,
) -> ReportBackUpdate:
    """A timeline update, not public until published. A translation is of an update in
    another language (translations are not translated again)."""
    body = (body or "").strip()
    if not body:
        raise ReportBackError("update_required")
    if len(body) > MAX_UPDATE:
        raise ReportBackError("update_too_long")
    if language not in campaign.languages:
        raise ReportBackError("unknown_language")
    if translation_of is not None:
        original = _update(session, campaign, translation_of)
        if original.translation_of_id is not None or original.language == language:
            raise ReportBackError("bad_translation")
        happened_on = original.happened_on
    if happened_on is None:
        raise ReportBackError("date_required")
    update = ReportBackUpdate(
        campaign_id=campaign.id, language=language, happened_on=happened_on, body=body,
        translation_of_id=translation_of, author_id=getattr(by, "id", None),
    )  # fmt: skip
    session.add(update)
    session.flush()
    return update


def published_ids(session: Session, campaign: Campaign) -> dict[EntryKind, list[int]]:
    """The ids of what is published, by kind, in the order it was published."""
    rows = session.execute(
        sa.select(ReportBackEntry.kind, ReportBackEntry.target_id)
        .where(
            ReportBackEntry.campaign_id == campaign.id, ReportBackEntry.published_at.is_not(None)
        )
        .order_by(ReportBackEntry.published_at, ReportBackEntry.id)
    )
    found: dict[EntryKind, list[int]] = {kind: [] for kind in EntryKind}
    for kind, target_id in rows:
        found[EntryKind(kind)].append(target_id)
    return found


def list_updates(session: Session, campaign: Campaign) -> list[ReportBackUpdate]:
    return list(
        session.scalars(
            sa.select(ReportBackUpdate)
            .where(ReportBackUpdate.campaign_id == campaign.id)
            .order_by(ReportBackUpdate.happened_on.desc(), ReportBackUpdate.id)
        )
    )


def has_published(session: Session, campaign: Campaign) -> bool:
    """Something is on the public page (the thank-you pages link to it only then)."""
    entries = sa.select(ReportBackEntry.id).where(
        ReportBackEntry.campaign_id == campaign.id, ReportBackEntry.published_at.is_not(None)
    )
    updates = sa.select(ReportBackUpdate.id).where(
        ReportBackUpdate.campaign_id == campaign.id, ReportBackUpdate.published_at.is_not(None)
    )
    return bool(session.scalar(sa.select(entries.exists() | updates.exists())))


def first_published_at(session: Session, campaign: Campaign) -> datetime | None:
    """When the page first had something on it (kept by the audit log, so a later
    withdrawal does not move it)."""
    return session.scalar(
        sa.select(sa.func.min(AuditEvent.at)).where(
            AuditEvent.action.in_(
                [AuditAction.REPORT_BACK_PUBLISHED.value, AuditAction.ROUND_RESULTS_PUBLISHED.value]
            ),
            AuditEvent.subject_type == "campaign",
            AuditEvent.subject_id == campaign.id,
        )
    )


def report_back_link(session: Session, campaign: Campaign) -> str | None:
    """Where a thank-you page sends residents: the campaign's own report-back page once
    something is published on it, else the address staff set on the campaign (if any)."""
    if has_published(session, campaign):
        return f"/r/{quote(campaign.slug, safe='')}"
    return get_report_back_url(campaign)
