"""The SELECTs for immediate notices, derived from the tables other features write:
recent stage moves (`stage_transitions`), mentor assignments (`mentor_assignments`),
feedback and replies (`feedback`). Each is an item; the email is its bundle (throttled).
"""

from datetime import datetime

from sqlalchemy import Date, Integer, String, and_, literal, or_, select, union
from sqlalchemy.orm import aliased

from ..models import (
    Feedback,
    Innovation,
    MentorAssignment,
    Programme,
    ReminderKind,
    ReminderRule,
    StageTransition,
    User,
    innovation_members,
)
from ..models.base import UTCDateTime
from ..models.sql import json_object, key
from .selects import not_opted_out, outbox_row

K = ReminderKind


def _notice_select(kind: str, events, recipients, context_key: str, now):
    """Notices for recent events; nobody is told about what they did themselves."""
    return (
        select(
            *outbox_row(
                key(kind, events.c.event_id, recipients.c.user_id),
                literal(kind, String),
                recipients.c.user_id,
                events.c.programme_id,
                events.c.innovation_id,
                literal(None, Integer),
                literal(None, Date),
                json_object(literal(context_key, String), events.c.event_id),
                send_at=literal(now, UTCDateTime()),
                now=now,
            )
        )
        .select_from(recipients)
        .join(events, events.c.event_id == recipients.c.event_id)
        .join(User, User.id == recipients.c.user_id)
        .where(
            User.active.is_(True),
            or_(events.c.actor_id.is_(None), events.c.actor_id != recipients.c.user_id),
            not_opted_out(recipients.c.user_id, literal(kind, String)),
        )
    )


def _recent_events(event_id, innovation_id, actor_id, since_column, since, kind, *where):
    return (
        select(
            event_id.label("event_id"),
            innovation_id.label("innovation_id"),
            actor_id.label("actor_id"),
            Innovation.programme_id,
        )
        .join(Innovation, Innovation.id == innovation_id)
        .join(Programme, Programme.id == Innovation.programme_id)
        .join(
            ReminderRule,
            and_(
                ReminderRule.programme_id == Programme.id,
                ReminderRule.kind == str(kind),
                ReminderRule.enabled.is_(True),
            ),
        )
        .where(since_column >= since, Programme.archived.is_(False), *where)
        .cte(f"recent_{kind}")
    )


def _team(events):
    """Owner and team members of each event's innovation."""
    return [
        select(events.c.event_id, Innovation.owner_id.label("user_id"))
        .select_from(events)
        .join(Innovation, Innovation.id == events.c.innovation_id)
        .where(Innovation.owner_id.is_not(None)),
        select(events.c.event_id, innovation_members.c.user_id)
        .select_from(events)
        .join(innovation_members, innovation_members.c.innovation_id == events.c.innovation_id),
    ]


def stage_moved_select(since: datetime, now: datetime):
    t = StageTransition
    events = _recent_events(
        t.id,
        t.innovation_id,
        t.actor_id,
        t.created_at,
        since,
        K.STAGE_MOVED,
        t.from_stage.is_not(None),
    )
    mentors = (
        select(events.c.event_id, MentorAssignment.mentor_id)
        .select_from(events)
        .join(
            MentorAssignment,
            and_(
                MentorAssignment.innovation_id == events.c.innovation_id,
                MentorAssignment.unassigned_at.is_(None),
            ),
        )
    )
    recipients = union(*_team(events), mentors).cte("stage_moved_recipients")
    return _notice_select(K.STAGE_MOVED, events, recipients, "transition_id", now)


def mentor_assigned_select(since: datetime, now: datetime):
    a = MentorAssignment
    events = _recent_events(
        a.id,
        a.innovation_id,
        a.assigned_by_id,
        a.assigned_at,
        since,
        K.MENTOR_ASSIGNED,
        a.unassigned_at.is_(None),
    )
    mentor = (
        select(events.c.event_id, a.mentor_id)
        .select_from(events)
        .join(a, a.id == events.c.event_id)
    )
    recipients = union(*_team(events), mentor).cte("mentor_assigned_recipients")
    return _notice_select(K.MENTOR_ASSIGNED, events, recipients, "assignment_id", now)


def feedback_select(since: datetime, now: datetime):
    """New feedback (not a reply): the innovation's owner and team hear of it."""
    f = Feedback
    events = _recent_events(
        f.id, f.innovation_id, f.author_id, f.created_at, since, K.FEEDBACK, f.parent_id.is_(None)
    )
    recipients = union(*_team(events)).cte("feedback_recipients")
    return _notice_select(K.FEEDBACK, events, recipients, "feedback_id", now)


def reply_select(since: datetime, now: datetime):
    """A reply: whoever wrote the thread's feedback (the mentor) or answered in it before."""
    f = Feedback
    reply, thread = aliased(Feedback), aliased(Feedback)
    events = _recent_events(
        f.id,
        f.innovation_id,
        f.author_id,
        f.created_at,
        since,
        K.FEEDBACK_REPLY,
        f.parent_id.is_not(None),
    )
    recipients = (
        select(events.c.event_id, thread.author_id.label("user_id"))
        .select_from(events)
        .join(reply, reply.id == events.c.event_id)
        .join(
            thread,
            and_(
                or_(thread.id == reply.parent_id, thread.parent_id == reply.parent_id),
                thread.created_at <= reply.created_at,
            ),
        )
        .where(thread.author_id.is_not(None))
        .distinct()
        .cte("reply_recipients")
    )
    return _notice_select(K.FEEDBACK_REPLY, events, recipients, "feedback_id", now)
