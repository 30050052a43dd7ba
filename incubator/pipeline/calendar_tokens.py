"""The secret in a person's calendar feed URL: made when first needed, replaced on demand."""

import secrets

from sqlalchemy import select

from ..extensions import db
from ..models import User


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


def ensure_calendar_token(user: User) -> bool:
    """Give `user` a feed token if they have none; True when one was made (commit it)."""
    if user.calendar_token:
        return False
    user.calendar_token = new_calendar_token()
    db.session.flush()
    return True


def regenerate_calendar_token(user: User) -> str:
    """A new token; the old URL stops working at once."""
    user.calendar_token = new_calendar_token()
    db.session.flush()
    return user.calendar_token


def user_by_calendar_token(token: str) -> User | None:
    """The active person whose feed this is, or None (wrong, old or too long a token)."""
    if not token or len(token) > 64:
        return None
    user = db.session.scalar(select(User).where(User.calendar_token == token))
    return user if user is not None and user.active else None
