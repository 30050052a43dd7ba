"""Bundles: one email for many outbox items.

Milestone reminders and notices are written to the outbox as items (one row per
milestone, offset and recipient, or per event and recipient: their dedupe keys keep
enqueue idempotent), but they are never sent on their own. Enqueue also writes the
bundle that will carry them:

- the daily bundle, one per recipient and local date (key `daily:<recipient>:<date>`),
  due at the earliest send hour of its items (08:00 in the recipient's zone by default);
- the notice bundle, one per recipient and innovation at a time: due at once, or
  NOTICE_THROTTLE after the previous one went out.

Deliver claims a bundle like any message, then takes its items (an atomic UPDATE that
sets `bundle_id` on unattached items only, so two bundles never share one), renders
them into one email and marks the bundle and its items sent together. An item that
falls due after its day's bundle went out waits for the next day's bundle.
"""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import OutboxMessage, OutboxStatus, Programme, User, utcnow
from ..models.sql import as_text, dialect_name
from ..pipeline.reminder_rules import (
    DAILY_BUNDLE,
    DAILY_KINDS,
    NOTICE_BUNDLE,
    NOTICE_KINDS,
    NOTICE_THROTTLE,
)
from ..pipeline.zones import instant, zone_or_default

Msg = OutboxMessage
S = OutboxStatus
TABLE = OutboxMessage.__table__
_SYNC = {"synchronize_session": False}


def daily_key(recipient_id: int, day) -> str:
    return f"daily:{recipient_id}:{day.isoformat()}"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _unattached(kinds):
    return and_(
        Msg.kind.in_([str(k) for k in kinds]), Msg.status == S.PENDING, Msg.bundle_id.is_(None)
    )


def write_daily_bundles(now: datetime) -> int:
    """A daily bundle for every recipient and local day that has unattached reminders.

    The day is the item's, in the recipient's zone; when that day's bundle has already
    gone out (or is going), the item waits for the next day's, at the same hour.
    Returns how many bundles were written.
    """
    rows = db.session.execute(
        select(Msg.recipient_id, Msg.next_attempt_at, User.timezone, Programme.timezone)
        .join(User, User.id == Msg.recipient_id)
        .outerjoin(Programme, Programme.id == Msg.programme_id)
        .where(_unattached(DAILY_KINDS))
    ).all()
    if not rows:
        return 0
    wanted: dict[tuple[int, object], tuple[datetime, str]] = {}
    for recipient_id, send_at, user_zone, programme_zone in rows:
        zone = zone_or_default(user_zone, programme_zone)
        local = _aware(send_at).astimezone(ZoneInfo(zone))
        slot = (recipient_id, local.date())
        if slot not in wanted or local < wanted[slot][0]:
            wanted[slot] = (local, zone)
    states = _bundle_states(
        daily_key(r, day + timedelta(days=shift)) for (r, day) in wanted for shift in (0, 1, 2)
    )
    new = {}
    for (recipient_id, day), (local, zone) in sorted(wanted.items()):
        # That day's bundle went out (or failed, or was voided): the next day's, same hour.
        while states.get(daily_key(recipient_id, day)) not in (None, S.PENDING, S.SENDING):
            day += timedelta(days=1)
        key = daily_key(recipient_id, day)
        if key in states:
            continue  # waiting to go out: it takes this item when it does
        send_at = datetime.combine(day, local.time(), tzinfo=ZoneInfo(zone)).astimezone(UTC)
        until = instant(day + timedelta(days=1), 0, zone)
        if key not in new or send_at < new[key][1]:
            new[key] = (recipient_id, send_at, day, zone, until)
    if not new:
        return 0
    return _insert(
        [
            {
                "dedupe_key": key,
                "kind": DAILY_BUNDLE,
                "recipient_id": recipient_id,
                "due_date": day,
                "context": {"until": until.timestamp(), "zone": zone},
                "next_attempt_at": send_at,
            }
            for key, (recipient_id, send_at, day, zone, until) in new.items()
        ],
        now,
    )


def write_notice_bundles(now: datetime) -> int:
    """A notice bundle for every recipient and innovation with unattached notices and no
    bundle waiting: due now, or NOTICE_THROTTLE after the last one went out."""
    groups = db.session.execute(
        select(Msg.recipient_id, Msg.innovation_id, Msg.programme_id, func.min(Msg.id))
        .where(_unattached(NOTICE_KINDS))
        .group_by(Msg.recipient_id, Msg.innovation_id, Msg.programme_id)
    ).all()
    if not groups:
        return 0
    recipients = {g[0] for g in groups}
    bundles = db.session.execute(
        select(Msg.recipient_id, Msg.innovation_id, Msg.status, Msg.sent_at).where(
            Msg.kind == NOTICE_BUNDLE,
            Msg.recipient_id.in_(recipients),
            Msg.status.in_([S.PENDING, S.SENDING, S.SENT]),
            Msg.created_at >= now - timedelta(days=1),
        )
    ).all()
    waiting = {(r, i) for r, i, status, _ in bundles if status != S.SENT}
    last_sent: dict[tuple[int, int], datetime] = {}
    for r, i, status, sent_at in bundles:
        if status == S.SENT and sent_at is not None:
            sent_at = _aware(sent_at)
            last_sent[(r, i)] = max(last_sent.get((r, i), sent_at), sent_at)
    rows = []
    for recipient_id, innovation_id, programme_id, first_item in groups:
        if (recipient_id, innovation_id) in waiting:
            continue
        send_at = now
        if (recipient_id, innovation_id) in last_sent:
            send_at = max(now, last_sent[(recipient_id, innovation_id)] + NOTICE_THROTTLE)
        rows.append(
            {
                "dedupe_key": f"notices:{recipient_id}:{innovation_id}:{first_item}",
                "kind": NOTICE_BUNDLE,
                "recipient_id": recipient_id,
                "programme_id": programme_id,
                "innovation_id": innovation_id,
                "context": {},
                "next_attempt_at": send_at,
            }
        )
    return _insert(rows, now)


def _bundle_states(keys) -> dict[str, str]:
    keys = sorted(set(keys))
    found = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        rows = db.session.execute(
            select(Msg.dedupe_key, Msg.status).where(Msg.dedupe_key.in_(chunk))
        )
        found.update((key, status) for key, status in rows)
    return found


def _insert(rows: list[dict], now: datetime) -> int:
    if not rows:
        return 0
    for row in rows:
        row.setdefault("programme_id", None)
        row.setdefault("innovation_id", None)
        row.setdefault("due_date", None)
        row.update(status=str(S.PENDING), attempts=0, created_at=now)
    module = postgresql if dialect_name() == "postgresql" else sqlite
    statement = module.insert(TABLE).values(rows).on_conflict_do_nothing()
    result = db.session.execute(statement, execution_options={"preserve_rowcount": True})
    return max(result.rowcount, 0)


def take_items(bundle: OutboxMessage, now: datetime) -> list[int]:
    """Attach this bundle's items to it (atomically: an item joins one bundle only) and
    return the ids of all its pending items, those attached by an earlier attempt too."""
    if bundle.kind == DAILY_BUNDLE:
        until = datetime.fromtimestamp(float((bundle.context or {})["until"]), UTC)
        which = and_(
            Msg.kind.in_([str(k) for k in DAILY_KINDS]),
            Msg.next_attempt_at < until,
        )
    else:
        which = and_(
            Msg.kind.in_([str(k) for k in NOTICE_KINDS]),
            Msg.innovation_id == bundle.innovation_id,
            Msg.next_attempt_at <= now,
        )
    db.session.execute(
        update(TABLE)
        .where(
            Msg.recipient_id == bundle.recipient_id,
            Msg.status == S.PENDING,
            Msg.bundle_id.is_(None),
            which,
        )
        .values(bundle_id=bundle.id),
        execution_options=_SYNC,
    )
    db.session.commit()
    return list(
        db.session.scalars(
            select(Msg.id)
            .where(Msg.bundle_id == bundle.id, Msg.status == S.PENDING)
            .order_by(Msg.id)
        )
    )


def settle_items(bundle_id: int, status: str, reason: str | None = None) -> None:
    """The bundle went out (or failed, or was voided): its pending items follow it.

    Not committed: the caller commits it with the bundle's own change.
    """
    values = {"status": status, "last_error": reason}
    if status == S.SENT:
        values["sent_at"] = utcnow()
    if status == S.VOID:  # frees the key, as void_where does
        values["dedupe_key"] = Msg.dedupe_key + ":void:" + as_text(Msg.id)
    db.session.execute(
        update(TABLE).where(Msg.bundle_id == bundle_id, Msg.status == S.PENDING).values(**values),
        execution_options=_SYNC,
    )
