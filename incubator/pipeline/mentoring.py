"""Mentor assignments: assign and unassign, keeping every assignment as history."""

from flask_babel import lazy_ngettext as ngettext  # lazy; named so pybabel extracts it
from sqlalchemy import func, select, update

from ..extensions import db
from ..models import (
    Innovation,
    InnovationState,
    MentorAssignment,
    Role,
    User,
    utcnow,
)
from ..translating import lazy_gettext as _l
from . import Conflict, DomainError, activity
from .memberships import role_in

# Innovations that are finished or dropped no longer take a mentor's time.
LOAD_STATES = (InnovationState.ACTIVE, InnovationState.ON_HOLD)


class OverCapacity(Conflict):
    """The mentor is full; the coordinator may confirm and assign anyway."""

    def __init__(self, mentor: User, load: int):
        super().__init__(
            ngettext(
                "%(name)s already mentors %(num)d innovation (capacity %(capacity)d).",
                "%(name)s already mentors %(num)d innovations (capacity %(capacity)d).",
                load,
                name=mentor.name,
                capacity=mentor.mentor_capacity,
            ),
            field="mentor_id",
        )
        self.mentor = mentor
        self.load = load


def mentor_load(mentor_id: int) -> int:
    """How many live innovations the mentor currently has, across programmes."""
    return (
        db.session.scalar(
            select(func.count(MentorAssignment.id))
            .join(Innovation, Innovation.id == MentorAssignment.innovation_id)
            .where(
                MentorAssignment.mentor_id == mentor_id,
                MentorAssignment.unassigned_at.is_(None),
                Innovation.state.in_(LOAD_STATES),
            )
        )
        or 0
    )


def _is_programme_mentor(mentor: User, programme_id: int) -> bool:
    return mentor.active and role_in(mentor.id, programme_id) == Role.MENTOR


def active_assignment(innovation: Innovation, mentor_id: int) -> MentorAssignment | None:
    return db.session.scalar(
        select(MentorAssignment).where(
            MentorAssignment.innovation_id == innovation.id,
            MentorAssignment.mentor_id == mentor_id,
            MentorAssignment.unassigned_at.is_(None),
        )
    )


def assign_mentor(
    innovation: Innovation,
    mentor: User | None,
    *,
    actor: User,
    confirm_over_capacity: bool = False,
) -> MentorAssignment:
    """Put a mentor on an innovation. A full mentor needs `confirm_over_capacity`."""
    if mentor is None or not _is_programme_mentor(mentor, innovation.programme_id):
        raise DomainError(_l("Choose a mentor of this programme."), field="mentor_id")
    # Serialise assignments to one innovation (PostgreSQL), so two clicks make one row.
    db.session.execute(
        select(Innovation.id).where(Innovation.id == innovation.id).with_for_update()
    )
    if active_assignment(innovation, mentor.id) is not None:
        raise DomainError(
            _l("%(name)s is already a mentor of this innovation.", name=mentor.name),
            field="mentor_id",
        )
    load = mentor_load(mentor.id)
    if load >= mentor.mentor_capacity and not confirm_over_capacity:
        raise OverCapacity(mentor, load)
    assignment = MentorAssignment(
        innovation_id=innovation.id, mentor_id=mentor.id, assigned_by_id=actor.id
    )
    db.session.add(assignment)
    activity.record(
        "mentor_assigned",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        mentor_id=mentor.id,
        mentor_name=mentor.name,
        over_capacity=load >= mentor.mentor_capacity,
    )
    db.session.flush()
    return assignment


def unassign_mentor(assignment: MentorAssignment, *, actor: User) -> MentorAssignment:
    """End an assignment; the row stays as history."""
    # A conditional update: of two coordinators ending it at once, one wins.
    ended = db.session.execute(
        update(MentorAssignment)
        .where(MentorAssignment.id == assignment.id, MentorAssignment.unassigned_at.is_(None))
        .values(unassigned_at=utcnow(), unassigned_by_id=actor.id)
        .execution_options(synchronize_session="fetch")
    )
    if ended.rowcount != 1:
        raise Conflict(_l("This mentor was already unassigned."))
    innovation = db.session.get(Innovation, assignment.innovation_id)
    mentor = db.session.get(User, assignment.mentor_id)
    activity.record(
        "mentor_unassigned",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        mentor_id=mentor.id,
        mentor_name=mentor.name,
    )
    db.session.flush()
    return assignment
