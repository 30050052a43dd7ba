"""Invitations: a person asked into a programme, by email, with a single-use link."""

import enum
import secrets
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Role, UTCDateTime, utcnow, values_of


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REVOKED = "revoked"


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class Invitation(db.Model):
    """One per person and programme; resending gives it a new nonce (old links die).

    The link is signed from the nonce when needed and stored nowhere.
    """

    __tablename__ = "invitations"
    __table_args__ = (
        UniqueConstraint("programme_id", "user_id"),
        CheckConstraint(f"status IN ({values_of(InvitationStatus)})", name="status"),
        CheckConstraint(f"role IN ({values_of(Role)})", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), default=InvitationStatus.PENDING)
    # Part of every link's signature: a new nonce refuses the links made before.
    nonce: Mapped[str] = mapped_column(String(32), default=new_nonce)
    # How many emails were queued: the outbox row of the latest is "invitation:<id>:<sends>".
    sends: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User", foreign_keys=[user_id], lazy="raise")
    programme = relationship("Programme", lazy="raise")

    @property
    def is_pending(self) -> bool:
        return self.status == InvitationStatus.PENDING
