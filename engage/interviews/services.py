"""Starting interviews, and remembering the interviewer's language and place between
them so that the next one starts in one tap."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask import session as browser_session
from sqlalchemy.orm import Session

from engage.campaigns.services import visible_campaigns
from engage.models import Campaign, Channel, Survey
from engage.resident import drafts
from engage.responses.services import definition_of
from surveys.i18n import offered_languages

SESSION_KEY = "engage_interview"
MAX_PLACE = 120


@dataclass(frozen=True)
class InterviewSetting:
    """What the interviewer chose last for a survey: the language and the place."""

    survey_id: int
    language: str
    place: str


def open_surveys(session: Session, user: Any) -> list[Survey]:
    """Surveys ``user`` can take answers for: published, in an open campaign they may
    see (their workgroups'), not limited to invited residents."""
    campaigns = visible_campaigns(user).with_only_columns(Campaign.id)
    query = (
        sa.select(Survey)
        .join(Campaign, Survey.campaign_id == Campaign.id)
        .where(Survey.is_open_for_answers, Campaign.is_open, Survey.invite_only.is_(False))
        .where(Campaign.id.in_(campaigns))
        .order_by(Campaign.title, Survey.slug)
    )
    return list(session.scalars(query))


def languages_of(survey: Survey) -> list[str]:
    return list(offered_languages(definition_of(survey.current_version)))


def start_interview(
    session: Session, survey: Survey, *, interviewer: Any, language: str, place: str
) -> drafts.NewDraft:
    """A draft taken down by ``interviewer``; the choice is remembered for the next."""
    place = place.strip()[:MAX_PLACE]
    new = drafts.start_draft(
        session,
        version=survey.current_version,
        language=language,
        channel=Channel.INTERVIEWER,
        entered_by=interviewer,
        place=place or None,
    )
    remember_setting(survey, language, place)
    return new


def remember_setting(survey: Survey, language: str, place: str) -> None:
    """Keep this browser's language and place for the next interview of ``survey``."""
    browser_session[SESSION_KEY] = {
        "survey_id": survey.id,
        "language": language,
        "place": place.strip()[:MAX_PLACE],
    }


def last_setting(survey: Survey) -> InterviewSetting | None:
    """The language and place of this browser's last interview for ``survey``."""
    saved = browser_session.get(SESSION_KEY) or {}
    if saved.get("survey_id") != survey.id:
        return None
    return InterviewSetting(survey.id, str(saved.get("language", "")), str(saved.get("place", "")))
