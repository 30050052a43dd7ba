"""Everything a batch of claimed messages needs, loaded in a fixed number of queries."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    Innovation,
    InnovationState,
    MentorAssignment,
    Milestone,
    NotificationOptOut,
    OutboxMessage,
    Programme,
    ReminderKind,
    ReminderRule,
    StageTransition,
    User,
)
from ..pipeline.reminder_rules import MILESTONE_KINDS

K = ReminderKind


@dataclass
class Batch:
    messages: list[OutboxMessage]
    milestones: dict[int, Milestone] = field(default_factory=dict)
    innovations: dict[int, Innovation] = field(default_factory=dict)
    programmes: dict[int, Programme] = field(default_factory=dict)
    transitions: dict[int, StageTransition] = field(default_factory=dict)
    assignments: dict[int, MentorAssignment] = field(default_factory=dict)
    users: dict[int, User] = field(default_factory=dict)
    opted_out: set[tuple[int, str]] = field(default_factory=set)
    switched_off: set[tuple[int, str]] = field(default_factory=set)

    def void_reason(self, message: OutboxMessage) -> str | None:
        """Why this message must not go out any more, or None when it still should.

        Rechecked at send time: the data may have changed since enqueue.
        """
        if not message.recipient.is_active:
            return "recipient_inactive"
        if (message.recipient_id, message.kind) in self.opted_out:
            return "opted_out"
        if (message.programme_id, message.kind) in self.switched_off:
            return "rule_disabled"
        if message.kind in MILESTONE_KINDS:
            milestone = self.milestones.get(message.milestone_id)
            innovation = self.innovations.get(message.innovation_id)
            if (
                milestone is None
                or innovation is None
                or milestone.due_date != message.due_date
                or milestone.is_done
                or innovation.state != InnovationState.ACTIVE
            ):
                return "no_longer_due"
        elif message.kind == K.STAGE_MOVED:
            if self.transition(message) is None:
                return "no_longer_due"
        elif message.kind == K.MENTOR_ASSIGNED:
            assignment = self.assignment(message)
            if assignment is None or assignment.unassigned_at is not None:
                return "no_longer_due"
        if message.innovation_id and message.innovation_id not in self.innovations:
            return "no_longer_due"
        if message.programme_id not in self.programmes:
            return "no_longer_due"
        return None

    def transition(self, message: OutboxMessage) -> StageTransition | None:
        return self.transitions.get((message.context or {}).get("transition_id"))

    def assignment(self, message: OutboxMessage) -> MentorAssignment | None:
        return self.assignments.get((message.context or {}).get("assignment_id"))


def _by_id(model, ids) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}


def load_batch(message_ids: list[int]) -> Batch:
    messages = list(
        db.session.scalars(
            select(OutboxMessage)
            .options(joinedload(OutboxMessage.recipient))
            .where(OutboxMessage.id.in_(message_ids))
            .order_by(OutboxMessage.id)
        )
    )
    batch = Batch(messages=messages)
    batch.milestones = _by_id(Milestone, (m.milestone_id for m in messages))
    batch.innovations = _by_id(Innovation, (m.innovation_id for m in messages))
    batch.programmes = _by_id(Programme, (m.programme_id for m in messages))
    context = [m.context or {} for m in messages]
    batch.transitions = _by_id(StageTransition, (c.get("transition_id") for c in context))
    batch.assignments = _by_id(MentorAssignment, (c.get("assignment_id") for c in context))
    people = [t.actor_id for t in batch.transitions.values()]
    for a in batch.assignments.values():
        people += [a.mentor_id, a.assigned_by_id]
    batch.users = _by_id(User, people)
    recipients = {m.recipient_id for m in messages}
    batch.opted_out = {
        tuple(row)
        for row in db.session.execute(
            select(NotificationOptOut.user_id, NotificationOptOut.kind).where(
                NotificationOptOut.user_id.in_(recipients)
            )
        )
    }
    batch.switched_off = {
        tuple(row)
        for row in db.session.execute(
            select(ReminderRule.programme_id, ReminderRule.kind).where(
                ReminderRule.programme_id.in_(batch.programmes), ReminderRule.enabled.is_(False)
            )
        )
    }
    return batch
