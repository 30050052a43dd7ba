"""Files attached to an innovation or one of its milestones (decrees, SOPs, reports...)."""

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow


class DocumentKind(enum.StrEnum):
    REGULATION = "regulation"  # the decree or regulation (Perbup, SK) that institutionalised it
    SOP = "sop"
    REPORT = "report"
    PHOTO = "photo"
    PROPOSAL = "proposal"
    TEAM_DECREE = "team_decree"  # the official's decree (SK) naming the innovator or team
    OTHER = "other"


class Document(db.Model):
    """One stored file. The bytes live under UPLOAD_FOLDER as `stored_name` (random, never
    the uploader's name); `filename` is the sanitised name shown and sent on download."""

    __tablename__ = "documents"
    __table_args__ = (one_of("kind", DocumentKind),)

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestones.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20), default=DocumentKind.OTHER)
    title: Mapped[str] = mapped_column(String(200))
    filename: Mapped[str] = mapped_column(String(200))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size_bytes: Mapped[int] = mapped_column(Integer)
    # Shown in the public catalogue once the innovation is published (coordinators decide).
    is_public: Mapped[bool] = mapped_column(Boolean, default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    innovation = relationship("Innovation", lazy="raise")
    milestone = relationship("Milestone", lazy="raise")
    uploaded_by = relationship("User", lazy="raise")
