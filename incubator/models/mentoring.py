"""Mentor assignments, feedback and rapid assessments (kaji cepat)."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, utcnow

ASSESSMENT_CRITERIA = (
    "novelty",
    "benefit",
    "no_added_burden",
    "within_authority",
    "replicable",
)


class MentorAssignment(db.Model):
    """A mentor on an innovation; ending it keeps the row as history."""

    __tablename__ = "mentor_assignments"
    __table_args__ = (Index("ix_mentor_assignments_active", "innovation_id", "unassigned_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(ForeignKey("innovations.id", ondelete="CASCADE"))
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    unassigned_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    unassigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    mentor = relationship("User", foreign_keys=[mentor_id], lazy="raise")
    innovation = relationship("Innovation", lazy="raise")


class Feedback(db.Model):
    """Markdown feedback on an innovation or one of its milestones; replies nest once."""

    __tablename__ = "feedback"
    # The dashboard counts each mentor's unanswered threads (issue 14).
    __table_args__ = (Index("ix_feedback_author_id", "author_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestones.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("feedback.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A coordinator hides feedback after its edit window (its author deletes it before).
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    author = relationship("User", foreign_keys=[author_id], lazy="raise")


class RapidAssessment(db.Model):
    """Scores 1-5 on the five regional-innovation criteria, each with a note."""

    __tablename__ = "rapid_assessments"

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    novelty: Mapped[int] = mapped_column(Integer)
    novelty_note: Mapped[str] = mapped_column(String(2000), default="")
    benefit: Mapped[int] = mapped_column(Integer)
    benefit_note: Mapped[str] = mapped_column(String(2000), default="")
    no_added_burden: Mapped[int] = mapped_column(Integer)
    no_added_burden_note: Mapped[str] = mapped_column(String(2000), default="")
    within_authority: Mapped[int] = mapped_column(Integer)
    within_authority_note: Mapped[str] = mapped_column(String(2000), default="")
    replicable: Mapped[int] = mapped_column(Integer)
    replicable_note: Mapped[str] = mapped_column(String(2000), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    mentor = relationship("User", lazy="raise")

    @property
    def total(self) -> int:
        return sum(getattr(self, c) for c in ASSESSMENT_CRITERIA)
