"""Surveys: creating, publishing as numbered versions, and finding the published one.

Publishing follows one rule: once residents have answered a version (or started to), an
edit that would orphan their answers becomes a new version, and old responses keep
theirs. Any other edit updates the published version in place.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.models import Campaign, Response, ResponseDraft, Survey, SurveyVersion
from engage.orm import utcnow
from surveys import SurveyDefinition, is_storable, would_orphan_answers


def get_survey_by_slug(session: Session, slug: str) -> Survey | None:
    if not is_storable(slug):  # no survey's address has a NUL in it
        return None
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


def version_in_use(session: Session, version: SurveyVersion) -> bool:
    """Whether residents have answered ``version`` or started to."""
    for model in (Response, ResponseDraft):
        found = session.scalar(
            sa.select(model.id).where(model.survey_version_id == version.id).limit(1)
        )
        if found is not None:
            return True
    return False


def needs_new_version(session: Session, survey: Survey) -> bool:
    """Whether publishing the draft now would create a new version."""
    current = survey.current_version
    if current is None:
        return True
    draft = SurveyDefinition.from_dict(survey.draft_definition)
    if draft.to_dict() == current.definition:
        return False
    old = SurveyDefinition.from_dict(current.definition)
    return would_orphan_answers(old, draft) and version_in_use(session, current)


def publish_survey(session: Session, survey: Survey) -> SurveyVersion:
    """Publish the draft: as a new version when it must be one, else in place."""
    definition = SurveyDefinition.from_dict(survey.draft_definition).to_dict()
    current = survey.current_version
    if current is None or needs_new_version(session, survey):
        number = (current.number + 1) if current else 1
        current = SurveyVersion(
            survey=survey, number=number, definition=definition, published_at=utcnow()
        )
        session.add(current)
    elif current.definition != definition:
        current.definition = definition
        current.published_at = utcnow()
    survey.mark_published()
    session.flush()
    return current


def has_unpublished_changes(survey: Survey) -> bool:
    current = survey.current_version
    return current is None or current.definition != survey.draft_definition
