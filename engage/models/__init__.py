"""The data model. Importing this package registers every table on ``db.metadata``."""

from engage.models.analysis import AnalysisRun, RunStatus, Theme, ThemeAssignment, ThemeLink
from engage.models.audit import AuditAction, AuditEvent
from engage.models.campaign import Campaign, CampaignStatus, ListeningSession, Workgroup
from engage.models.codesign import CodesignRound, Prototype, PrototypeImage
from engage.models.outreach import TrackedLink
from engage.models.survey import (
    Answer,
    Channel,
    ContactOptIn,
    ExclusionReason,
    FeedbackItem,
    Response,
    ResponseDraft,
    Survey,
    SurveyInvite,
    SurveyStatus,
    SurveyVersion,
    SurveyWave,
)
from engage.models.transitions import IllegalTransition
from engage.models.user import AccountToken, RememberToken, User

__all__ = [
    "AccountToken",
    "AnalysisRun",
    "Answer",
    "AuditAction",
    "AuditEvent",
    "Campaign",
    "CampaignStatus",
    "Channel",
    "CodesignRound",
    "ContactOptIn",
    "ExclusionReason",
    "FeedbackItem",
    "IllegalTransition",
    "ListeningSession",
    "Prototype",
    "PrototypeImage",
    "RememberToken",
    "Response",
    "ResponseDraft",
    "RunStatus",
    "Survey",
    "SurveyInvite",
    "SurveyStatus",
    "SurveyVersion",
    "SurveyWave",
    "Theme",
    "ThemeAssignment",
    "ThemeLink",
    "TrackedLink",
    "User",
    "Workgroup",
]
