"""The weekly digest's content: what needs attention, for a mentor or a coordinator."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    Innovation,
    InnovationState,
    MentorAssignment,
    Milestone,
    OutboxMessage,
    OutboxStatus,
    Programme,
    ProgressUpdate,
    Role,
    Stage,
    User,
    utcnow,
)
from ..pipeline.memberships import role_in

LIST_LIMIT = 10


@dataclass
class Digest:
    innovations: int = 0
    overdue: list[tuple[Milestone, Innovation]] = field(default_factory=list)
    overdue_count: int = 0
    due_soon: list[tuple[Milestone, Innovation]] = field(default_factory=list)
    due_soon_count: int = 0
    progress_updates: int = 0
    stage_counts: dict[str, int] = field(default_factory=dict)
    failed_messages: int = 0


def build_digest(user: User, programme: Programme, today: date) -> Digest:
    """A mentor sees their mentees; a coordinator the whole programme."""
    coordinator = role_in(user.id, programme.id) == Role.COORDINATOR
    scope = select(Innovation.id).where(
        Innovation.programme_id == programme.id,
        Innovation.state == InnovationState.ACTIVE,
        Innovation.is_proposal.is_(False),
    )
    if not coordinator:
        scope = scope.join(MentorAssignment, MentorAssignment.innovation_id == Innovation.id).where(
            MentorAssignment.mentor_id == user.id, MentorAssignment.unassigned_at.is_(None)
        )
    scope = scope.scalar_subquery()
    open_milestones = select(Milestone, Innovation).join(
        Innovation, Innovation.id == Milestone.innovation_id
    )
    open_milestones = open_milestones.where(
        Milestone.innovation_id.in_(scope), Milestone.done_at.is_(None)
    )
    overdue = Milestone.due_date < today
    soon = Milestone.due_date.between(today, today + timedelta(days=7))
    digest = Digest()
    digest.innovations = _count(select(func.count()).where(Innovation.id.in_(scope)))
    digest.overdue = _pairs(open_milestones.where(overdue).order_by(Milestone.due_date))
    digest.overdue_count = _count_of(open_milestones.where(overdue))
    digest.due_soon = _pairs(open_milestones.where(soon).order_by(Milestone.due_date))
    digest.due_soon_count = _count_of(open_milestones.where(soon))
    digest.progress_updates = _count(
        select(func.count(ProgressUpdate.id))
        .join(Milestone, Milestone.id == ProgressUpdate.milestone_id)
        .where(
            Milestone.innovation_id.in_(scope),
            ProgressUpdate.created_at >= utcnow() - timedelta(days=7),
        )
    )
    if coordinator:
        counts = db.session.execute(
            select(Innovation.stage, func.count())
            .where(Innovation.id.in_(scope))
            .group_by(Innovation.stage)
        )
        found = {stage: count for stage, count in counts}
        digest.stage_counts = {stage.value: found.get(stage.value, 0) for stage in Stage}
        digest.failed_messages = _count(
            select(func.count(OutboxMessage.id)).where(
                OutboxMessage.programme_id == programme.id,
                OutboxMessage.status == OutboxStatus.FAILED,
            )
        )
    return digest


def _pairs(query) -> list[tuple[Milestone, Innovation]]:
    return [tuple(row) for row in db.session.execute(query.limit(LIST_LIMIT))]


def _count(query) -> int:
    return db.session.scalar(query) or 0


def _count_of(query) -> int:
    return _count(select(func.count()).select_from(query.subquery()))
