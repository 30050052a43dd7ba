"""Enqueue: compute due reminders with set-based SQL and write them to the outbox.

Every step is one INSERT ... SELECT ... ON CONFLICT DO NOTHING on the outbox's
unique dedupe key, so running enqueue twice, or on two machines at once, writes
nothing new. A reminder is due at its rule's hour (08:00) in the recipient's time
zone on its day: rows for the recipient's today and tomorrow are written with
`next_attempt_at` at that instant, and deliver sends each when its time comes.
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
    text,
    union,
    union_all,
)
from sqlalchemy.sql import ColumnElement

from ..extensions import db
from ..models import (
    Innovation,
    InnovationState,
    MentorAssignment,
    Milestone,
    NotificationOptOut,
    OutboxStatus,
    Programme,
    ReminderKind,
    ReminderRule,
    Role,
    StageTransition,
    User,
    innovation_members,
    programme_members,
    utcnow,
)
from ..models.base import UTCDateTime
from . import outbox
from .rules import (
    DUE_KINDS,
    ESCALATE_TO_MENTORS_AFTER_DAYS,
    MILESTONE_KINDS,
    ensure_default_rules,
)
from .sql import (
    add_days,
    days_between,
    dialect_name,
    execute_counting,
    insert_ignoring_conflicts,
    json_object,
    key,
)
from .timezones import instant, is_valid_zone, local_today

K = ReminderKind
# Notices for moves and assignments seen within this window (a day of downtime is caught up).
NOTICE_LOOKBACK = timedelta(days=1)
# Serialises enqueuers on PostgreSQL, so concurrent INSERTs cannot deadlock on the keys.
ADVISORY_LOCK_KEY = 5_000_000_005

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


@dataclass
class EnqueueResult:
    reminders: int = 0
    digests: int = 0
    notices: int = 0
    voided: int = 0

    @property
    def written(self) -> int:
        return self.reminders + self.digests + self.notices

    def __str__(self) -> str:
        return (
            f"enqueued {self.written} (reminders {self.reminders}, digests {self.digests}, "
            f"notices {self.notices}), voided {self.voided}"
        )


@dataclass(frozen=True)
class Slot:
    """The instant a reminder for `day` is due for recipients in `zone` at `hour`."""

    zone: str
    hour: int
    day: date
    send_at: datetime


def enqueue(now: datetime | None = None) -> EnqueueResult:
    """Void what is no longer due, then write milestone reminders, digests and notices.

    The caller commits.
    """
    now = now or utcnow()
    _lock()
    ensure_default_rules()
    result = EnqueueResult(voided=void_stale())
    rules = _enabled_rules()
    slots = build_slots(now, {r.send_hour for r in rules})
    if slots:
        due = [r for r in rules if r.kind in DUE_KINDS]
        overdue = [r for r in rules if r.kind == K.OVERDUE]
        if due:
            result.reminders += _execute(_due_select(slots, due, now))
        if overdue:
            result.reminders += _execute(_overdue_select(slots, overdue, now))
        if any(r.kind == K.WEEKLY_DIGEST for r in rules):
            result.digests = _execute(_digest_select(slots, now))
    result.notices = enqueue_notices(now, locked=True)
    return result


def enqueue_notices(now: datetime | None = None, *, locked: bool = False) -> int:
    """Immediate notices, derived from recent stage moves and mentor assignments."""
    now = now or utcnow()
    if not locked:
        _lock()
        ensure_default_rules()
    since = now - NOTICE_LOOKBACK
    return _execute(_stage_moved_select(since, now)) + _execute(_mentor_assigned_select(since, now))


def void_stale() -> int:
    """Pending messages that are no longer due become void (set-based)."""
    o = outbox.Msg
    still_due = exists().where(
        Milestone.id == o.milestone_id,
        Milestone.due_date == o.due_date,
        Milestone.done_at.is_(None),
        Innovation.id == Milestone.innovation_id,
        Innovation.state == InnovationState.ACTIVE,
    )
    opted_out = exists().where(
        NotificationOptOut.user_id == o.recipient_id, NotificationOptOut.kind == o.kind
    )
    switched_off = exists().where(
        ReminderRule.programme_id == o.programme_id,
        ReminderRule.kind == o.kind,
        ReminderRule.enabled.is_(False),
    )
    return (
        outbox.void_where(and_(o.kind.in_(MILESTONE_KINDS), ~still_due), "no_longer_due")
        + outbox.void_where(opted_out, "opted_out")
        + outbox.void_where(switched_off, "rule_disabled")
    )


def build_slots(now: datetime, hours: set[int]) -> list[Slot]:
    """Today and tomorrow in every zone a recipient may be in, at every rule hour."""
    slots = []
    for zone in sorted(_zones_in_use()):
        today = local_today(zone, now)
        for day in (today, today + timedelta(days=1)):
            slots.extend(Slot(zone, hour, day, instant(day, hour, zone)) for hour in sorted(hours))
    return slots


def _lock() -> None:
    if dialect_name() == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})


def _execute(select_statement) -> int:
    statement = insert_ignoring_conflicts(outbox.Msg.__table__, OUTBOX_COLUMNS, select_statement)
    return execute_counting(statement)


def _enabled_rules() -> list[ReminderRule]:
    rows = db.session.execute(
        select(
            ReminderRule.kind,
            ReminderRule.offset_days,
            ReminderRule.repeat_every_days,
            ReminderRule.max_repeats,
            ReminderRule.send_hour,
        )
        .where(ReminderRule.enabled.is_(True))
        .distinct()
    )
    return list(rows)


def _zones_in_use() -> set[str]:
    users = select(User.timezone).where(User.timezone.is_not(None)).distinct()
    programmes = select(Programme.timezone).distinct()
    zones = set(db.session.scalars(users)) | set(db.session.scalars(programmes))
    zones.add(current_app.config["APP_TIMEZONE"])
    return {z for z in zones if is_valid_zone(z)}


def _slots_table(slots: list[Slot]):
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


def _recipient_zone(user_zone: ColumnElement, programme_zone: ColumnElement) -> ColumnElement:
    """The user's zone, else the programme's, else APP_TIMEZONE."""
    return func.coalesce(
        func.nullif(user_zone, ""),
        func.nullif(programme_zone, ""),
        literal(current_app.config["APP_TIMEZONE"], String),
    )


def _not_opted_out(user_id: ColumnElement, kind: ColumnElement) -> ColumnElement:
    return ~exists().where(NotificationOptOut.user_id == user_id, NotificationOptOut.kind == kind)


def _outbox_row(*values, send_at, now):
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
    zone = _recipient_zone(User.timezone, cand.c.programme_zone)
    return (
        select(
            *_outbox_row(
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
        .where(User.active.is_(True), _not_opted_out(rcpt.c.user_id, cand.c.kind))
    )


def _due_select(slots: list[Slot], rules, now):
    """Due in N days: the reminder's day is N days before the due date."""
    days = {s.day for s in slots}
    dates = sorted({day + timedelta(days=r.offset_days) for day in days for r in rules})
    cand = _milestone_candidates(DUE_KINDS, Milestone.due_date.in_(dates))
    rcpt = _milestone_recipients(cand, with_mentors=False)
    table = _slots_table(slots)
    day_match = cand.c.due_date == add_days(table.c.day, cand.c.offset_days)
    return _milestone_select(cand, rcpt, table, day_match, cand.c.offset_days, now)


def _overdue_select(slots: list[Slot], rules, now):
    """Overdue: first `offset` days after the due date, then every `repeat` days, `max` times."""
    days = {s.day for s in slots}
    span = max(
        r.offset_days + (r.repeat_every_days or 0) * ((r.max_repeats or 1) - 1) for r in rules
    )
    earliest = min(days) - timedelta(days=span)
    latest = max(days) - timedelta(days=min(r.offset_days for r in rules))
    cand = _milestone_candidates((K.OVERDUE,), Milestone.due_date.between(earliest, latest))
    rcpt = _milestone_recipients(cand, with_mentors=True)
    table = _slots_table(slots)
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
    )
    return _milestone_select(cand, rcpt, table, day_match, late, now)


def _digest_select(slots: list[Slot], now):
    """The weekly digest: coordinators, and mentors with an active assignment in the programme."""
    rule = ReminderRule
    table = _slots_table(slots)
    zone = _recipient_zone(User.timezone, Programme.timezone)
    kind = literal(str(K.WEEKLY_DIGEST), String)
    mentors_here = exists().where(
        MentorAssignment.mentor_id == User.id,
        MentorAssignment.unassigned_at.is_(None),
        Innovation.id == MentorAssignment.innovation_id,
        Innovation.programme_id == Programme.id,
    )
    return (
        select(
            *_outbox_row(
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
        .join(programme_members, programme_members.c.programme_id == Programme.id)
        .join(User, User.id == programme_members.c.user_id)
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
            or_(User.role == Role.COORDINATOR, and_(User.role == Role.MENTOR, mentors_here)),
            _not_opted_out(User.id, kind),
        )
    )


def _notice_select(kind: str, events, recipients, context_key: str, now):
    """Notices for recent events; nobody is told about what they did themselves."""
    return (
        select(
            *_outbox_row(
                key(kind, events.c.event_id, recipients.c.user_id),
                literal(kind, String),
                recipients.c.user_id,
                events.c.programme_id,
                events.c.innovation_id,
                literal(None, Integer),
                literal(None, Date),
                json_object(literal(context_key, String), events.c.event_id),
                send_at=literal(now, UTCDateTime()),
                now=now,
            )
        )
        .select_from(recipients)
        .join(events, events.c.event_id == recipients.c.event_id)
        .join(User, User.id == recipients.c.user_id)
        .where(
            User.active.is_(True),
            or_(events.c.actor_id.is_(None), events.c.actor_id != recipients.c.user_id),
            _not_opted_out(recipients.c.user_id, literal(kind, String)),
        )
    )


def _recent_events(event_id, innovation_id, actor_id, since_column, since, kind, *where):
    return (
        select(
            event_id.label("event_id"),
            innovation_id.label("innovation_id"),
            actor_id.label("actor_id"),
            Innovation.programme_id,
        )
        .join(Innovation, Innovation.id == innovation_id)
        .join(Programme, Programme.id == Innovation.programme_id)
        .join(
            ReminderRule,
            and_(
                ReminderRule.programme_id == Programme.id,
                ReminderRule.kind == str(kind),
                ReminderRule.enabled.is_(True),
            ),
        )
        .where(since_column >= since, Programme.archived.is_(False), *where)
        .cte(f"recent_{kind}")
    )


def _team(events):
    """Owner and team members of each event's innovation."""
    return [
        select(events.c.event_id, Innovation.owner_id.label("user_id"))
        .select_from(events)
        .join(Innovation, Innovation.id == events.c.innovation_id)
        .where(Innovation.owner_id.is_not(None)),
        select(events.c.event_id, innovation_members.c.user_id)
        .select_from(events)
        .join(innovation_members, innovation_members.c.innovation_id == events.c.innovation_id),
    ]


def _stage_moved_select(since: datetime, now: datetime):
    t = StageTransition
    events = _recent_events(
        t.id,
        t.innovation_id,
        t.actor_id,
        t.created_at,
        since,
        K.STAGE_MOVED,
        t.from_stage.is_not(None),
    )
    mentors = (
        select(events.c.event_id, MentorAssignment.mentor_id)
        .select_from(events)
        .join(
            MentorAssignment,
            and_(
                MentorAssignment.innovation_id == events.c.innovation_id,
                MentorAssignment.unassigned_at.is_(None),
            ),
        )
    )
    recipients = union(*_team(events), mentors).cte("stage_moved_recipients")
    return _notice_select(K.STAGE_MOVED, events, recipients, "transition_id", now)


def _mentor_assigned_select(since: datetime, now: datetime):
    a = MentorAssignment
    events = _recent_events(
        a.id,
        a.innovation_id,
        a.assigned_by_id,
        a.assigned_at,
        since,
        K.MENTOR_ASSIGNED,
        a.unassigned_at.is_(None),
    )
    mentor = (
        select(events.c.event_id, a.mentor_id)
        .select_from(events)
        .join(a, a.id == events.c.event_id)
    )
    recipients = union(*_team(events), mentor).cte("mentor_assigned_recipients")
    return _notice_select(K.MENTOR_ASSIGNED, events, recipients, "assignment_id", now)
