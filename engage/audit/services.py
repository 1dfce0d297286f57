"""Recording staff actions in the audit log.

Services call :func:`record` inside the request's unit of work, so an entry is stored
exactly when the action is. An action that is refused but must still be logged (a
failed sign-in) is recorded by a view that calls ``keep_changes()``.
"""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from sqlalchemy.orm import Session

from engage.models.audit import AuditAction, AuditEvent

MAX_LABEL = 200


def _label_of(subject: Any) -> str:
    for attribute in ("email", "title", "name", "slug"):
        value = getattr(subject, attribute, None)
        if isinstance(value, str) and value:
            return value[:MAX_LABEL]
    return ""


def record(
    session: Session,
    action: AuditAction,
    *,
    actor: Any = None,
    subject: Any = None,
    detail: dict[str, Any] | None = None,
    actor_email: str = "",
) -> AuditEvent:
    """Add an audit entry for ``action`` by ``actor`` (a user, or ``None``) on ``subject``.

    ``actor_email`` names an actor that is not a known account (a failed sign-in).
    """
    authenticated = actor is not None and getattr(actor, "is_authenticated", True)
    event = AuditEvent(
        action=AuditAction(action).value,
        actor_id=actor.id if authenticated else None,
        actor_email=(actor.email if authenticated else actor_email)[:254],
        subject_type=type(subject).__name__.lower() if subject is not None else "",
        subject_id=getattr(subject, "id", None),
        subject_label=_label_of(subject) if subject is not None else "",
        remote_address=(request.remote_addr or "")[:64] if has_request_context() else "",
        detail=detail or {},
    )
    session.add(event)
    return event
