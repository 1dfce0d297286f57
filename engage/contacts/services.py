"""Reading a campaign's contact opt-ins, and writing them as a CSV file of their own
(never mixed with the answers: they are not linked to any response)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.audit.services import record
from engage.models import AuditAction, Campaign, ContactOptIn
from surveys.export import formula_safe

CSV_COLUMNS = ("name", "contact", "kind", "language", "created_at", "purpose")
BATCH_SIZE = 500


def contact_kind(contact: str) -> str:
    """``email`` or ``phone``: what kind of contact detail ``contact`` is."""
    return "email" if "@" in contact else "phone"


def list_contact_opt_ins(campaign: Campaign) -> sa.Select[tuple[ContactOptIn]]:
    """The campaign's contact opt-ins, newest first (a query, to page through)."""
    return (
        sa.select(ContactOptIn)
        .where(ContactOptIn.campaign_id == campaign.id)
        .order_by(ContactOptIn.created_at.desc(), ContactOptIn.id.desc())
    )


def count_contact_opt_ins(session: Session, campaign: Campaign) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count(ContactOptIn.id)).where(ContactOptIn.campaign_id == campaign.id)
        )
        or 0
    )


def contacts_csv(session: Session, campaign: Campaign) -> Iterator[bytes]:
    """The campaign's contact opt-ins as UTF-8 CSV (with a byte-order mark, for Excel),
    oldest first, read in batches; every text cell formula-safe.

    The query is made now: a web download streams after the request's session has
    committed, when ``campaign`` can no longer be read."""
    query = (
        sa.select(ContactOptIn)
        .where(ContactOptIn.campaign_id == campaign.id)
        .order_by(ContactOptIn.id)
        .execution_options(yield_per=BATCH_SIZE)
    )
    return _csv_rows(session, query)


def _csv_rows(session: Session, query: sa.Select[tuple[ContactOptIn]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    yield ("\ufeff" + buffer.getvalue()).encode()
    buffer.seek(0)
    buffer.truncate()
    for number, opt_in in enumerate(session.scalars(query), 1):
        writer.writerow(
            [
                formula_safe(opt_in.name),
                formula_safe(opt_in.contact),
                contact_kind(opt_in.contact),
                formula_safe(opt_in.language),
                opt_in.created_at.isoformat(),
                formula_safe(opt_in.purpose),
            ]
        )
        if number % BATCH_SIZE == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def record_contacts_export(session: Session, campaign: Campaign, *, actor: Any) -> None:
    """Note in the audit log that ``actor`` downloaded ``campaign``'s contact details."""
    count = count_contact_opt_ins(session, campaign)
    record(
        session,
        AuditAction.CONTACTS_EXPORTED,
        actor=actor,
        subject=campaign,
        detail={"count": count},
    )
