"""Users: people who log in, with their language and time zone; roles are per programme."""

import hashlib
import secrets
from datetime import datetime
from functools import lru_cache

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from ..extensions import db
from .base import UTCDateTime, utcnow

# The languages of the interface and of emails (a user's `locale` is one or None).
LANGUAGES = ("id", "en")


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Account-level right to create programmes; roles live on the memberships.
    is_organiser: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # None means "not chosen": the browser's language applies.
    locale: Mapped[str | None] = mapped_column(String(5))
    # None means the programme's (or the app's) time zone applies.
    timezone: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    mentor_capacity: Mapped[int] = mapped_column(Integer, default=5)
    # Part of the login cookie; rotating it ends every other session.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    # The secret in the person's calendar feed URL; None until first shown.
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def has_password(self) -> bool:
        """False for an invited person who has not chosen a password yet."""
        return bool(self.password_hash)

    @property
    def is_active(self) -> bool:
        return self.active

    # The login (a LoginSession's key) this object was loaded for; not a column.
    login_key = None  # type: str | None

    def get_id(self) -> str:
        # Flask-Login puts this in the session and the remember-me cookie: both name
        # one login, so ending that login (logout) refuses every copy of either.
        return f"{self.id}:{self.session_token}:{self.login_key or ''}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method="scrypt")
        self.session_token = new_session_token()

    def check_password(self, password: str) -> bool:
        if not self.password_hash:  # invited, no password chosen yet
            return False
        return check_password_hash(self.password_hash, password)

    @property
    def initials(self) -> str:
        return initials(self.name)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


@lru_cache(maxsize=8192)
def initials(name: str) -> str:
    """The first letters of a name's first two words: "Rina Ndolu" -> "RN". Kept for the
    process: the board asks for about 450 a page, of the same few hundred names."""
    parts = [p for p in name.replace(".", " ").split() if p]
    return "".join(p[0] for p in parts[:2]).upper() or "?"


def new_login_key() -> str:
    return secrets.token_urlsafe(32)


def hash_login_key(key: str) -> str:
    # Only the hash is stored: a copy of the table does not let anyone in.
    return hashlib.sha256(key.encode()).hexdigest()


class LoginSession(db.Model):
    """One login (a browser that logged in): logout deletes it, and with it that
    browser's session and remember-me cookies stop working, wherever they were copied."""

    __tablename__ = "login_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
