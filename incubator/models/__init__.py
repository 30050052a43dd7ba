"""All models, one module per aggregate; import from here."""

from .activity import ActivityEntry
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
from .events import ProgrammeEvent
from .innovations import (
    Innovation,
    StageTransition,
    innovation_members,
    innovation_sdgs,
    sdg_goals,
    team_member_ids,
)
from .invitations import Invitation, InvitationStatus
from .mentoring import ASSESSMENT_CRITERIA, Feedback, MentorAssignment, RapidAssessment
from .milestones import Milestone, ProgressUpdate
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
from .users import User

__all__ = [
    "AccountMessageKind",
    "ASSESSMENT_CRITERIA",
    "ActivityEntry",
    "Agency",
    "Category",
    "EventKind",
    "Feedback",
    "Innovation",
    "InnovationState",
    "Invitation",
    "InvitationStatus",
    "Membership",
    "MentorAssignment",
    "Milestone",
    "MilestoneTemplate",
    "NotificationOptOut",
    "OutboxMessage",
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
