"""Read queries for mentoring pages, each in a fixed number of statements."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, joinedload

from ..auth import policy
from ..extensions import db
from ..models import (
    Feedback,
    Innovation,
    Membership,
    MentorAssignment,
    Milestone,
    ProgressUpdate,
    RapidAssessment,
    Role,
    Stage,
    User,
    innovation_members,
)
from ..pipeline.mentoring import LOAD_STATES

CANDIDATE_LIMIT = 50


def _load_subquery():
    """The mentor's live assignments, correlated to the User row of the outer query."""
    return (
        select(func.count(MentorAssignment.id))
        .join(Innovation, Innovation.id == MentorAssignment.innovation_id)
        .where(
            MentorAssignment.mentor_id == User.id,
            MentorAssignment.unassigned_at.is_(None),
            Innovation.state.in_(LOAD_STATES),
        )
        .correlate(User)
        .scalar_subquery()
    )


@dataclass
class MentorLoad:
    mentor: User
    load: int

    @property
    def over_capacity(self) -> bool:
        return self.load >= self.mentor.mentor_capacity


def mentor_candidates(
    programme_id: int, query: str = "", exclude_ids=(), limit: int = CANDIDATE_LIMIT
) -> list[MentorLoad]:
    """Mentors of the programme whose name matches, with their current load."""
    stmt = (
        select(User, _load_subquery().label("load"))
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.programme_id == programme_id,
            Membership.role == Role.MENTOR,
            User.active.is_(True),
        )
        .order_by(func.lower(User.name), User.id)
        .limit(limit)
    )
    query = query.strip()
    if query:
        # autoescape: a search for "50%" means the characters, not a wildcard.
        stmt = stmt.where(User.name.icontains(query, autoescape=True))
    if exclude_ids:
        stmt = stmt.where(User.id.not_in(list(exclude_ids)))
    return [MentorLoad(user, load or 0) for user, load in db.session.execute(stmt)]


def current_mentors(innovation_id: int) -> list[tuple[MentorAssignment, MentorLoad]]:
    rows = db.session.execute(
        select(MentorAssignment, User, _load_subquery().label("load"))
        .join(User, User.id == MentorAssignment.mentor_id)
        .where(
            MentorAssignment.innovation_id == innovation_id,
            MentorAssignment.unassigned_at.is_(None),
        )
        .order_by(MentorAssignment.assigned_at, MentorAssignment.id)
    )
    return [(assignment, MentorLoad(user, load or 0)) for assignment, user, load in rows]


@dataclass
class AssignmentEntry:
    assignment: MentorAssignment
    mentor_name: str
    assigned_by: str | None
    unassigned_by: str | None


def assignment_history(innovation_id: int) -> list[AssignmentEntry]:
    mentor, by, unby = aliased(User), aliased(User), aliased(User)
    rows = db.session.execute(
        select(MentorAssignment, mentor.name, by.name, unby.name)
        .join(mentor, mentor.id == MentorAssignment.mentor_id)
        .outerjoin(by, by.id == MentorAssignment.assigned_by_id)
        .outerjoin(unby, unby.id == MentorAssignment.unassigned_by_id)
        .where(MentorAssignment.innovation_id == innovation_id)
        .order_by(MentorAssignment.assigned_at.desc(), MentorAssignment.id.desc())
    )
    return [AssignmentEntry(*row) for row in rows]


@dataclass
class FeedbackThreads:
    """All feedback of one innovation, grouped for display, with what the viewer may do."""

    roots: dict[int | None, list[Feedback]] = field(default_factory=dict)
    replies: dict[int, list[Feedback]] = field(default_factory=dict)
    editable: set[int] = field(default_factory=set)
    can_give: bool = False
    can_reply: bool = False
    can_hide: bool = False

    def for_innovation(self) -> list[Feedback]:
        return self.roots.get(None, [])

    def for_milestone(self, milestone_id: int) -> list[Feedback]:
        return self.roots.get(milestone_id, [])

    def replies_to(self, feedback_id: int) -> list[Feedback]:
        return self.replies.get(feedback_id, [])

    def count_on_milestones(self) -> int:
        return sum(
            1 + len(self.replies_to(f.id))
            for key, items in self.roots.items()
            if key is not None
            for f in items
        )


def feedback_threads(innovation: Innovation, user: User) -> FeedbackThreads:
    items = db.session.scalars(
        select(Feedback)
        .options(joinedload(Feedback.author))
        .where(Feedback.innovation_id == innovation.id)
        .order_by(Feedback.created_at, Feedback.id)
    ).all()
    roots: dict[int | None, list[Feedback]] = defaultdict(list)
    replies: dict[int, list[Feedback]] = defaultdict(list)
    for item in items:
        if item.parent_id is None:
            roots[item.milestone_id].append(item)
        else:
            replies[item.parent_id].append(item)
    return FeedbackThreads(
        roots=dict(roots),
        replies=dict(replies),
        editable=policy.editable_feedback(user, innovation, items),
        can_give=policy.can(user, policy.Action.GIVE_FEEDBACK, innovation),
        can_reply=policy.can(user, policy.Action.REPLY_FEEDBACK, innovation),
        can_hide=policy.can(user, policy.Action.HIDE_FEEDBACK, innovation),
    )


def milestones_of(innovation_id: int) -> list[Milestone]:
    """In pipeline order: by stage, then due date."""
    milestones = db.session.scalars(
        select(Milestone).where(Milestone.innovation_id == innovation_id)
    ).all()
    stage_index = {stage.value: stage.index for stage in Stage}
    return sorted(
        milestones,
        key=lambda m: (stage_index.get(m.stage, 99), m.due_date or date.max, m.id),
    )


def assessments_of(innovation_id: int, limit: int | None = None) -> list[RapidAssessment]:
    """Newest first."""
    stmt = (
        select(RapidAssessment)
        .options(joinedload(RapidAssessment.mentor))
        .where(RapidAssessment.innovation_id == innovation_id)
        .order_by(RapidAssessment.created_at.desc(), RapidAssessment.id.desc())
    )
    if limit:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


@dataclass
class Mentee:
    """One of a mentor's innovations and what in it needs attention."""

    innovation: Innovation
    overdue: int
    oldest_overdue: date | None
    last_progress_at: datetime | None
    unanswered: int
    days_without_progress: int

    @property
    def stale(self) -> bool:
        return self.days_without_progress >= STALE_DAYS

    @property
    def needs_attention(self) -> bool:
        return bool(self.overdue or self.stale or self.unanswered)


STALE_DAYS = 14


def mentees(mentor: User, today: date, now: datetime) -> list[Mentee]:
    """The mentor's live innovations, what needs attention first; one statement."""
    overdue, oldest_overdue = _overdue_columns(today)
    rows = db.session.execute(
        select(
            Innovation,
            overdue.label("overdue"),
            oldest_overdue.label("oldest_overdue"),
            _last_progress().label("last_progress"),
            _unanswered_feedback().label("unanswered"),
        )
        .join(
            MentorAssignment,
            and_(
                MentorAssignment.innovation_id == Innovation.id,
                MentorAssignment.mentor_id == mentor.id,
                MentorAssignment.unassigned_at.is_(None),
            ),
        )
        .join(
            Membership,
            and_(
                Membership.programme_id == Innovation.programme_id,
                Membership.user_id == mentor.id,
            ),
        )
        .where(Innovation.state.in_(LOAD_STATES), Innovation.is_proposal.is_(False))
        .options(joinedload(Innovation.programme), joinedload(Innovation.owner))
    )
    result = [
        Mentee(
            innovation=innovation,
            overdue=n_overdue or 0,
            oldest_overdue=oldest,
            last_progress_at=last,
            unanswered=n_unanswered or 0,
            days_without_progress=max(
                (now - (last or innovation.stage_entered_at or innovation.created_at)).days, 0
            ),
        )
        for innovation, n_overdue, oldest, last, n_unanswered in rows
    ]
    return sorted(result, key=_attention_first)


def _overdue_columns(today: date):
    """Per innovation: how many milestones are open past their due date, and the oldest."""
    open_overdue = and_(
        Milestone.innovation_id == Innovation.id,
        Milestone.done_at.is_(None),
        Milestone.due_date < today,
    )
    return (
        select(func.count(Milestone.id)).where(open_overdue).scalar_subquery(),
        select(func.min(Milestone.due_date)).where(open_overdue).scalar_subquery(),
    )


def _last_progress():
    """Per innovation: when progress was last recorded on any of its milestones."""
    return (
        select(func.max(ProgressUpdate.created_at))
        .join(Milestone, Milestone.id == ProgressUpdate.milestone_id)
        .where(Milestone.innovation_id == Innovation.id)
        .scalar_subquery()
    )


def _unanswered_feedback():
    """Per innovation: mentors' feedback threads nobody of the team has replied to."""
    reply = aliased(Feedback)
    team_replied = (
        select(reply.id)
        .where(
            reply.parent_id == Feedback.id,
            or_(
                reply.author_id == Innovation.owner_id,
                reply.author_id.in_(
                    select(innovation_members.c.user_id)
                    .where(innovation_members.c.innovation_id == Innovation.id)
                    .correlate(Innovation)
                ),
            ),
        )
        .correlate(Innovation, Feedback)
        .exists()
    )
    return (
        select(func.count(Feedback.id))
        .join(
            Membership,
            and_(
                Membership.user_id == Feedback.author_id,
                Membership.programme_id == Innovation.programme_id,
            ),
        )
        .where(
            Feedback.innovation_id == Innovation.id,
            Feedback.parent_id.is_(None),
            Membership.role == Role.MENTOR,
            ~team_replied,
        )
        .scalar_subquery()
    )


def _attention_first(mentee: Mentee):
    return (
        not mentee.needs_attention,
        -mentee.overdue,
        -mentee.unanswered,
        -mentee.days_without_progress if mentee.stale else 0,
        mentee.innovation.title.lower(),
    )
