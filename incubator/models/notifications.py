"""Reminder rules, per-user opt-outs and the notification outbox."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import OutboxStatus, UTCDateTime, utcnow


class ReminderRule(db.Model):
    """When a programme sends one kind of reminder (DESIGN section 3)."""

    __tablename__ = "reminder_rules"
    __table_args__ = (UniqueConstraint("programme_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    # Days before the due date (due_7: 7, due_1: 1, due_today: 0); for overdue, days after.
    offset_days: Mapped[int] = mapped_column(Integer, default=0)
    repeat_every_days: Mapped[int | None] = mapped_column(Integer)
    max_repeats: Mapped[int | None] = mapped_column(Integer)
    send_hour: Mapped[int] = mapped_column(Integer, default=8)
    # For the weekly digest: 0 = Monday.
    weekday: Mapped[int | None] = mapped_column(Integer)
    # The programme's local date this rule started (created or switched on): milestones
    # already overdue then get one catch-up summary, not a reminder each. None: long ago.
    started_on: Mapped[date | None] = mapped_column(Date)


class NotificationOptOut(db.Model):
    """A user switched one kind of notification off."""

    __tablename__ = "notification_opt_outs"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxMessage(db.Model):
    """One email to one person; the dedupe key makes enqueueing idempotent."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_deliverable", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # kind:milestone:due date:offset:recipient, or the like for other kinds.
    dedupe_key: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    recipient_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    innovation_id: Mapped[int | None] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE")
    )
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    due_date: Mapped[date | None] = mapped_column(Date)
    context: Mapped[dict] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(10), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Not before this instant (08:00 in the recipient's zone, or a retry's backoff).
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(64))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An item (a milestone reminder, a notice) goes out inside one bundle email: the
    # recipient's daily reminders, or their throttled notices about one innovation.
    bundle_id: Mapped[int | None] = mapped_column(
        ForeignKey("outbox_messages.id", ondelete="SET NULL"), index=True
    )

    recipient = relationship("User", lazy="raise")
