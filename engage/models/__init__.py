"""The data model. Importing this package registers every table on ``db.metadata``."""

from engage.models.analysis import AnalysisRun, RunStatus, Theme, ThemeAssignment, ThemeLink
from engage.models.audit import AuditAction, AuditEvent
from engage.models.backlog import (
    Decision,
    DecisionKind,
    Opportunity,
    OpportunityQuote,
    OpportunityStatus,
    OpportunityTheme,
    Sprint,
    SprintItem,
    SprintItemState,
    SprintStatus,
    Vote,
    VoteRound,
)
from engage.models.board import (
    BoardComment,
    BoardEdit,
    BoardLink,
    BoardMergeItem,
    BoardPlacement,
    BoardTheme,
)
from engage.models.campaign import Campaign, CampaignStatus, ListeningSession, Workgroup
from engage.models.codesign import CodesignRound, Prototype, PrototypeImage
from engage.models.export import ExportFile, ExportStatus
from engage.models.outreach import TrackedLink
from engage.models.reportback import EntryKind, ReportBackEntry, ReportBackUpdate
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
    "BoardComment",
    "BoardEdit",
    "BoardLink",
    "BoardMergeItem",
    "BoardPlacement",
    "BoardTheme",
    "Campaign",
    "CampaignStatus",
    "Channel",
    "CodesignRound",
    "ContactOptIn",
    "Decision",
    "DecisionKind",
    "EntryKind",
    "ExclusionReason",
    "ExportFile",
    "ExportStatus",
    "FeedbackItem",
    "IllegalTransition",
    "ListeningSession",
    "Opportunity",
    "OpportunityQuote",
    "OpportunityStatus",
    "OpportunityTheme",
    "Prototype",
    "PrototypeImage",
    "RememberToken",
    "ReportBackEntry",
    "ReportBackUpdate",
    "Response",
    "ResponseDraft",
    "RunStatus",
    "Sprint",
    "SprintItem",
    "SprintItemState",
    "SprintStatus",
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
    "Vote",
    "VoteRound",
    "Workgroup",
]
