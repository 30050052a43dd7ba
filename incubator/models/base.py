"""Shared column types and vocabulary for the models."""

import enum
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC, returns aware UTC: the same on SQLite and PostgreSQL."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


def values_of(vocabulary: type[enum.StrEnum]) -> str:
    """The SQL list of an enum's values, for CHECK constraints."""
    return ", ".join(f"'{member.value}'" for member in vocabulary)


def one_of(column: str, vocabulary: type[enum.StrEnum]) -> CheckConstraint:
    """The database refuses any value of `column` outside the vocabulary (NULL passes);
    named ck_<table>_<column> by the metadata's naming convention."""
    return CheckConstraint(f"{column} IN ({values_of(vocabulary)})", name=column)


class Role(enum.StrEnum):
    COORDINATOR = "coordinator"
    INNOVATOR = "innovator"
    MENTOR = "mentor"


class EventKind(enum.StrEnum):
    """What the programme event log records. An open list: features add kinds."""

    PROGRAMME_CREATED = "programme_created"
    SETTINGS_CHANGED = "settings_changed"
    PROGRAMME_ARCHIVED = "programme_archived"
    PROGRAMME_RESTORED = "programme_restored"
    MEMBER_ADDED = "member_added"
    ROLE_CHANGED = "role_changed"
    MEMBER_REMOVED = "member_removed"
    INNOVATIONS_CARRIED_OVER = "innovations_carried_over"
    # People (programmes/people_views.py): invitations and accounts.
    INVITED = "invited"
    INVITATION_RESENT = "invitation_resent"
    INVITATION_REVOKED = "invitation_revoked"
    INVITATION_LINK_COPIED = "invitation_link_copied"
    INVITATION_ACCEPTED = "invitation_accepted"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated"
    ORGANISER_GRANTED = "organiser_granted"
    ORGANISER_WITHDRAWN = "organiser_withdrawn"
    # Places: regencies/cities ticked, agencies taking part, shared agencies curated.
    REGIONS_CHANGED = "regions_changed"
    AGENCY_ADDED = "agency_added"
    AGENCIES_CHANGED = "agencies_changed"
    AGENCIES_IMPORTED = "agencies_imported"
    AGENCY_RENAMED = "agency_renamed"
    AGENCY_MERGED = "agency_merged"
    AGENCY_DELETED = "agency_deleted"
    # The board: a coordinator moved a card past unfinished required milestones.
    GATE_OVERRIDDEN = "gate_overridden"
    # Reports: a board or milestone export was downloaded (which filters, which format).
    EXPORTED = "exported"


class Stage(enum.StrEnum):
    CREATION = "creation"
    DEVELOPMENT = "development"
    INSTITUTIONALISATION = "institutionalisation"

    @property
    def index(self) -> int:
        return list(Stage).index(self)


class InnovationState(enum.StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    DROPPED = "dropped"
    INSTITUTIONALISED = "institutionalised"


class Category(enum.StrEnum):
    PUBLIC_SERVICE = "public_service"
    GOVERNANCE = "governance"
    OTHER = "other"


class SpmSector(enum.StrEnum):
    """The minimum-service (SPM) sector an innovation serves."""

    EDUCATION = "education"
    HEALTH = "health"
    PUBLIC_WORKS = "public_works"  # public works and spatial planning
    HOUSING = "housing"
    PUBLIC_ORDER = "public_order"  # public order and community protection
    SOCIAL_AFFAIRS = "social_affairs"
    OTHER = "other"


# The UN Sustainable Development Goals, numbered 1-17.
SDG_GOALS = tuple(range(1, 18))


class RegionKind(enum.StrEnum):
    PROVINCE = "province"  # provinsi
    REGENCY = "regency"  # kabupaten
    CITY = "city"  # kota


class ReminderKind(enum.StrEnum):
    DUE_7 = "due_7"
    DUE_1 = "due_1"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"
    WEEKLY_DIGEST = "weekly_digest"
    MENTOR_ASSIGNED = "mentor_assigned"
    STAGE_MOVED = "stage_moved"
    FEEDBACK = "feedback"  # new feedback, to the innovation's team
    FEEDBACK_REPLY = "feedback_reply"  # a reply, to the others in the thread (the mentor)
    # A competition closes in 14, 7 or 2 days and the team's entry is not ready yet.
    COMPETITION_DEADLINE = "competition_deadline"


class AccountMessageKind(enum.StrEnum):
    """Outbox emails about a person's account: never bundled, never switched off."""

    PASSWORD_RESET = "password_reset"  # noqa: S105 (a name, not a password)
    INVITATION = "invitation"
    ADDED_TO_PROGRAMME = "added_to_programme"
    # Someone replicated an innovation (to its owner and coordinators): sent on its own.
    REPLICATED = "replicated"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    VOID = "void"
