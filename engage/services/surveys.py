"""Surveys: creating, publishing as numbered versions, and finding the published one."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.models import Campaign, Survey, SurveyVersion
from engage.orm import utcnow
from surveys import SurveyDefinition


def get_survey_by_slug(session: Session, slug: str) -> Survey | None:
    return session.scalar(sa.select(Survey).where(Survey.slug == slug))


def create_survey(
    session: Session, *, campaign: Campaign, definition: dict[str, Any], kind: str = "listening"
) -> Survey:
    """A draft survey in ``campaign``; the definition is checked first."""
    parsed = SurveyDefinition.from_dict(definition)
    survey = Survey(
        campaign=campaign, slug=parsed.slug, kind=kind, draft_definition=parsed.to_dict()
    )
    session.add(survey)
    session.flush()
    return survey


def publish_survey(session: Session, survey: Survey) -> SurveyVersion:
    """Freeze the draft as the next version (or reuse the current one if unchanged)."""
    definition = SurveyDefinition.from_dict(survey.draft_definition).to_dict()
    current = survey.current_version
    if current is None or current.definition != definition:
        number = (current.number + 1) if current else 1
        current = SurveyVersion(
            survey=survey, number=number, definition=definition, published_at=utcnow()
        )
        session.add(current)
    survey.status = "published"
    session.flush()
    return current
