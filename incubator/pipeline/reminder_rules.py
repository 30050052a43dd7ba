"""Reminder vocabulary: the kinds, which are about milestones, the default rules of
DESIGN section 3, and seeding them per programme. The mail machinery (`reminders/`)
reads these; the domain never imports the machinery."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import Boolean, Date, Integer, String, and_, exists, literal, select

from ..extensions import db
from ..models import Programme, ReminderKind, ReminderRule
from ..models.sql import execute_counting, insert_ignoring_conflicts
from .zones import today_in

K = ReminderKind
# Reminders about a milestone's due date ("days before" offsets) and after it.
DUE_KINDS = (K.DUE_7, K.DUE_1, K.DUE_TODAY)
MILESTONE_KINDS = (*DUE_KINDS, K.OVERDUE)
# Sent as soon as the event is seen, not at a time of day (but throttled, below).
NOTICE_KINDS = (K.MENTOR_ASSIGNED, K.STAGE_MOVED, K.FEEDBACK, K.FEEDBACK_REPLY)
ALL_KINDS = tuple(K)

# Milestone reminders and notices are items: they go out inside a bundle email, never alone.
# One email a day per person with all their milestone reminders (dedupe key: recipient and
# local date), at the rule's send hour in their zone ...
DAILY_BUNDLE = "daily_reminders"
# Days before a competition's closing date that the team of an entry not yet ready hears
# what is missing (an item of their daily email, like the milestone reminders).
COMPETITION_DAYS_BEFORE = (14, 7, 2)
# The kinds a daily bundle carries.
DAILY_KINDS = (*MILESTONE_KINDS, K.COMPETITION_DEADLINE)
# ... and one email per person and innovation for the notices of a few minutes: the first
# goes out at once, the next no sooner than NOTICE_THROTTLE after the previous one.
NOTICE_BUNDLE = "notices"
NOTICE_THROTTLE = timedelta(minutes=10)
BUNDLE_KINDS = (DAILY_BUNDLE, NOTICE_BUNDLE)
ITEM_KINDS = (*DAILY_KINDS, *NOTICE_KINDS)
# A bundle's one-click unsubscribe switches off every kind it may carry.
KIND_GROUPS = {DAILY_BUNDLE: DAILY_KINDS, NOTICE_BUNDLE: NOTICE_KINDS}

# Overdue by more than this many days also tells the assigned mentors.
ESCALATE_TO_MENTORS_AFTER_DAYS = 7


@dataclass(frozen=True)
class RuleDefaults:
    offset_days: int = 0
    repeat_every_days: int | None = None
    max_repeats: int | None = None
    send_hour: int = 8
    weekday: int | None = None


DEFAULT_RULES: dict[str, RuleDefaults] = {
    K.DUE_7: RuleDefaults(offset_days=7),
    K.DUE_1: RuleDefaults(offset_days=1),
    K.DUE_TODAY: RuleDefaults(offset_days=0),
    # First the day after the due date, then every 3 days, 5 reminders at most.
    K.OVERDUE: RuleDefaults(offset_days=1, repeat_every_days=3, max_repeats=5),
    K.WEEKLY_DIGEST: RuleDefaults(weekday=0),  # Monday, 08:00
    K.MENTOR_ASSIGNED: RuleDefaults(),
    K.STAGE_MOVED: RuleDefaults(),
    K.FEEDBACK: RuleDefaults(),
    K.FEEDBACK_REPLY: RuleDefaults(),
    K.COMPETITION_DEADLINE: RuleDefaults(),  # at COMPETITION_DAYS_BEFORE, 08:00
}


def is_kind(kind: str | None) -> bool:
    return kind in set(ALL_KINDS)


def unsubscribable(kind: str | None) -> bool:
    """A kind, or a bundle standing for its kinds."""
    return is_kind(kind) or kind in KIND_GROUPS


def kinds_of(kind: str) -> tuple[str, ...]:
    return tuple(KIND_GROUPS.get(kind, (kind,)))


def ensure_default_rules(programme_id: int | None = None) -> int:
    """Give every programme (or just one) the default rule for each kind it lacks.

    Set-based and conflict-safe: two processes seeding at once write each rule once.
    A new rule starts today (its quiet start: what is already overdue gets one summary).
    Returns how many rules were written.
    """
    written = 0
    today = today_in(current_app.config["APP_TIMEZONE"])
    for kind, defaults in DEFAULT_RULES.items():
        missing = select(
            Programme.id,
            literal(str(kind), String),
            literal(True, Boolean),
            literal(defaults.offset_days, Integer),
            literal(defaults.repeat_every_days, Integer),
            literal(defaults.max_repeats, Integer),
            literal(defaults.send_hour, Integer),
            literal(defaults.weekday, Integer),
            literal(today, Date),
        ).where(
            ~exists().where(
                and_(ReminderRule.programme_id == Programme.id, ReminderRule.kind == str(kind))
            )
        )
        if programme_id is not None:
            missing = missing.where(Programme.id == programme_id)
        statement = insert_ignoring_conflicts(
            ReminderRule.__table__,
            [
                "programme_id",
                "kind",
                "enabled",
                "offset_days",
                "repeat_every_days",
                "max_repeats",
                "send_hour",
                "weekday",
                "started_on",
            ],
            missing,
        )
        written += execute_counting(statement)
    return written


def rules_for(programme_id: int) -> dict[str, ReminderRule]:
    """The programme's rules by kind, seeding the defaults first if any are missing."""
    query = select(ReminderRule).where(ReminderRule.programme_id == programme_id)
    rules = {r.kind: r for r in db.session.scalars(query)}
    if len(rules) < len(DEFAULT_RULES):
        ensure_default_rules(programme_id)
        rules = {r.kind: r for r in db.session.scalars(query)}
    return {kind: rules[kind] for kind in ALL_KINDS if kind in rules}
