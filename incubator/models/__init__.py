"""All models, one module per aggregate; import from here."""

from .activity import ActivityEntry
from .api_tokens import ApiToken
from .base import (
    SDG_GOALS,
    AccountMessageKind,
    Category,
    EventKind,
    InnovationState,
    OutboxStatus,
    RegionKind,
    ReminderKind,
    Role,
    SpmSector,
    Stage,
    utcnow,
)
from .competitions import (
    CompetitionEntry,
    CompetitionRequiredDocument,
    CompetitionSection,
    CompetitionTemplate,
    EntrySection,
    EntrySectionComment,
    EntrySectionScore,
    PrefillSource,
    entry_section_documents,
    programme_competitions,
)
from .documents import Document, DocumentKind
from .events import ProgrammeEvent
from .innovations import (
    ColumnCount,
    Innovation,
    StageTransition,
    innovation_members,
    innovation_sdgs,
    sdg_goals,
    team_member_ids,
)
from .invitations import Invitation, InvitationStatus
from .mentoring import ASSESSMENT_CRITERIA, Feedback, MentorAssignment, RapidAssessment
from .milestones import DueDateRequest, DueDateRequestStatus, Milestone, ProgressUpdate
from .notifications import NotificationOptOut, OutboxMessage, ReminderRule
from .places import programme_agencies, programme_regions
from .programmes import (
    Agency,
    Membership,
    MilestoneTemplate,
    Programme,
    Region,
    programme_members,
)
from .security import SecurityEvent, SecurityEventKind
from .users import LoginSession, User

__all__ = [
    "AccountMessageKind",
    "ASSESSMENT_CRITERIA",
    "ActivityEntry",
    "ApiToken",
    "Agency",
    "Category",
    "ColumnCount",
    "CompetitionEntry",
    "CompetitionRequiredDocument",
    "CompetitionSection",
    "CompetitionTemplate",
    "EntrySection",
    "EntrySectionComment",
    "EntrySectionScore",
    "PrefillSource",
    "entry_section_documents",
    "programme_competitions",
    "Document",
    "DocumentKind",
    "EventKind",
    "DueDateRequest",
    "DueDateRequestStatus",
    "Feedback",
    "Innovation",
    "LoginSession",
    "InnovationState",
    "Invitation",
    "InvitationStatus",
    "Membership",
    "MentorAssignment",
    "Milestone",
    "MilestoneTemplate",
    "NotificationOptOut",
    "OutboxMessage",
    "SecurityEvent",
    "SecurityEventKind",
    "OutboxStatus",
    "Programme",
    "ProgrammeEvent",
    "ProgressUpdate",
    "RapidAssessment",
    "Region",
    "RegionKind",
    "ReminderKind",
    "ReminderRule",
    "Role",
    "SDG_GOALS",
    "SpmSector",
    "Stage",
    "StageTransition",
    "User",
    "sdg_goals",
    "team_member_ids",
    "innovation_members",
    "innovation_sdgs",
    "programme_agencies",
    "programme_members",
    "programme_regions",
    "utcnow",
]
