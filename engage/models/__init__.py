"""The data model. Importing this package registers every table on ``db.metadata``."""

from engage.models.analysis import AnalysisRun, Theme, ThemeAssignment
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
    "AnalysisRun",
    "Answer",
    "Campaign",
    "ContactOptIn",
    "FeedbackItem",
    "ListeningSession",
    "Response",
    "ResponseDraft",
    "Survey",
    "SurveyVersion",
    "Theme",
    "ThemeAssignment",
    "User",
    "Workgroup",
]
