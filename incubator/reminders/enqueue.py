"""Enqueue: compute due reminders with set-based SQL and write them to the outbox.

Every step is one INSERT ... SELECT ... ON CONFLICT DO NOTHING on the outbox's
unique dedupe key, so running enqueue twice, or on two machines at once, writes
nothing new. A reminder is due at its rule's hour (08:00) in the recipient's time
zone on its day: rows for the recipient's today and tomorrow are written with
`next_attempt_at` at that instant. They are items: the email is the recipient's
daily bundle (see bundles.py), written last, which deliver sends when its time comes.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, exists, select, text

from ..extensions import db
from ..models import (
    Innovation,
    InnovationState,
    Milestone,
    NotificationOptOut,
    Programme,
    ReminderKind,
    ReminderRule,
    User,
    utcnow,
)
from ..models.sql import dialect_name, execute_counting, insert_ignoring_conflicts
from ..pipeline.reminder_rules import DUE_KINDS, MILESTONE_KINDS, ensure_default_rules
from ..pipeline.reminders import void_where
from ..pipeline.zones import instant, is_valid_zone, today_in
from . import outbox
from .bundles import write_daily_bundles, write_notice_bundles
from .competition import enqueue_competition_deadlines
from .notices import feedback_select, mentor_assigned_select, reply_select, stage_moved_select
from .selects import (
    OUTBOX_COLUMNS,
    Slot,
    catch_up_select,
    digest_select,
    due_select,
    overdue_select,
)

K = ReminderKind
# Notices for moves and assignments seen within this window (a day of downtime is caught up).
NOTICE_LOOKBACK = timedelta(days=1)
# Serialises enqueuers on PostgreSQL, so concurrent INSERTs cannot deadlock on the keys.
ADVISORY_LOCK_KEY = 5_000_000_005


@dataclass
class EnqueueResult:
    reminders: int = 0
    digests: int = 0
    notices: int = 0
    voided: int = 0
    bundles: int = 0

    @property
    def written(self) -> int:
        return self.reminders + self.digests + self.notices

    def __str__(self) -> str:
        return (
            f"enqueued {self.written} (reminders {self.reminders}, digests {self.digests}, "
            f"notices {self.notices}) in {self.bundles} new emails, voided {self.voided}"
        )


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
            result.reminders += _execute(due_select(slots, due, now))
        if overdue:
            result.reminders += _execute(overdue_select(slots, overdue, now))
            result.reminders += _execute(catch_up_select(slots, now))
        if any(r.kind == K.WEEKLY_DIGEST for r in rules):
            result.digests = _execute(digest_select(slots, now))
    result.reminders += enqueue_competition_deadlines(now)
    result.bundles = write_daily_bundles(now)
    result.notices, notice_bundles = _notices(now)
    result.bundles += notice_bundles
    return result


def enqueue_notices(now: datetime | None = None) -> int:
    """Immediate notices (stage moves, mentor assignments, feedback and replies) and the
    emails that carry them; returns how many notices were written."""
    now = now or utcnow()
    _lock()
    ensure_default_rules()
    return _notices(now)[0]


def _notices(now: datetime) -> tuple[int, int]:
    since = now - NOTICE_LOOKBACK
    written = sum(
        _execute(select_(since, now))
        for select_ in (stage_moved_select, mentor_assigned_select, feedback_select, reply_select)
    )
    return written, write_notice_bundles(now)


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
        void_where(
            and_(o.kind.in_(MILESTONE_KINDS), o.milestone_id.is_not(None), ~still_due),
            "no_longer_due",
        )
        + void_where(opted_out, "opted_out")
        + void_where(switched_off, "rule_disabled")
    )


def build_slots(now: datetime, hours: set[int]) -> list[Slot]:
    """Today and tomorrow in every zone a recipient may be in, at every rule hour."""
    slots = []
    for zone in sorted(_zones_in_use()):
        today = today_in(zone, now)
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
