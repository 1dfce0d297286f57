"""Recording staff actions: what an entry keeps, and that it outlives the actor."""

from __future__ import annotations

import sqlalchemy as sa

from engage.audit.services import record
from engage.models import AuditAction, AuditEvent, Campaign, User
from tests.factories import make_user


def test_an_entry_keeps_who_did_what_to_which_object_after_the_account_is_gone(app, session):
    admin = make_user(session, email="ada@example.org", name="Ada", role="admin")
    campaign = Campaign(slug="parks", title="Parks for all")
    session.add(campaign)
    session.flush()

    with app.test_request_context("/", environ_base={"REMOTE_ADDR": "203.0.113.9"}):
        record(session, AuditAction.PUBLISHED, actor=admin, subject=campaign, detail={"n": 2})
    record(session, AuditAction.SIGN_IN_FAILED, actor_email="who@example.org")
    session.commit()
    session.delete(session.get(User, admin.id))
    session.commit()

    published, failed = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert (published.action, published.actor_id, published.actor_email) == (
        "published",
        None,
        "ada@example.org",
    )
    assert (published.subject_type, published.subject_label) == ("campaign", "Parks for all")
    assert published.remote_address == "203.0.113.9"
    assert published.detail == {"n": 2}
    assert (failed.actor_id, failed.actor_email, failed.remote_address) == (
        None,
        "who@example.org",
        "",
    )
