"""Feedback on an innovation or one of its milestones, replies, and edits."""

from sqlalchemy import delete

from ..extensions import db
from ..models import Feedback, Innovation, Milestone, User, utcnow
from ..translating import lazy_gettext as _l
from . import DomainError, NotAllowed, activity

FEEDBACK_MAX = 10_000


def clean_body(body: str | None) -> str:
    body = (body or "").strip()
    if not body:
        raise DomainError(_l("Write something first."), field="body")
    if len(body) > FEEDBACK_MAX:
        raise DomainError(
            _l("Keep it under %(max)d characters.", max=FEEDBACK_MAX),
            field="body",
        )
    return body


def give_feedback(
    innovation: Innovation,
    *,
    author: User,
    body: str,
    milestone: Milestone | None = None,
) -> Feedback:
    """New feedback on the innovation, or on one of its milestones."""
    body = clean_body(body)
    if milestone is not None and milestone.innovation_id != innovation.id:
        raise DomainError(_l("This milestone belongs to another innovation."), field="milestone")
    feedback = Feedback(
        innovation_id=innovation.id,
        milestone_id=milestone.id if milestone else None,
        author_id=author.id,
        body=body,
    )
    db.session.add(feedback)
    db.session.flush()
    activity.record(
        "feedback_given",
        actor=author,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        feedback_id=feedback.id,
        milestone_id=feedback.milestone_id,
        milestone_title=milestone.title if milestone else None,
    )
    db.session.flush()
    return feedback


def reply_to_feedback(parent: Feedback, *, author: User, body: str) -> Feedback:
    """A reply; replies nest once, so a reply to a reply joins the same thread."""
    body = clean_body(body)
    root_id = parent.parent_id or parent.id
    reply = Feedback(
        innovation_id=parent.innovation_id,
        milestone_id=parent.milestone_id,
        parent_id=root_id,
        author_id=author.id,
        body=body,
    )
    db.session.add(reply)
    db.session.flush()
    innovation = db.session.get(Innovation, parent.innovation_id)
    activity.record(
        "feedback_replied",
        actor=author,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        feedback_id=reply.id,
        parent_id=root_id,
        milestone_id=reply.milestone_id,
    )
    db.session.flush()
    return reply


def edit_feedback(feedback: Feedback, *, editor: User, body: str) -> Feedback:
    """Change the text. The caller has checked Action.EDIT_FEEDBACK (author, 15 minutes)."""
    if feedback.author_id != editor.id:
        raise NotAllowed(_l("Only the author can edit this feedback."))
    body = clean_body(body)
    if body == feedback.body:
        return feedback
    feedback.body = body
    feedback.edited_at = utcnow()
    innovation = db.session.get(Innovation, feedback.innovation_id)
    activity.record(
        "feedback_edited",
        actor=editor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        feedback_id=feedback.id,
    )
    db.session.flush()
    return feedback


def delete_feedback(feedback: Feedback, *, actor: User) -> None:
    """The author takes it back (the caller has checked Action.EDIT_FEEDBACK: the author,
    within the edit window); replies to it go with it. The history keeps a line."""
    if feedback.author_id != actor.id:
        raise NotAllowed(_l("Only the author can delete this feedback."))
    innovation = db.session.get(Innovation, feedback.innovation_id)
    activity.record(
        "feedback_deleted",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        feedback_id=feedback.id,
        reply=feedback.parent_id is not None,
    )
    db.session.execute(delete(Feedback).where(Feedback.parent_id == feedback.id))
    db.session.delete(feedback)
    db.session.flush()


def hide_feedback(feedback: Feedback, *, actor: User) -> Feedback:
    """A coordinator hides feedback (after its edit window the author can no longer
    delete it): the text is no longer shown; the history says who hid it and when."""
    if feedback.hidden_at is not None:
        return feedback
    feedback.hidden_at = utcnow()
    feedback.hidden_by_id = actor.id
    innovation = db.session.get(Innovation, feedback.innovation_id)
    activity.record(
        "feedback_hidden",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        feedback_id=feedback.id,
        author_id=feedback.author_id,
    )
    db.session.flush()
    return feedback
