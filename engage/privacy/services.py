"""Residents' personal data: the retention purge, and deleting one resident's data.

Contact details (:class:`ContactOptIn`) are kept apart from answers and are never linked
to a response. So a resident's *answers* are found by their response number, by the
resume code they were given, or where they wrote their e-mail address or phone number in
an answer; their *contact details* by that address or number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.audit.services import record
from engage.models import (
    Answer,
    Campaign,
    ContactOptIn,
    FeedbackItem,
    Response,
    ResponseDraft,
    Survey,
    SurveyVersion,
    Theme,
    ThemeAssignment,
)
from engage.models.audit import AuditAction
from engage.resident.drafts import (
    RESUME_ALPHABET,
    RESUME_CODE_LENGTH,
    normalise_resume_code,
    resume_code_hash,
)
from engage.web.routing import MAX_ID

PURGE_JOB = "engage.privacy.services.purge_expired_contacts"


def today_utc() -> date:
    return datetime.now(UTC).date()


# -- retention ------------------------------------------------------------------------


@dataclass(frozen=True)
class PurgedCampaign:
    campaign_id: int
    title: str
    contacts_deleted: int


def purge_expired_contacts(
    session: Session, today: date | None = None, *, actor: Any = None, via: str = "job"
) -> list[PurgedCampaign]:
    """Delete the contact details left for every campaign whose retention date has passed.

    Answers are kept. Running it again deletes nothing more (and records nothing). Each
    campaign that had contact details to delete gets a ``data_purged`` audit entry with
    the count. Usable as a job: ``enqueue(PURGE_JOB)``.
    """
    today = today or today_utc()
    due = session.scalars(
        sa.select(Campaign)
        .where(Campaign.contacts_retained_until.is_not(None))
        .where(Campaign.contacts_retained_until < today)
        .order_by(Campaign.id)
    )
    purged = []
    for campaign in due:
        deleted = session.execute(
            sa.delete(ContactOptIn).where(ContactOptIn.campaign_id == campaign.id)
        ).rowcount
        if not deleted:
            continue
        record(
            session,
            AuditAction.DATA_PURGED,
            actor=actor,
            subject=campaign,
            detail={
                "contacts_deleted": deleted,
                "retained_until": campaign.contacts_retained_until.isoformat(),
                "via": via,
            },
        )
        purged.append(PurgedCampaign(campaign.id, campaign.title, deleted))
    session.flush()
    return purged


# -- one resident's data ----------------------------------------------------------------


class ReferenceInvalid(ValueError):
    """Neither a response number nor a resume code."""


@dataclass
class ResidentData:
    """What was found for one resident, and what deleting it removes."""

    responses: list[Response] = field(default_factory=list)
    contacts: list[ContactOptIn] = field(default_factory=list)
    answer_count: int = 0
    feedback_count: int = 0
    draft_count: int = 0
    found_by: str = ""  # "contact", "reference" or both: kept in the audit entry

    @property
    def is_empty(self) -> bool:
        return not self.responses and not self.contacts

    @property
    def response_ids(self) -> str:
        return ",".join(str(r.id) for r in self.responses)

    @property
    def contact_ids(self) -> str:
        return ",".join(str(c.id) for c in self.contacts)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _is_email(text: str) -> bool:
    return "@" in text


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _contacts_matching(session: Session, contact: str) -> list[ContactOptIn]:
    wanted = contact.strip()
    if _is_email(wanted):
        query = sa.select(ContactOptIn).where(sa.func.lower(ContactOptIn.contact) == wanted.lower())
        return list(session.scalars(query.order_by(ContactOptIn.id)))
    digits = _digits(wanted)
    if len(digits) < 6:
        return []
    # Phone numbers are typed in many ways ("555 12-34", "5551234"): compare the digits.
    candidates = session.scalars(
        sa.select(ContactOptIn).where(~ContactOptIn.contact.contains("@")).order_by(ContactOptIn.id)
    )
    return [c for c in candidates if _digits(c.contact) == digits]


def _mention(pattern: str) -> re.Pattern[str]:
    """``pattern`` on its own: ``rosa@example.org`` is not found in ``larosa@example.org``."""
    if _is_email(pattern):
        return re.compile(rf"(?<![\w.+-]){re.escape(pattern)}(?![\w-]|\.\w)", re.IGNORECASE)
    return re.compile(rf"(?<!\d){re.escape(pattern)}(?!\d)")


def _responses_mentioning(session: Session, contact: str) -> list[int]:
    """Responses with an answer containing ``contact`` as typed (or its digits)."""
    wanted = contact.strip()
    if len(wanted) < 6:
        return []
    patterns = {wanted}
    if not _is_email(wanted) and len(_digits(wanted)) >= 6:
        patterns.add(_digits(wanted))
    text = sa.cast(Answer.value, sa.Text)
    condition = sa.or_(*(text.ilike(_like(p), escape="\\") for p in sorted(patterns)))
    mentions = [_mention(p) for p in patterns]
    rows = session.execute(sa.select(Answer.response_id, Answer.value).where(condition))
    found = {
        response_id
        for response_id, value in rows
        if any(m.search(json.dumps(value, ensure_ascii=False)) for m in mentions)
    }
    return sorted(found)


def response_id_for_reference(session: Session, reference: str) -> int | None:
    """The response a number or a resume code names (``None``: no such response).

    :class:`ReferenceInvalid` when ``reference`` is neither.
    """
    cleaned = reference.strip().lstrip("#")
    if cleaned.isdigit():
        number = int(cleaned)
        return number if 0 < number <= MAX_ID else None
    code = normalise_resume_code(cleaned)
    if len(code) != RESUME_CODE_LENGTH or not set(code) <= set(RESUME_ALPHABET):
        raise ReferenceInvalid(reference)
    return session.scalar(
        sa.select(ResponseDraft.response_id).where(
            ResponseDraft.resume_code_hash == resume_code_hash(code)
        )
    )


def search_resident_data(
    session: Session, *, contact: str | None = None, reference: str | None = None
) -> ResidentData:
    """What the staff search form finds (:class:`ReferenceInvalid` for a bad reference)."""
    ids = []
    found_by = []
    if contact and contact.strip():
        found_by.append("contact")
    if reference and reference.strip():
        found_by.append("reference")
        response_id = response_id_for_reference(session, reference)
        ids = [response_id] if response_id is not None else []
    data = find_resident_data(session, contact=contact, response_ids=ids)
    data.found_by = ",".join(found_by)
    return data


def find_resident_data(
    session: Session, *, contact: str | None = None, response_ids: Iterable[int] = ()
) -> ResidentData:
    """Responses with ``response_ids`` or mentioning ``contact``, and contact rows for it."""
    ids = {i for i in response_ids if 0 < i <= MAX_ID}
    contacts: list[ContactOptIn] = []
    if contact and contact.strip():
        contacts = _contacts_matching(session, contact)
        ids.update(_responses_mentioning(session, contact))
    return load_resident_data(session, ids, [c.id for c in contacts])


def load_resident_data(
    session: Session, response_ids: Iterable[int], contact_ids: Iterable[int]
) -> ResidentData:
    """The responses and contact rows with these ids (those that still exist)."""
    ids = sorted({i for i in response_ids if 0 < i <= MAX_ID})
    contact_ids = sorted({i for i in contact_ids if 0 < i <= MAX_ID})
    responses = list(
        session.scalars(
            sa.select(Response)
            .where(Response.id.in_(ids))
            .join(SurveyVersion)
            .join(Survey)
            .order_by(Response.id)
        )
    )
    contacts = list(
        session.scalars(
            sa.select(ContactOptIn)
            .where(ContactOptIn.id.in_(contact_ids))
            .order_by(ContactOptIn.id)
        )
    )
    found = [r.id for r in responses]

    def count(model: Any, column: Any) -> int:
        query = sa.select(sa.func.count()).select_from(model).where(column.in_(found))
        return int(session.scalar(query) or 0) if found else 0

    return ResidentData(
        responses=responses,
        contacts=contacts,
        answer_count=count(Answer, Answer.response_id),
        feedback_count=count(FeedbackItem, FeedbackItem.response_id),
        draft_count=count(ResponseDraft, ResponseDraft.response_id),
    )


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _quoted_texts(value: Any) -> Iterable[str]:
    """Every quoted ``text`` in a theme's job card."""
    if isinstance(value, dict):
        if isinstance(value.get("text"), str) and "row" in value:
            yield value["text"]
        for item in value.values():
            yield from _quoted_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _quoted_texts(item)


def _forget_quotes(session: Session, item_ids: Sequence[int]) -> int:
    """Take the deleted items' quotes out of the themes that show them; themes changed."""
    assigned = session.execute(
        sa.select(ThemeAssignment.theme_id, FeedbackItem.text, FeedbackItem.redacted_text)
        .join(FeedbackItem, FeedbackItem.id == ThemeAssignment.feedback_item_id)
        .where(ThemeAssignment.feedback_item_id.in_(item_ids))
        .where(ThemeAssignment.theme_id.is_not(None))
    ).all()
    texts: dict[int, set[str]] = {}
    for theme_id, text, redacted in assigned:
        texts.setdefault(theme_id, set()).update({_normalised(text), _normalised(redacted)})
    deleted = set(item_ids)
    changed = 0
    for theme in session.scalars(sa.select(Theme).where(Theme.id.in_(texts))):
        kept = [q for q in theme.representatives if q.get("item_id") not in deleted]
        quotes = {_normalised(t) for t in _quoted_texts(theme.job)}
        if len(kept) != len(theme.representatives) or quotes & texts[theme.id]:
            theme.representatives = kept
            if quotes & texts[theme.id]:
                theme.job = None
            changed += 1
    return changed


def delete_resident_data(
    session: Session,
    data: ResidentData,
    *,
    actor: Any = None,
    found_by: str = "",
    via: str = "web",
) -> dict[str, Any]:
    """Delete the responses in ``data`` with their answers, feedback items (and their
    theme assignments and quotes), drafts, and the contact rows; audit it.

    The audit entry holds counts and response ids, never the contact itself.
    """
    ids = [r.id for r in data.responses]
    item_ids = list(
        session.scalars(sa.select(FeedbackItem.id).where(FeedbackItem.response_id.in_(ids)))
    )
    counts = {
        "responses": len(ids),
        "answers": 0,
        "feedback_items": len(item_ids),
        "drafts": 0,
        "contacts": len(data.contacts),
        "themes_changed": _forget_quotes(session, item_ids) if item_ids else 0,
    }
    if item_ids:
        session.execute(
            sa.delete(ThemeAssignment).where(ThemeAssignment.feedback_item_id.in_(item_ids))
        )
        session.execute(sa.delete(FeedbackItem).where(FeedbackItem.id.in_(item_ids)))
    if ids:
        counts["drafts"] = session.execute(
            sa.delete(ResponseDraft).where(ResponseDraft.response_id.in_(ids))
        ).rowcount
        counts["answers"] = session.execute(
            sa.delete(Answer).where(Answer.response_id.in_(ids))
        ).rowcount
        session.execute(sa.delete(Response).where(Response.id.in_(ids)))
    contact_ids = [c.id for c in data.contacts]
    if contact_ids:
        session.execute(sa.delete(ContactOptIn).where(ContactOptIn.id.in_(contact_ids)))
    record(
        session,
        AuditAction.RESIDENT_DATA_DELETED,
        actor=actor,
        detail={**counts, "response_ids": ids, "found_by": found_by, "via": via},
    )
    session.flush()
    return counts
