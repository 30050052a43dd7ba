"""Competition templates (KIPP and the like), entries written against them, and their review.

A template is data: its sections (guiding question, word limit, weight) and requirements
(minimum implementation age, required document kinds, a video link) change every year.
An entry belongs to one innovation and one template; it has one EntrySection per
template section, created when the entry is opened.
"""

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import UTCDateTime, one_of, utcnow
from .documents import DocumentKind


class PrefillSource(enum.StrEnum):
    """What an entry section starts with, taken from what the innovation already holds."""

    SUMMARY = "summary"
    PROBLEM = "problem"
    RESULTS = "results"
    MILESTONES_DONE = "milestones_done"
    REGULATIONS = "regulations"  # titles of the innovation's regulation documents


class CompetitionTemplate(db.Model):
    """One competition of one year, e.g. KIPP 2023, general group."""

    __tablename__ = "competition_templates"
    __table_args__ = (
        CheckConstraint("min_implementation_months >= 0", name="min_implementation_months"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # A date in the programme's zone; entries close at the end of that day.
    closing_date: Mapped[date] = mapped_column(Date)
    # Implemented for at least this long at the closing date (0: no minimum).
    min_implementation_months: Mapped[int] = mapped_column(Integer, default=0)
    requires_video: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    sections: Mapped[list["CompetitionSection"]] = relationship(
        lazy="raise",
        order_by="CompetitionSection.position",
        cascade="all, delete-orphan",
        back_populates="template",
    )
    required_documents: Mapped[list["CompetitionRequiredDocument"]] = relationship(
        lazy="raise", cascade="all, delete-orphan"
    )


class CompetitionRequiredDocument(db.Model):
    """A document kind every entry must have attached (e.g. the team decree)."""

    __tablename__ = "competition_required_documents"
    __table_args__ = (one_of("kind", DocumentKind),)

    template_id: Mapped[int] = mapped_column(
        ForeignKey("competition_templates.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)


class CompetitionSection(db.Model):
    """One scored aspect of a template, in Indonesian with an English label."""

    __tablename__ = "competition_sections"
    __table_args__ = (
        CheckConstraint("weight BETWEEN 0 AND 100", name="weight"),
        CheckConstraint("word_limit IS NULL OR word_limit > 0", name="word_limit"),
        one_of("prefill", PrefillSource),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("competition_templates.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title_id: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    question_id: Mapped[str] = mapped_column(Text, default="")
    question_en: Mapped[str] = mapped_column(Text, default="")
    word_limit: Mapped[int | None] = mapped_column(Integer)
    # Percent of the score; a template's weights add up to 100.
    weight: Mapped[int] = mapped_column(Integer, default=0)
    expects_documents: Mapped[bool] = mapped_column(Boolean, default=False)
    prefill: Mapped[str | None] = mapped_column(String(20))

    template: Mapped[CompetitionTemplate] = relationship(lazy="raise", back_populates="sections")


# Which competitions a programme's innovations may enter.
programme_competitions = Table(
    "programme_competitions",
    db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "template_id",
        ForeignKey("competition_templates.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class CompetitionEntry(db.Model):
    """An innovation's entry for one competition."""

    __tablename__ = "competition_entries"
    __table_args__ = (UniqueConstraint("innovation_id", "template_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    template_id: Mapped[int] = mapped_column(
        ForeignKey("competition_templates.id", ondelete="CASCADE"), index=True
    )
    video_url: Mapped[str] = mapped_column(String(500), default="")
    # When the team says implementation began (instead of the date it entered Development),
    # backed by a document.
    implementation_started_on: Mapped[date | None] = mapped_column(Date)
    implementation_document_id: Mapped[int | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    innovation = relationship("Innovation", lazy="raise")
    template: Mapped[CompetitionTemplate] = relationship(lazy="raise")
    implementation_document = relationship("Document", lazy="raise")
    sections: Mapped[list["EntrySection"]] = relationship(
        lazy="raise", cascade="all, delete-orphan", back_populates="entry"
    )


# Documents of the innovation linked to an entry section as supporting evidence.
entry_section_documents = Table(
    "entry_section_documents",
    db.metadata,
    Column(
        "entry_section_id", ForeignKey("entry_sections.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "document_id", ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)


class EntrySection(db.Model):
    """The team's text for one section. `version` goes up on every save; a save that
    names an older version is refused (two people editing the same section)."""

    __tablename__ = "entry_sections"
    __table_args__ = (UniqueConstraint("entry_id", "section_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("competition_entries.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(
        ForeignKey("competition_sections.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    entry: Mapped[CompetitionEntry] = relationship(lazy="raise", back_populates="sections")
    section: Mapped[CompetitionSection] = relationship(lazy="raise")
    updated_by = relationship("User", lazy="raise")
    documents = relationship("Document", secondary=entry_section_documents, lazy="raise")


class EntrySectionComment(db.Model):
    """A mentor's (or the team's) comment on an entry section; replies thread via parent."""

    __tablename__ = "entry_section_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_section_id: Mapped[int] = mapped_column(
        ForeignKey("entry_sections.id", ondelete="CASCADE"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("entry_section_comments.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)  # Markdown, sanitised when shown
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    entry_section: Mapped[EntrySection] = relationship(lazy="raise")
    author = relationship("User", foreign_keys=[author_id], lazy="raise")
    resolved_by = relationship("User", foreign_keys=[resolved_by_id], lazy="raise")


class EntrySectionScore(db.Model):
    """A mentor's score, 1 to 5, for one section of an entry; one per mentor and section."""

    __tablename__ = "entry_section_scores"
    __table_args__ = (
        UniqueConstraint("entry_section_id", "mentor_id"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_section_id: Mapped[int] = mapped_column(
        ForeignKey("entry_sections.id", ondelete="CASCADE"), index=True
    )
    mentor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    score: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    entry_section: Mapped[EntrySection] = relationship(lazy="raise")
    mentor = relationship("User", lazy="raise")
