"""Programmes, their members (with a role each) and where they run: regions and agencies."""

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
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Role, Stage, UTCDateTime, one_of, utcnow


class Membership(db.Model):
    """A person in a programme, with their role there: the same account may mentor in
    one programme and coordinate another."""

    __tablename__ = "programme_members"
    __table_args__ = (
        one_of("role", Role),
        # A programme's members by role (the board's filter lists, the People page).
        Index("ix_programme_members_role", "programme_id", "role", "user_id"),
    )

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When the person took part for the first time; None while only invited.
    joined_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The innovator's agency in this programme (shown on the People page).
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id", ondelete="SET NULL"))

    programme: Mapped["Programme"] = relationship(lazy="raise")
    user = relationship("User", lazy="raise")

    @property
    def role_enum(self) -> Role:
        return Role(self.role)


# The table under its old name, for queries that only join on it.
programme_members = Membership.__table__


class Region(db.Model):
    """A province or regency/city. Names repeat (Kota and Kabupaten Kupang): the
    official Kemendagri code ("53", "53.71") is the key; see models/places.py."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    # None only for a region made before the reference was loaded and matching none of it.
    code: Mapped[str | None] = mapped_column(String(13), unique=True)


class Agency(db.Model):
    __tablename__ = "agencies"
    __table_args__ = (UniqueConstraint("name", "region_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)

    region: Mapped[Region] = relationship(lazy="raise")


class Programme(db.Model):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    cohort_year: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    # The province the programme covers.
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Makassar")
    # Validated by the operations (end after start); no CHECK, see migration s002.
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # Per-stage soft limits, e.g. {"creation": 8}; exceeding one warns, never blocks.
    # MutableDict: changing a limit in place marks the row changed.
    wip_limits: Mapped[dict] = mapped_column(MutableDict.as_mutable(JSON), default=dict)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    # The dashboard calls an innovation stalled after this many days without progress or move.
    stall_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    region: Mapped[Region | None] = relationship(lazy="raise")
    members = relationship("User", secondary=programme_members, lazy="raise", viewonly=True)


class MilestoneTemplate(db.Model):
    """A milestone every innovation gets when it enters `stage`."""

    __tablename__ = "milestone_templates"
    __table_args__ = (one_of("stage", Stage),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(String(2000), default="")
    offset_days: Mapped[int] = mapped_column(Integer, default=30)
    required: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
