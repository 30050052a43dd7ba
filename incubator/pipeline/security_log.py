"""The security log: who logged in (or failed to), out, and changed a password, from where.

Organisers read it on a page and with `flask --app wsgi security-log`. The caller
passes the client's address (the domain does not read the request).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import SecurityEvent, SecurityEventKind, User, utcnow

PAGE_SIZE = 50
EMAIL_KEPT = 254  # what a failed login typed, cut to the column


def record(
    kind: SecurityEventKind,
    *,
    user: User | None = None,
    email: str = "",
    address: str | None = "",
    now: datetime | None = None,
) -> SecurityEvent:
    """Add an entry; flushed, committed with the request's other writes (or alone)."""
    entry = SecurityEvent(
        kind=str(kind),
        user_id=user.id if user is not None else None,
        email=(user.email if user is not None else email or "")[:EMAIL_KEPT],
        address=(address or "")[:64],
        created_at=now or utcnow(),
    )
    db.session.add(entry)
    db.session.flush()
    return entry


def login_attempt(
    user: User | None, email: str, password_ok: bool, address: str | None
) -> SecurityEvent:
    """A login: a success, or a failure (unknown account, wrong password, deactivated
    account) with the email typed. The login view calls this once per attempt."""
    succeeded = user is not None and password_ok and user.is_active
    kind = SecurityEventKind.LOGIN_SUCCEEDED if succeeded else SecurityEventKind.LOGIN_FAILED
    return record(kind, user=user, email=email, address=address)


@dataclass
class LogPage:
    rows: list[SecurityEvent]
    next_before: int | None  # the id to ask for older entries, None on the last page


def page(before: int | None = None, size: int = PAGE_SIZE) -> LogPage:
    """Newest first, `size` at a time (keyset: ids below `before`)."""
    query = (
        select(SecurityEvent)
        .options(joinedload(SecurityEvent.user))
        .order_by(SecurityEvent.id.desc())
        .limit(size + 1)
    )
    if before is not None:
        query = query.where(SecurityEvent.id < before)
    rows = list(db.session.scalars(query))
    more = len(rows) > size
    rows = rows[:size]
    return LogPage(rows=rows, next_before=rows[-1].id if more else None)
