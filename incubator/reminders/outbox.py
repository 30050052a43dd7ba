"""The outbox's state changes: claim, mark sent, schedule a retry, fail, release, void.

Statuses: pending -> sending (claimed) -> sent | pending again (retry) | failed.
A claim older than the claim timeout (the worker crashed between claim and send)
may be claimed again, so nothing is lost; at worst one message goes out twice.
"""

import os
import socket
import threading
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, or_, select, update
from sqlalchemy.sql import ColumnElement

from ..extensions import db
from ..models import OutboxMessage, OutboxStatus, utcnow
from ..models.sql import dialect_name
from ..pipeline.reminder_rules import ITEM_KINDS
from ..pipeline.reminders import void_where
from .bundles import settle_items

Msg = OutboxMessage
# Updates go to the table (Core): no ORM bookkeeping, which costs more than the UPDATE.
TABLE = OutboxMessage.__table__
S = OutboxStatus
_SYNC = {"synchronize_session": False}

DEFAULTS = {
    "REMINDERS_BATCH_SIZE": 50,
    "REMINDERS_MAX_ATTEMPTS": 8,
    "REMINDERS_RETRY_BASE_SECONDS": 60,
    "REMINDERS_RETRY_MAX_SECONDS": 6 * 3600,
    "REMINDERS_CLAIM_TIMEOUT_SECONDS": 600,
}


def setting(name: str) -> int:
    return int(current_app.config.get(name, DEFAULTS[name]))


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"[:64]


def claim_timeout() -> timedelta:
    return timedelta(seconds=setting("REMINDERS_CLAIM_TIMEOUT_SECONDS"))


def backoff(attempts: int) -> timedelta:
    """Exponential: base, 2 x base, 4 x base ... after the 1st, 2nd, 3rd failed attempt."""
    base = setting("REMINDERS_RETRY_BASE_SECONDS")
    return timedelta(
        seconds=min(base * 2 ** max(attempts - 1, 0), setting("REMINDERS_RETRY_MAX_SECONDS"))
    )


def claimable(now: datetime) -> ColumnElement:
    """Due messages; items (reminders, notices) only ever go out inside their bundle."""
    return and_(
        or_(
            and_(Msg.status == S.PENDING, Msg.next_attempt_at <= now),
            and_(Msg.status == S.SENDING, Msg.claimed_at < now - claim_timeout()),
        ),
        Msg.kind.not_in([str(k) for k in ITEM_KINDS]),
    )


def claim(worker: str, limit: int, now: datetime | None = None) -> list[int]:
    """Take up to `limit` due messages for this worker and commit, so no one else takes them.

    PostgreSQL: the rows are picked in a CTE with FOR UPDATE SKIP LOCKED (a CTE runs
    once; as an IN subquery its LIMIT could be re-applied to rows the UPDATE already
    changed, claiming more). SQLite: one conditional UPDATE, atomic under its write lock.
    """
    now = now or utcnow()
    pick = select(Msg.id).where(claimable(now)).order_by(Msg.next_attempt_at, Msg.id).limit(limit)
    changes = {
        "status": S.SENDING,
        "claimed_at": now,
        "claimed_by": worker,
        "attempts": Msg.attempts + 1,
    }
    if dialect_name() == "postgresql":
        picked = pick.with_for_update(skip_locked=True).cte("picked")
        statement = update(TABLE).where(TABLE.c.id == picked.c.id)
    else:
        statement = update(TABLE).where(Msg.id.in_(pick.scalar_subquery()), claimable(now))
    statement = statement.values(**changes).returning(TABLE.c.id)
    ids = list(db.session.execute(statement, execution_options=_SYNC).scalars())
    db.session.commit()
    return sorted(ids)


def _mine(message_id: int, worker: str) -> ColumnElement:
    return and_(Msg.id == message_id, Msg.status == S.SENDING, Msg.claimed_by == worker)


def mark_sent(message_id: int, worker: str, *, bundle: bool = False) -> None:
    """Sent; a bundle's items with it, in the same transaction."""
    result = db.session.execute(
        update(TABLE)
        .where(_mine(message_id, worker))
        .values(status=S.SENT, sent_at=utcnow(), last_error=None),
        execution_options=_SYNC,
    )
    if bundle and result.rowcount:
        settle_items(message_id, S.SENT)
    db.session.commit()


def mark_failed(message_id: int, worker: str, error: str, *, bundle: bool = False) -> None:
    result = db.session.execute(
        update(TABLE)
        .where(_mine(message_id, worker))
        .values(status=S.FAILED, last_error=error[:2000]),
        execution_options=_SYNC,
    )
    if bundle and result.rowcount:
        settle_items(message_id, S.FAILED, error[:2000])
    db.session.commit()


def mark_retry(
    message_id: int, worker: str, attempts: int, error: str, *, bundle: bool = False
) -> bool:
    """Schedule another attempt with backoff; after the last attempt the message fails.

    A bundle's items stay attached to it for the next attempt. Returns True when a
    retry was scheduled.
    """
    if attempts >= setting("REMINDERS_MAX_ATTEMPTS"):
        mark_failed(message_id, worker, error, bundle=bundle)
        return False
    db.session.execute(
        update(TABLE)
        .where(_mine(message_id, worker))
        .values(
            status=S.PENDING,
            next_attempt_at=utcnow() + backoff(attempts),
            claimed_at=None,
            claimed_by=None,
            last_error=error[:2000],
        ),
        execution_options=_SYNC,
    )
    db.session.commit()
    return True


def release(message_ids: list[int], worker: str) -> None:
    """Give back claimed messages that were never tried (their attempt does not count)."""
    if not message_ids:
        return
    db.session.execute(
        update(TABLE)
        .where(Msg.id.in_(message_ids), Msg.status == S.SENDING, Msg.claimed_by == worker)
        .values(status=S.PENDING, attempts=Msg.attempts - 1, claimed_at=None, claimed_by=None),
        execution_options=_SYNC,
    )
    db.session.commit()


def void_claimed(message_id: int, worker: str, reason: str, *, bundle: bool = False) -> None:
    if void_where(_mine(message_id, worker), reason, statuses=(S.SENDING,)) and bundle:
        settle_items(message_id, S.VOID, reason)
    db.session.commit()


def void_items(message_ids: list[int], reason: str) -> None:
    """Items of a bundle that stopped being due since they were enqueued."""
    if message_ids:
        void_where(Msg.id.in_(message_ids), reason)
        db.session.commit()
