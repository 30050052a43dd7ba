"""Everything a batch of claimed messages needs, loaded in a fixed number of queries."""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    CompetitionEntry,
    CompetitionTemplate,
    Feedback,
    Innovation,
    InnovationState,
    Invitation,
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
from ..pipeline.readiness import Readiness, readiness_for_entries
from ..pipeline.reminder_rules import BUNDLE_KINDS, MILESTONE_KINDS
from ..pipeline.zones import zone_or_default
from .account_mail import ACCOUNT_KINDS, account_void_reason

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
    invitations: dict[int, Invitation] = field(default_factory=dict)
    feedback: dict[int, Feedback] = field(default_factory=dict)
    entries: dict[int, CompetitionEntry] = field(default_factory=dict)
    competitions: dict[int, CompetitionTemplate] = field(default_factory=dict)
    readiness: dict[int, Readiness] = field(default_factory=dict)  # by entry id, as of now
    opted_out: set[tuple[int, str]] = field(default_factory=set)
    switched_off: set[tuple[int, str]] = field(default_factory=set)

    def void_reason(self, message: OutboxMessage) -> str | None:
        """Why this message must not go out any more, or None when it still should.

        Rechecked at send time: the data may have changed since enqueue.
        """
        if not message.recipient.is_active:
            return "recipient_inactive"
        if message.kind in ACCOUNT_KINDS:
            # Never suppressed by opt-outs or rules; only a dead link is not worth sending.
            return account_void_reason(message, self)
        if message.kind in BUNDLE_KINDS:
            return None  # its items are checked one by one when it goes out
        if (message.recipient_id, message.kind) in self.opted_out:
            return "opted_out"
        if (message.programme_id, message.kind) in self.switched_off:
            return "rule_disabled"
        if message.kind in MILESTONE_KINDS and is_catch_up(message):
            pass  # lists what is overdue when it is written
        elif message.kind in MILESTONE_KINDS:
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
        elif message.kind in (K.FEEDBACK, K.FEEDBACK_REPLY):
            if self.feedback_of(message) is None:
                return "no_longer_due"
        elif message.kind == K.COMPETITION_DEADLINE:
            entry = self.entry_of(message)
            template = entry and self.competitions.get(entry.template_id)
            if (
                template is None
                or template.closing_date != message.due_date
                or self.readiness[entry.id].ready
                or self.innovations.get(message.innovation_id) is None
                or self.innovations[message.innovation_id].state != InnovationState.ACTIVE
            ):
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

    def invitation(self, message: OutboxMessage) -> Invitation | None:
        return self.invitations.get((message.context or {}).get("invitation_id"))

    def feedback_of(self, message: OutboxMessage) -> Feedback | None:
        return self.feedback.get((message.context or {}).get("feedback_id"))

    def entry_of(self, message: OutboxMessage) -> CompetitionEntry | None:
        return self.entries.get((message.context or {}).get("entry_id"))

    def assignment(self, message: OutboxMessage) -> MentorAssignment | None:
        return self.assignments.get((message.context or {}).get("assignment_id"))


def is_catch_up(message: OutboxMessage) -> bool:
    """The quiet start's summary item: the milestones already overdue when reminders began."""
    return bool((message.context or {}).get("catch_up"))


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
    batch.innovations = _by_id(Innovation, (m.innovation_id for m in messages))
    batch.programmes = _by_id(Programme, (m.programme_id for m in messages))
    context = [m.context or {} for m in messages]
    batch.transitions = _by_id(StageTransition, (c.get("transition_id") for c in context))
    batch.assignments = _by_id(MentorAssignment, (c.get("assignment_id") for c in context))
    batch.invitations = _by_id(Invitation, (c.get("invitation_id") for c in context))
    batch.feedback = _by_id(Feedback, (c.get("feedback_id") for c in context))
    batch.milestones = _by_id(
        Milestone,
        [m.milestone_id for m in messages] + [f.milestone_id for f in batch.feedback.values()],
    )
    _load_entries(batch, context)
    people = [t.actor_id for t in batch.transitions.values()]
    people += [f.author_id for f in batch.feedback.values()]
    people += [i.invited_by_id for i in batch.invitations.values()]
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


def _load_entries(batch: Batch, context: list[dict]) -> None:
    """Competition entries of deadline reminders, their templates, and whether each is
    ready now (in its programme's zone)."""
    batch.entries = _by_id(CompetitionEntry, (c.get("entry_id") for c in context))
    if not batch.entries:
        return
    batch.competitions = _by_id(
        CompetitionTemplate, (e.template_id for e in batch.entries.values())
    )
    by_zone: dict[str, list[CompetitionEntry]] = {}
    for entry in batch.entries.values():
        innovation = batch.innovations.get(entry.innovation_id)
        programme = innovation and batch.programmes.get(innovation.programme_id)
        zone = zone_or_default(programme.timezone if programme else None)
        by_zone.setdefault(zone, []).append(entry)
    for zone, entries in by_zone.items():
        batch.readiness.update(readiness_for_entries(entries, zone))
