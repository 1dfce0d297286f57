"""``make_<model>(session, **overrides)``: test data with sensible defaults."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy.orm import Session

from engage.models import Campaign, User

PASSWORD = "correct horse battery"
_sequence = itertools.count(1)


def make_user(session: Session, **overrides: Any) -> User:
    n = next(_sequence)
    password = overrides.pop("password", PASSWORD)
    values = {"email": f"user{n}@example.org", "name": f"User {n}", "role": "staff"}
    values.update(overrides)
    user = User(**values)
    user.set_password(password)
    session.add(user)
    session.commit()
    return user


def make_campaign(session: Session, **overrides: Any) -> Campaign:
    n = next(_sequence)
    values: dict[str, Any] = {
        "slug": f"campaign-{n}",
        "title": f"Campaign {n}",
        "languages": ["en", "es"],
        "status": "open",
    }
    values.update(overrides)
    campaign = Campaign(**values)
    session.add(campaign)
    session.commit()
    return campaign
