"""The SELECTs that enqueue inserts into the outbox: milestone reminders and the digest.

Each returns the OUTBOX_COLUMNS of new pending messages, one row per recipient,
and runs unchanged on SQLite and PostgreSQL (see models/sql.py). A "slot" is the
instant a reminder for a day is due in a time zone (08:00 local by default).
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    String,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
    union,
    union_all,
)
from sqlalchemy.sql import ColumnElement

from ..models import (
    Innovation,
    InnovationState,
    Membership,
    MentorAssignment,
    Milestone,
    NotificationOptOut,
    OutboxStatus,
    Programme,
    ReminderKind,
    ReminderRule,
    Role,
    User,
    innovation_members,
)
from ..models.base import UTCDateTime
from ..models.sql import add_days, days_between, json_object, key
from ..pipeline.reminder_rules import DUE_KINDS, ESCALATE_TO_MENTORS_AFTER_DAYS

K = ReminderKind

OUTBOX_COLUMNS = [
    "dedupe_key",
    "kind",
    "recipient_id",
    "programme_id",
    "innovation_id",
    "milestone_id",
    "due_date",
    "context",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
]


@dataclass(frozen=True)
class Slot:
    """The instant a reminder for `day` is due for recipients in `zone` at `hour`."""

    zone: str
    hour: int
    day: date
    send_at: datetime


def slots_table(slots: list[Slot]):
    rows = [
        select(
            literal(s.zone, String).label("zone"),
            literal(s.hour, Integer).label("hour"),
            literal(s.day, Date).label("day"),
            literal(s.day.weekday(), Integer).label("weekday"),
            literal(s.send_at, UTCDateTime()).label("send_at"),
        )
        for s in slots
    ]
    return (union_all(*rows) if len(rows) > 1 else rows[0]).cte("slots")


def recipient_zone(user_zone: ColumnElement, programme_zone: ColumnElement) -> ColumnElement:
    """The user's zone, else the programme's, else APP_TIMEZONE."""
    return func.coalesce(
        func.nullif(user_zone, ""),
        func.nullif(programme_zone, ""),
        literal(current_app.config["APP_TIMEZONE"], String),
    )


def not_opted_out(user_id: ColumnElement, kind: ColumnElement) -> ColumnElement:
    return ~exists().where(NotificationOptOut.user_id == user_id, NotificationOptOut.kind == kind)


def outbox_row(*values, send_at, now):
    """The OUTBOX_COLUMNS of a new pending message: dedupe key ... context, then the rest."""
    return (
        *values,
        literal(str(OutboxStatus.PENDING), String),
        literal(0, Integer),
        send_at,
        literal(now, UTCDateTime()),
    )


def _milestone_candidates(kinds, due_filter: ColumnElement):
    """Open milestones of active innovations that one of the kinds' rules may concern."""
    rule = ReminderRule
    return (
        select(
            Milestone.id.label("milestone_id"),
            Milestone.innovation_id,
            Milestone.owner_id.label("milestone_owner_id"),
            Milestone.due_date,
            Innovation.owner_id.label("innovation_owner_id"),
            Innovation.programme_id,
            Programme.timezone.label("programme_zone"),
            rule.kind,
            rule.offset_days,
            rule.repeat_every_days,
            rule.max_repeats,
            rule.send_hour,
            rule.started_on,
        )
        .join(Innovation, Innovation.id == Milestone.innovation_id)
        .join(Programme, Programme.id == Innovation.programme_id)
        .join(
            rule,
            and_(
                rule.programme_id == Programme.id,
                rule.kind.in_([str(k) for k in kinds]),
                rule.enabled.is_(True),
            ),
        )
        .where(
            Milestone.done_at.is_(None),
            Milestone.due_date.is_not(None),
            Innovation.state == InnovationState.ACTIVE,
            Innovation.is_proposal.is_(False),
            Programme.archived.is_(False),
            due_filter,
        )
        .cte("candidates")
    )


def _milestone_recipients(cand, *, with_mentors: bool):
    """Milestone owner, innovation owner and team; for overdue also the active mentors."""
    no = literal(False, Boolean).label("via_mentor")
    parts = [
        select(
            cand.c.milestone_id, cand.c.kind, cand.c.milestone_owner_id.label("user_id"), no
        ).where(cand.c.milestone_owner_id.is_not(None)),
        select(cand.c.milestone_id, cand.c.kind, cand.c.innovation_owner_id, no).where(
            cand.c.innovation_owner_id.is_not(None)
        ),
        select(cand.c.milestone_id, cand.c.kind, innovation_members.c.user_id, no)
        .select_from(cand)
        .join(innovation_members, innovation_members.c.innovation_id == cand.c.innovation_id),
    ]
    if with_mentors:
        parts.append(
            select(
                cand.c.milestone_id,
                cand.c.kind,
                MentorAssignment.mentor_id,
                literal(True, Boolean),
            )
            .select_from(cand)
            .join(
                MentorAssignment,
                and_(
                    MentorAssignment.innovation_id == cand.c.innovation_id,
                    MentorAssignment.unassigned_at.is_(None),
                ),
            )
        )
    return union(*parts).cte("recipients")


def _milestone_select(cand, rcpt, slots, day_match, offset, now):
    zone = recipient_zone(User.timezone, cand.c.programme_zone)
    return (
        select(
            *outbox_row(
                key(cand.c.kind, cand.c.milestone_id, cand.c.due_date, offset, rcpt.c.user_id),
                cand.c.kind,
                rcpt.c.user_id,
                cand.c.programme_id,
                cand.c.innovation_id,
                cand.c.milestone_id,
                cand.c.due_date,
                json_object(literal("offset", String), offset),
                send_at=slots.c.send_at,
                now=now,
            )
        )
        .select_from(rcpt)
        .join(
            cand,
            and_(cand.c.milestone_id == rcpt.c.milestone_id, cand.c.kind == rcpt.c.kind),
        )
        .join(User, User.id == rcpt.c.user_id)
        .join(slots, and_(slots.c.zone == zone, slots.c.hour == cand.c.send_hour, day_match))
        .where(User.active.is_(True), not_opted_out(rcpt.c.user_id, cand.c.kind))
    )


def due_select(slots: list[Slot], rules, now):
    """Due in N days: the reminder's day is N days before the due date."""
    days = {s.day for s in slots}
    dates = sorted({day + timedelta(days=r.offset_days) for day in days for r in rules})
    cand = _milestone_candidates(DUE_KINDS, Milestone.due_date.in_(dates))
    rcpt = _milestone_recipients(cand, with_mentors=False)
    table = slots_table(slots)
    day_match = cand.c.due_date == add_days(table.c.day, cand.c.offset_days)
    return _milestone_select(cand, rcpt, table, day_match, cand.c.offset_days, now)


def overdue_select(slots: list[Slot], rules, now):
    """Overdue: first `offset` days after the due date, then every `repeat` days, `max` times."""
    days = {s.day for s in slots}
    span = max(
        r.offset_days + (r.repeat_every_days or 0) * ((r.max_repeats or 1) - 1) for r in rules
    )
    earliest = min(days) - timedelta(days=span)
    latest = max(days) - timedelta(days=min(r.offset_days for r in rules))
    cand = _milestone_candidates((K.OVERDUE,), Milestone.due_date.between(earliest, latest))
    rcpt = _milestone_recipients(cand, with_mentors=True)
    table = slots_table(slots)
    late = days_between(table.c.day, cand.c.due_date)
    since_first = late - cand.c.offset_days
    repeat = cand.c.repeat_every_days
    day_match = and_(
        since_first >= 0,
        or_(
            since_first == 0,
            and_(
                repeat > 0,
                since_first % repeat == 0,
                since_first < repeat * func.coalesce(cand.c.max_repeats, 1),
            ),
        ),
        or_(rcpt.c.via_mentor.is_(False), late > ESCALATE_TO_MENTORS_AFTER_DAYS),
        # On the day the rule started, what was overdue already is in the catch-up summary.
        or_(
            cand.c.started_on.is_(None),
            cand.c.due_date >= cand.c.started_on,
            table.c.day > cand.c.started_on,
        ),
    )
    return _milestone_select(cand, rcpt, table, day_match, late, now)


def catch_up_select(slots: list[Slot], now):
    """A quiet start: on the day a programme's overdue rule started, one item per person and
    programme stands for every milestone already overdue then (listed when it is written)."""
    days = sorted({s.day for s in slots})
    rule = ReminderRule
    cand = _milestone_candidates(
        (K.OVERDUE,), and_(rule.started_on.in_(days), Milestone.due_date < rule.started_on)
    )
    rcpt = _milestone_recipients(cand, with_mentors=True)
    table = slots_table(slots)
    zone = recipient_zone(User.timezone, cand.c.programme_zone)
    late = days_between(cand.c.started_on, cand.c.due_date)
    kind = literal(str(K.OVERDUE), String)
    return (
        select(
            *outbox_row(
                key("catch_up", cand.c.programme_id, cand.c.started_on, rcpt.c.user_id),
                kind,
                rcpt.c.user_id,
                cand.c.programme_id,
                literal(None, Integer),
                literal(None, Integer),
                cand.c.started_on,
                json_object(literal("catch_up", String), literal(1, Integer)),
                send_at=table.c.send_at,
                now=now,
            )
        )
        .select_from(rcpt)
        .join(
            cand,
            and_(cand.c.milestone_id == rcpt.c.milestone_id, cand.c.kind == rcpt.c.kind),
        )
        .join(User, User.id == rcpt.c.user_id)
        .join(
            table,
            and_(
                table.c.zone == zone,
                table.c.hour == cand.c.send_hour,
                table.c.day == cand.c.started_on,
            ),
        )
        .where(
            User.active.is_(True),
            not_opted_out(rcpt.c.user_id, kind),
            or_(rcpt.c.via_mentor.is_(False), late > ESCALATE_TO_MENTORS_AFTER_DAYS),
        )
    )


def digest_select(slots: list[Slot], now):
    """The weekly digest: coordinators, and mentors with an active assignment in the programme."""
    rule = ReminderRule
    table = slots_table(slots)
    zone = recipient_zone(User.timezone, Programme.timezone)
    kind = literal(str(K.WEEKLY_DIGEST), String)
    mentors_here = exists().where(
        MentorAssignment.mentor_id == User.id,
        MentorAssignment.unassigned_at.is_(None),
        Innovation.id == MentorAssignment.innovation_id,
        Innovation.programme_id == Programme.id,
    )
    return (
        select(
            *outbox_row(
                key(K.WEEKLY_DIGEST, Programme.id, table.c.day, User.id),
                kind,
                User.id,
                Programme.id,
                literal(None, Integer),
                literal(None, Integer),
                table.c.day,
                json_object(),
                send_at=table.c.send_at,
                now=now,
            )
        )
        .select_from(Programme)
        .join(
            rule,
            and_(
                rule.programme_id == Programme.id,
                rule.kind == kind,
                rule.enabled.is_(True),
            ),
        )
        .join(Membership, Membership.programme_id == Programme.id)
        .join(User, User.id == Membership.user_id)
        .join(
            table,
            and_(
                table.c.zone == zone,
                table.c.hour == rule.send_hour,
                table.c.weekday == rule.weekday,
            ),
        )
        .where(
            Programme.archived.is_(False),
            User.active.is_(True),
            or_(
                Membership.role == Role.COORDINATOR,
                and_(Membership.role == Role.MENTOR, mentors_here),
            ),
            not_opted_out(User.id, kind),
        )
    )
