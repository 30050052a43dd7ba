"""Reminder settings: a programme's rules, a user's time zone and opt-outs, retrying a message."""

from sqlalchemy import delete, select, update
from sqlalchemy.sql import ColumnElement

from ..extensions import db
from ..models import (
    NotificationOptOut,
    OutboxMessage,
    OutboxStatus,
    Programme,
    ReminderKind,
    ReminderRule,
    User,
    utcnow,
)
from ..models.sql import as_text
from ..translating import lazy_gettext as _l
from . import Conflict, DomainError, activity
from .reminder_rules import ALL_KINDS, DUE_KINDS, is_kind, kinds_of, rules_for, unsubscribable
from .zones import is_valid_zone, programme_today

K = ReminderKind

# What a coordinator may change for each kind, besides switching it on or off.
EDITABLE = {
    K.DUE_7: ("offset_days", "send_hour"),
    K.DUE_1: ("offset_days", "send_hour"),
    K.DUE_TODAY: ("send_hour",),
    K.OVERDUE: ("offset_days", "repeat_every_days", "max_repeats", "send_hour"),
    K.WEEKLY_DIGEST: ("weekday", "send_hour"),
    K.MENTOR_ASSIGNED: (),
    K.STAGE_MOVED: (),
    K.FEEDBACK: (),
    K.FEEDBACK_REPLY: (),
    K.COMPETITION_DEADLINE: ("send_hour",),
}

# (lowest, highest) allowed; "days before" for due kinds, "days after" for overdue.
LIMITS = {
    "offset_days": (1, 60),
    "repeat_every_days": (1, 60),
    "max_repeats": (1, 20),
    "send_hour": (0, 23),
    "weekday": (0, 6),
}


def editable_fields(kind: str) -> tuple[str, ...]:
    return EDITABLE.get(kind, ())


def update_rule(programme: Programme, kind: str, *, actor: User, enabled: bool, **values):
    """Change one of the programme's reminder rules; unknown kinds and out-of-range values fail."""
    if not is_kind(kind):
        raise DomainError(_l("Unknown reminder kind."), field="kind")
    rule: ReminderRule = rules_for(programme.id)[kind]
    changes = {}
    for name in editable_fields(kind):
        value = values.get(name)
        low, high = LIMITS[name]
        if value is None or not isinstance(value, int) or not low <= value <= high:
            raise DomainError(
                _l("Enter a whole number from %(min)d to %(max)d.", min=low, max=high), field=name
            )
        if getattr(rule, name) != value:
            changes[name] = [getattr(rule, name), value]
            setattr(rule, name, value)
    if rule.enabled != bool(enabled):
        changes["enabled"] = [rule.enabled, bool(enabled)]
        rule.enabled = bool(enabled)
        if rule.enabled:  # a quiet start: what is overdue by now gets one catch-up summary
            rule.started_on = programme_today(programme)
    if changes:
        activity.record(
            "reminder_rule_changed",
            actor=actor,
            programme_id=programme.id,
            kind=kind,
            changes=changes,
        )
    db.session.flush()
    return rule


def opted_out_kinds(user: User) -> set[str]:
    return set(
        db.session.scalars(
            select(NotificationOptOut.kind).where(NotificationOptOut.user_id == user.id)
        )
    )


def set_notification_settings(user: User, *, timezone: str | None, enabled_kinds) -> None:
    """The user's time zone (None: the programme's) and which kinds of email they get."""
    timezone = (timezone or "").strip() or None
    if timezone is not None and not is_valid_zone(timezone):
        raise DomainError(_l("Choose a time zone from the list."), field="timezone")
    enabled = set(enabled_kinds)
    if any(not is_kind(kind) for kind in enabled):
        raise DomainError(_l("Unknown reminder kind."), field="kinds")
    wanted_off = set(ALL_KINDS) - enabled
    current_off = opted_out_kinds(user)
    for kind in sorted(wanted_off - current_off):
        db.session.add(NotificationOptOut(user_id=user.id, kind=kind))
    if current_off - wanted_off:
        db.session.execute(
            delete(NotificationOptOut).where(
                NotificationOptOut.user_id == user.id,
                NotificationOptOut.kind.in_(current_off - wanted_off),
            )
        )
    changed_zone = user.timezone != timezone
    user.timezone = timezone
    _void_pending(user, wanted_off - current_off)
    if changed_zone:
        # Reminders already queued for the old zone's 08:00 are rewritten for the new one.
        _void_pending(user, DUE_KINDS + (K.OVERDUE, K.WEEKLY_DIGEST), reason="timezone_changed")
    if changed_zone or wanted_off != current_off:
        activity.record(
            "notification_settings_changed",
            actor=user,
            programme_id=None,
            timezone=timezone,
            switched_off=sorted(wanted_off),
        )
    db.session.flush()


def opt_out(user: User, kind: str) -> bool:
    """Switch one kind off (the one-click unsubscribe; a bundle's: all it carries); False if
    it already was."""
    if not unsubscribable(kind):
        raise DomainError(_l("Unknown reminder kind."), field="kind")
    kinds = set(kinds_of(kind)) - opted_out_kinds(user)
    if not kinds:
        return False
    for each in sorted(kinds):
        db.session.add(NotificationOptOut(user_id=user.id, kind=each))
    _void_pending(user, kinds)
    activity.record("notification_unsubscribed", actor=user, programme_id=None, kind=kind)
    db.session.flush()
    return True


def void_where(condition: ColumnElement, reason: str, statuses=(OutboxStatus.PENDING,)) -> int:
    """Void queued messages that are no longer due; their dedupe key is freed for a new one.

    (If the due date moves back, the reminder for it may be due again.)
    """
    table = OutboxMessage.__table__  # Core: no ORM bookkeeping, which costs more than the UPDATE
    result = db.session.execute(
        update(table)
        .where(OutboxMessage.status.in_(statuses), condition)
        .values(
            status=OutboxStatus.VOID,
            dedupe_key=OutboxMessage.dedupe_key + ":void:" + as_text(OutboxMessage.id),
            claimed_at=None,
            claimed_by=None,
            last_error=reason,
        ),
        execution_options={"synchronize_session": False},
    )
    return result.rowcount or 0


def _void_pending(user: User, kinds, reason: str = "opted_out") -> None:
    if kinds:
        void_where(
            (OutboxMessage.recipient_id == user.id) & OutboxMessage.kind.in_(list(kinds)), reason
        )


def retry_message(message: OutboxMessage, *, actor: User) -> None:
    """Send a failed message again, from a fresh first attempt.

    A reminder or notice went out inside an email (its bundle): that email is sent
    again, with every item that failed with it.
    """
    if message.status != OutboxStatus.FAILED:
        raise Conflict(_l("Only a message that failed can be sent again."))
    if message.bundle_id is not None:
        bundle = db.session.get(OutboxMessage, message.bundle_id)
        if bundle is not None and bundle.status == OutboxStatus.FAILED:
            message = bundle
    db.session.execute(
        update(OutboxMessage.__table__)
        .where(
            OutboxMessage.bundle_id == message.id,
            OutboxMessage.status == OutboxStatus.FAILED,
        )
        .values(status=OutboxStatus.PENDING, last_error=None),
        execution_options={"synchronize_session": False},
    )
    message.status = OutboxStatus.PENDING
    message.attempts = 0
    message.next_attempt_at = utcnow()
    message.claimed_at = None
    message.claimed_by = None
    activity.record(
        "outbox_message_retried",
        actor=actor,
        programme_id=message.programme_id,
        innovation_id=message.innovation_id,
        message_id=message.id,
        last_error=message.last_error,
    )
    message.last_error = None
    db.session.flush()
