"""A browser that has sent its answers: the thank-you page is only for those."""

from __future__ import annotations

import sqlalchemy as sa
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from engage.models import Response, Survey
from engage.resident import drafts


def answers_sent_from(client: FlaskClient, session: Session, survey: Survey, language: str = "en"):
    """Make ``client`` a browser whose answers to ``survey`` were sent (returns the draft)."""
    survey = session.get(Survey, sa.inspect(survey).identity[0])  # it may be detached
    new = drafts.start_draft(session, version=survey.current_version, language=language)
    response = Response(version=survey.current_version, language=language)
    session.add(response)
    session.flush()
    new.draft.response_id = response.id
    session.commit()
    client.set_cookie(f"draft_{survey.id}", new.token, path=f"/s/{survey.slug}")
    return new.draft
