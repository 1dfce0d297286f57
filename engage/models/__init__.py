"""The data model. Importing this package registers every table on ``db.metadata``."""

from engage.models.campaign import Campaign, ListeningSession, Workgroup
from engage.models.survey import Answer, FeedbackItem, Response, Survey, SurveyVersion
from engage.models.user import AccountToken, User

__all__ = [
    "AccountToken",
    "Answer",
    "Campaign",
    "FeedbackItem",
    "ListeningSession",
    "Response",
    "Survey",
    "SurveyVersion",
    "User",
    "Workgroup",
]
