"""The data model. Importing this package registers every table on ``db.metadata``."""

from engage.models.analysis import AnalysisRun, Theme, ThemeAssignment, ThemeLink
from engage.models.campaign import Campaign, ListeningSession, Workgroup
from engage.models.survey import (
    Answer,
    ContactOptIn,
    FeedbackItem,
    Response,
    ResponseDraft,
    Survey,
    SurveyInvite,
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
    "SurveyInvite",
    "SurveyVersion",
    "Theme",
    "ThemeAssignment",
    "ThemeLink",
    "User",
    "Workgroup",
]
