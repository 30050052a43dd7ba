"""The activity log: every change to an innovation, for its timeline."""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow


class ActivityEntry(db.Model):
    __tablename__ = "activity_entries"
    __table_args__ = (Index("ix_activity_entries_timeline", "innovation_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    innovation_id: Mapped[int | None] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE")
    )
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # A stable verb such as "stage_moved" or "progress_recorded"; details hold the rest.
    verb: Mapped[str] = mapped_column(String(50))
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User", lazy="raise")
