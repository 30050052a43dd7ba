"""The security log: logins, logouts and password changes, for organisers to read."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow


class SecurityEventKind(enum.StrEnum):
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"
    PASSWORD_CHANGED = "password_changed"  # noqa: S105
    PASSWORD_RESET = "password_reset"  # noqa: S105 (through an emailed link)
    PASSWORD_SET = "password_set"  # noqa: S105 (first password, through an invitation)


class SecurityEvent(db.Model):
    """One entry. A failed login keeps the address typed (an account may not exist)."""

    __tablename__ = "security_events"
    __table_args__ = (one_of("kind", SecurityEventKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(30))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str] = mapped_column(String(254), default="")
    # The client's address as the app sees it (behind a trusted proxy: the real one).
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    user = relationship("User", lazy="raise")
