"""The survey builder's service: new surveys, checked draft edits, publishing and closing.

The draft is always a definition the engine can read: an edit that would break it is
refused with its problems, so the builder can show them beside what the user typed.
Only "a page has no questions yet" is tolerated until publishing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from engage.builder.publishing import publish_survey, version_in_use
from engage.models import Campaign, Response, Survey, SurveyVersion
from engage.survey_translation.services import incomplete_languages
from surveys import (
    DefinitionDiff,
    DefinitionProblem,
    SurveyDefinition,
    diff_definitions,
)
from surveys.editing import blank_definition, draft_problems, publish_problems
from surveys.parsing import parse_definition


class DraftRejected(ValueError):
    """The edit would leave the draft unreadable; ``problems`` say why."""

    def __init__(self, problems: list[DefinitionProblem]) -> None:
        super().__init__("; ".join(f"{p.path}: {p.code}" for p in problems))
        self.problems = problems


def new_survey(
    session: Session,
    *,
    campaign: Campaign,
    title: str,
    slug: str,
    source_language: str,
    languages: list[str],
    kind: str = "listening",
) -> Survey:
    """A draft survey with one empty page; the slug must be free."""
    taken = session.scalar(sa.select(Survey.id).where(Survey.slug == slug))
    if taken is not None:
        raise DraftRejected([DefinitionProblem("$.slug", "slug_taken", {"slug": slug})])
    data = blank_definition(
        slug=slug, title=title, source_language=source_language, languages=languages
    )
    problems = draft_problems(data)
    if problems:
        raise DraftRejected(problems)
    survey = Survey(campaign=campaign, slug=slug, kind=kind, draft_definition=data)
    session.add(survey)
    session.flush()
    return survey


def import_survey(
    session: Session, *, campaign: Campaign, definition: SurveyDefinition, slug: str = ""
) -> Survey:
    """A draft survey holding an imported ``definition``, at ``slug`` when one is given
    (the address staff typed wins over the file's ``slug`` or XLSForm ``form_id``)."""
    address = slug.strip() or definition.slug
    survey = new_survey(
        session,
        campaign=campaign,
        title=next(iter(definition.title.values()), definition.slug),
        slug=address,
        source_language=definition.source_language,
        languages=list(definition.languages),
    )
    survey.draft_definition = {**definition.to_dict(), "slug": address}
    return survey


def save_draft(survey: Survey, data: dict[str, Any]) -> None:
    """Store an edited draft, normalised, or raise :class:`DraftRejected`."""
    problems = draft_problems(data)
    if problems:
        raise DraftRejected(problems)
    definition, _ = parse_definition(data)
    assert definition is not None
    survey.draft_definition = definition.to_dict()


def publish_problems_of(survey: Survey) -> list[DefinitionProblem]:
    """What stands between the draft and publishing it."""
    return publish_problems(survey.draft_definition)


def is_slug_editable(survey: Survey) -> bool:
    """A survey's address is fixed once residents may have been given it."""
    return not survey.versions


def rename_slug(session: Session, survey: Survey, slug: str) -> None:
    taken = session.scalar(sa.select(Survey.id).where(Survey.slug == slug, Survey.id != survey.id))
    if taken is not None:
        raise DraftRejected([DefinitionProblem("$.slug", "slug_taken", {"slug": slug})])
    save_draft(survey, {**survey.draft_definition, "slug": slug})
    survey.slug = slug


def response_count(session: Session, survey: Survey) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count(Response.id))
            .join(SurveyVersion, Response.survey_version_id == SurveyVersion.id)
            .where(SurveyVersion.survey_id == survey.id)
        )
        or 0
    )


@dataclass
class PublishPlan:
    """What publishing the draft now would do, for the confirmation page."""

    problems: list[DefinitionProblem]
    current_number: int | None = None
    creates_new_version: bool = False
    diff: DefinitionDiff | None = None
    incomplete: dict[str, int] = field(default_factory=dict)

    @property
    def can_publish(self) -> bool:
        return not self.problems


def plan_publish(session: Session, survey: Survey) -> PublishPlan:
    problems = publish_problems(survey.draft_definition)
    current = survey.current_version
    plan = PublishPlan(problems=problems, current_number=current.number if current else None)
    if problems:
        return plan
    plan.incomplete = incomplete_languages(survey.draft_definition)
    if current is not None:
        draft = SurveyDefinition.from_dict(survey.draft_definition)
        plan.diff = diff_definitions(SurveyDefinition.from_dict(current.definition), draft)
        # The rule of ``needs_new_version``, on the diff already made.
        plan.creates_new_version = plan.diff.orphans_answers and version_in_use(session, current)
    return plan


def publish(session: Session, survey: Survey) -> SurveyVersion:
    problems = publish_problems(survey.draft_definition)
    if problems:
        raise DraftRejected(problems)
    return publish_survey(session, survey)


def close(survey: Survey) -> None:
    """Stop taking responses; the survey's page says it has closed.

    Raises:
        IllegalTransition: ``survey_not_published``.
    """
    survey.close()


def reopen(survey: Survey) -> None:
    """Take responses again.

    Raises:
        IllegalTransition: ``survey_not_closed``.
    """
    survey.reopen()


def delete_draft_survey(session: Session, survey: Survey) -> bool:
    """Delete a survey that was never published; a published one is closed instead."""
    if survey.versions:
        return False
    session.delete(survey)
    return True
