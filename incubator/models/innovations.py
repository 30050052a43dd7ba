"""Innovations (the cards), their team and their stage history."""

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import Category, InnovationState, SpmSector, Stage, UTCDateTime, one_of, utcnow

innovation_members = Table(
    "innovation_members",
    db.metadata,
    Column("innovation_id", ForeignKey("innovations.id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True),
)


# The SDG goals (1-17) an innovation links to; several per innovation.
innovation_sdgs = Table(
    "innovation_sdgs",
    db.metadata,
    Column("innovation_id", ForeignKey("innovations.id", ondelete="CASCADE"), primary_key=True),
    Column("goal", Integer, primary_key=True, index=True),
    CheckConstraint("goal BETWEEN 1 AND 17", name="goal"),
)


def team_member_ids(innovation_id: int) -> set[int]:
    """Ids of the people listed on the innovation's team (innovation_members)."""
    query = select(innovation_members.c.user_id).where(
        innovation_members.c.innovation_id == innovation_id
    )
    return set(db.session.scalars(query))


def sdg_goals(innovation_id: int) -> list[int]:
    """The SDG goals the innovation links to, in order."""
    query = (
        select(innovation_sdgs.c.goal)
        .where(innovation_sdgs.c.innovation_id == innovation_id)
        .order_by(innovation_sdgs.c.goal)
    )
    return list(db.session.scalars(query))


class Innovation(db.Model):
    __tablename__ = "innovations"
    __table_args__ = (
        Index("ix_innovations_board", "programme_id", "state", "stage", "position", "is_proposal"),
        one_of("stage", Stage),
        one_of("state", InnovationState),
        one_of("category", Category),
        one_of("spm_sector", SpmSector),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    problem: Mapped[str] = mapped_column(Text, default="")
    # What changed, with numbers: for the public catalogue and competition entries.
    results: Mapped[str] = mapped_column(Text, default="", server_default="")
    category: Mapped[str] = mapped_column(String(30), default=Category.PUBLIC_SERVICE)
    is_digital: Mapped[bool] = mapped_column(Boolean, default=False)
    # The minimum-service (SPM) sector it serves; None until someone says.
    spm_sector: Mapped[str | None] = mapped_column(String(30))
    links: Mapped[list] = mapped_column(JSON, default=list)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    replicates_id: Mapped[int | None] = mapped_column(
        ForeignKey("innovations.id", ondelete="SET NULL"), index=True
    )
    stage: Mapped[str] = mapped_column(String(30), default=Stage.CREATION)
    state: Mapped[str] = mapped_column(String(20), default=InnovationState.ACTIVE)
    # An innovator's proposal waits in Creation until a coordinator accepts it.
    is_proposal: Mapped[bool] = mapped_column(Boolean, default=False)
    # Order within a column; gaps let a move write one row (see pipeline.ordering).
    position: Mapped[int] = mapped_column(BigInteger, default=0)
    # The public catalogue shows it only when a coordinator published it AND its owner
    # agreed; either withdrawing clears their pair (see pipeline/publication.py).
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    consent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    consent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    stage_entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic locking: every UPDATE checks and bumps it; a stale writer fails.
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}

    programme = relationship("Programme", lazy="raise")
    agency = relationship("Agency", lazy="raise")
    owner = relationship("User", foreign_keys=[owner_id], lazy="raise")
    team = relationship("User", secondary=innovation_members, lazy="raise")
    replicates = relationship("Innovation", remote_side=[id], lazy="raise")

    @property
    def is_public(self) -> bool:
        return (
            self.published_at is not None and self.consent_at is not None and not self.is_proposal
        )

    @property
    def stage_enum(self) -> Stage:
        return Stage(self.stage)


class ColumnCount(db.Model):
    """How many cards (proposals aside) a programme holds in each state and stage: the
    board's column heads and WIP counts. Kept by triggers on `innovations` (migration
    j01), not by the app, so every write keeps it true, bulk ones included. Counting a
    10,000-card programme's columns on every board grew with what is stored."""

    __tablename__ = "column_counts"

    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    state: Mapped[str] = mapped_column(String(20), primary_key=True)
    stage: Mapped[str] = mapped_column(String(30), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


class StageTransition(db.Model):
    """One move of a card between stages (or into the board), with who and why."""

    __tablename__ = "stage_transitions"
    __table_args__ = (one_of("from_stage", Stage), one_of("to_stage", Stage))

    id: Mapped[int] = mapped_column(primary_key=True)
    innovation_id: Mapped[int] = mapped_column(
        ForeignKey("innovations.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[str | None] = mapped_column(String(30))
    to_stage: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    # True when a coordinator moved forward past unfinished required milestones.
    gate_overridden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    actor = relationship("User", lazy="raise")
