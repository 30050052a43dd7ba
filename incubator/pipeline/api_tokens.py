"""Personal API tokens: made and revoked by their owner, checked on each API call."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import ApiToken, User, utcnow
from ..translating import lazy_gettext as _l
from . import DomainError

PREFIX = "inc_"
NAME_MAX = 100
TOKENS_MAX = 20
# Writing last_used_at on every call would make each GET a write: once an hour is enough.
TOUCH_EVERY = timedelta(hours=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token: the row, and the token itself, which is never stored nor shown again."""
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise DomainError(_l("Use between 1 and %(max)d characters.", max=NAME_MAX), field="name")
    active = db.session.scalars(
        select(ApiToken.id).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    ).all()
    if len(active) >= TOKENS_MAX:
        raise DomainError(
            _l("You have %(max)d tokens: revoke one first.", max=TOKENS_MAX), field="name"
        )
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=_hash(token), prefix=token[:10])
    db.session.add(row)
    db.session.flush()
    return row, token


def revoke_token(user: User, token_id: int) -> ApiToken | None:
    row = db.session.get(ApiToken, token_id)
    if row is None or row.user_id != user.id:
        return None
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.flush()
    return row


def user_for_token(token: str) -> User | None:
    """The active user a live token belongs to, or None (unknown, revoked, deactivated)."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash(token)))
    if row is None or row.revoked_at is not None:
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        row.last_used_at = now
        db.session.flush()  # the API's request commits it
    return user


def tokens_of(user: User) -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())
        )
    )
