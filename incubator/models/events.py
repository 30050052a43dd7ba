"""The programme event log: who did what to a programme's set-up and people, and when."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class ProgrammeEvent(db.Model):
    """One entry of a programme's event log (settings, invitations, roles, removals).

    `kind` is an `EventKind` value; no CHECK constraint, because every feature that
    administers a programme adds kinds to this one log.
    """

    __tablename__ = "programme_events"
    __table_args__ = (Index("ix_programme_events_log", "programme_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    # None for the system (a command, a migration).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(40))
    # The person the event is about (invited, role changed, removed), if any.
    subject_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User", foreign_keys=[actor_id], lazy="raise")
    subject = relationship("User", foreign_keys=[subject_user_id], lazy="raise")
