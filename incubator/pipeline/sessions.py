"""Logins as records: each login is a row; logging out deletes it.

The session cookie and the remember-me cookie both carry the login's key (through
`User.get_id`), and a request is let in only while its row exists. So a copy of
either cookie stops working when that browser logs out, and "log out everywhere"
(or a password change) ends every login of the person at once.
"""

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, delete, select

from ..extensions import db
from ..models import LoginSession, User, utcnow
from ..models.users import hash_login_key, new_login_key, new_session_token

# Longer than any cookie can live (remember-me: 14 days): older rows are dropped.
FORGOTTEN_AFTER = timedelta(days=31)


def start(user: User, *, now: datetime | None = None) -> str:
    """A new login for `user`; its key is set on the user for Flask-Login's cookies."""
    now = now or utcnow()
    db.session.execute(
        delete(LoginSession).where(
            LoginSession.user_id == user.id, LoginSession.created_at < now - FORGOTTEN_AFTER
        )
    )
    key = new_login_key()
    db.session.add(LoginSession(user_id=user.id, key_hash=hash_login_key(key), created_at=now))
    db.session.flush()
    user.login_key = key
    return key


def load(user_id: int, session_token: str, key: str, *, now: datetime | None = None) -> User | None:
    """The user of a live login (one query), or None when it ended or never was."""
    if not session_token or not key:
        return None
    now = now or utcnow()
    params = {
        "user_id": user_id,
        "token": session_token,
        "key_hash": hash_login_key(key),
        "since": now - FORGOTTEN_AFTER,
    }
    user = db.session.scalar(_live_login(), params)
    if user is not None:
        user.login_key = key
    return user


@cache
def _live_login():
    """Built once: every request asks it (building and keying a statement costs about as
    much as running this one)."""
    return (
        select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            User.id == bindparam("user_id"),
            User.session_token == bindparam("token"),
            LoginSession.key_hash == bindparam("key_hash"),
            LoginSession.created_at >= bindparam("since", type_=LoginSession.created_at.type),
        )
    )


def end(user: User) -> None:
    """End the login this request came with (logout)."""
    if user.login_key:
        db.session.execute(
            delete(LoginSession).where(
                LoginSession.user_id == user.id,
                LoginSession.key_hash == hash_login_key(user.login_key),
            )
        )
    user.login_key = None
    db.session.flush()


def end_others(user: User) -> None:
    """Keep only the login this request came with (after a password change or reset;
    with no current login, as on a reset link, every login ends)."""
    query = delete(LoginSession).where(LoginSession.user_id == user.id)
    if user.login_key:
        query = query.where(LoginSession.key_hash != hash_login_key(user.login_key))
    db.session.execute(query)
    db.session.flush()


def end_all(user: User) -> None:
    """End every login of the person, on every device (the token rotation catches
    cookies of logins that a concurrent request is creating right now)."""
    db.session.execute(delete(LoginSession).where(LoginSession.user_id == user.id))
    user.session_token = new_session_token()
    user.login_key = None
    db.session.flush()
