"""The data model. Importing this package registers every table on ``db.metadata``."""

from engage.models.campaign import Campaign, ListeningSession, Workgroup
from engage.models.survey import (
    Answer,
    ContactOptIn,
    FeedbackItem,
    Response,
    ResponseDraft,
    Survey,
    SurveyVersion,
)
from engage.models.user import AccountToken, User

__all__ = [
    "AccountToken",
    "Answer",
    "Campaign",
    "ContactOptIn",
    "FeedbackItem",
    "ListeningSession",
    "Response",
    "ResponseDraft",
    "Survey",
    "SurveyVersion",
    "User",
    "Workgroup",
]
