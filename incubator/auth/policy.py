"""Who may do what: the one place that decides.

Rules are plain functions of the user, the action and the target; the matrix test
in tests/unit/test_policy.py exercises every role x action x own/other combination.
Views do not call these pieces to guard themselves: they enter through the door
(`incubator/auth/door.py`), which loads the object and asks `can` in one step.

A user's memberships (programme and role there) are read once per request and
cached on `flask.g` (`programme_roles`, `role_in`), so a page asking `can` ten times about the
same programme runs one membership query.
"""

import enum
from datetime import timedelta

from flask import g, has_request_context
from flask_babel import gettext as _
from sqlalchemy import exists, select

from ..extensions import db
from ..models import (
    Feedback,
    Innovation,
    Membership,
    MentorAssignment,
    Programme,
    Role,
    User,
    innovation_members,
    utcnow,
)

FEEDBACK_EDIT_WINDOW = timedelta(minutes=15)


class Action(enum.StrEnum):
    VIEW_PROGRAMME = "programme.view"
    MANAGE_PROGRAMME = "programme.manage"  # settings, templates, WIP limits, reminder rules
    VIEW_OUTBOX = "programme.outbox"
    RETRY_MESSAGE = "programme.outbox_retry"  # send a failed reminder email again
    EXPORT = "programme.export"
    CREATE_INNOVATION = "innovation.create"
    PROPOSE_INNOVATION = "innovation.propose"
    DECIDE_PROPOSAL = "innovation.decide_proposal"
    VIEW_INNOVATION = "innovation.view"
    EDIT_INNOVATION = "innovation.edit"
    CHANGE_STATE = "innovation.change_state"
    MOVE_CARD = "innovation.move"
    MANAGE_MILESTONES = "milestone.manage"
    RECORD_PROGRESS = "milestone.progress"
    ASSIGN_MENTOR = "mentor.assign"
    GIVE_FEEDBACK = "feedback.give"
    REPLY_FEEDBACK = "feedback.reply"
    EDIT_FEEDBACK = "feedback.edit"
    RAPID_ASSESS = "assessment.record"
    VIEW_MENTEES = "mentor.mentees"  # the mentor's "My mentees" page
    MANAGE_PLACES = "programme.places"  # regencies/cities, participating agencies, agency import
    CURATE_AGENCIES = "agency.curate"  # rename, merge, delete a shared agency: organisers


def programme_roles(user: User) -> dict[int, Role]:
    """The user's role in each of their programmes, read once per request (cached on g)."""
    if not has_request_context():
        return _load_roles(user.id)
    cache = g.setdefault("programme_roles", {})
    if user.id not in cache:
        cache[user.id] = _load_roles(user.id)
    return cache[user.id]


def _load_roles(user_id: int) -> dict[int, Role]:
    rows = db.session.execute(
        select(Membership.programme_id, Membership.role).where(Membership.user_id == user_id)
    )
    return {programme_id: Role(role) for programme_id, role in rows}


def forget_programme_roles() -> None:
    """After a request changed memberships: the next check reads them again."""
    if has_request_context():
        g.pop("programme_roles", None)


def role_in(user: User, programme_id: int) -> Role | None:
    """The user's role in the programme; None when they are not a member."""
    return programme_roles(user).get(programme_id)


def is_member(user: User, programme_id: int) -> bool:
    return role_in(user, programme_id) is not None


def on_team(user: User, innovation: Innovation) -> bool:
    if innovation.owner_id == user.id:
        return True
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    innovation_members.c.innovation_id == innovation.id,
                    innovation_members.c.user_id == user.id,
                )
            )
        )
    )


def is_assigned_mentor(user: User, innovation: Innovation) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    MentorAssignment.innovation_id == innovation.id,
                    MentorAssignment.mentor_id == user.id,
                    MentorAssignment.unassigned_at.is_(None),
                )
            )
        )
    )


def _programme_id(target) -> int | None:
    if isinstance(target, Programme):
        return target.id
    if isinstance(target, Innovation | Feedback):
        return _innovation_programme(target)
    return getattr(target, "programme_id", None)


def _innovation_programme(target) -> int:
    if isinstance(target, Innovation):
        return target.programme_id
    return db.session.scalar(
        select(Innovation.programme_id).where(Innovation.id == target.innovation_id)
    )


def _innovation(target) -> Innovation | None:
    if isinstance(target, Innovation):
        return target
    innovation_id = getattr(target, "innovation_id", None)
    return db.session.get(Innovation, innovation_id) if innovation_id else None


def can(user: User | None, action: Action, target=None) -> bool:
    """May `user` take `action` on `target`? The role is the one the user holds in the
    target's programme. Without a target only account-level questions are answered
    ("is a mentor somewhere", for the "My mentees" link)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if target is None:
        return action == Action.VIEW_MENTEES and Role.MENTOR in programme_roles(user).values()
    programme_id = _programme_id(target)
    role = role_in(user, programme_id) if programme_id is not None else None
    if role is None:
        return False
    coordinator = role == Role.COORDINATOR

    match action:
        case Action.VIEW_PROGRAMME:
            return True
        case (
            Action.MANAGE_PROGRAMME
            | Action.VIEW_OUTBOX
            | Action.RETRY_MESSAGE
            | Action.EXPORT
            | Action.CREATE_INNOVATION
            | Action.DECIDE_PROPOSAL
            | Action.CHANGE_STATE
            | Action.MOVE_CARD
            | Action.ASSIGN_MENTOR
        ):
            return coordinator
        case Action.PROPOSE_INNOVATION:
            return role == Role.INNOVATOR
        case Action.VIEW_INNOVATION:
            innovation = _innovation(target)
            if innovation is not None and innovation.is_proposal and not coordinator:
                return on_team(user, innovation)
            return True
        case Action.EDIT_INNOVATION | Action.MANAGE_MILESTONES | Action.RECORD_PROGRESS:
            return coordinator or (role == Role.INNOVATOR and on_team(user, _innovation(target)))
        case Action.GIVE_FEEDBACK:
            return coordinator or (
                role == Role.MENTOR and is_assigned_mentor(user, _innovation(target))
            )
        case Action.REPLY_FEEDBACK:
            innovation = _innovation(target)
            return (
                coordinator
                or (role == Role.INNOVATOR and on_team(user, innovation))
                or (role == Role.MENTOR and is_assigned_mentor(user, innovation))
            )
        case Action.EDIT_FEEDBACK:
            return isinstance(target, Feedback) and _may_edit_feedback(user, target)
        case Action.RAPID_ASSESS:
            return role == Role.MENTOR and is_assigned_mentor(user, _innovation(target))
        case Action.VIEW_MENTEES:
            return role == Role.MENTOR
        case Action.MANAGE_PLACES:
            return coordinator
        case Action.CURATE_AGENCIES:
            # The change reaches every programme using the agency: an account-level right.
            return coordinator and user.is_organiser
    return False


# Actions whose rule is "coordinator, or innovator on the team": checkable in bulk.
TEAM_ACTIONS = frozenset({Action.EDIT_INNOVATION, Action.MANAGE_MILESTONES, Action.RECORD_PROGRESS})


def allowed_innovation_ids(user: User | None, action: Action, innovations) -> set[int]:
    """The ids among `innovations` for which `can(user, action, it)` holds, for list
    pages: a fixed number of queries however many innovations there are."""
    innovations = list(innovations)
    if action not in TEAM_ACTIONS:
        return {i.id for i in innovations if can(user, action, i)}
    if user is None or not user.is_authenticated or not user.is_active or not innovations:
        return set()
    roles = programme_roles(user)
    coordinated = {i.id for i in innovations if roles.get(i.programme_id) == Role.COORDINATOR}
    candidates = [i for i in innovations if roles.get(i.programme_id) == Role.INNOVATOR]
    if not candidates:
        return coordinated
    team = set(
        db.session.scalars(
            select(innovation_members.c.innovation_id).where(
                innovation_members.c.user_id == user.id,
                innovation_members.c.innovation_id.in_([i.id for i in candidates]),
            )
        )
    )
    return coordinated | {i.id for i in candidates if i.owner_id == user.id or i.id in team}


def _may_edit_feedback(user: User, feedback: Feedback) -> bool:
    return feedback.author_id == user.id and utcnow() - feedback.created_at <= FEEDBACK_EDIT_WINDOW


def editable_feedback(user: User, innovation: Innovation, items) -> set[int]:
    """Ids of the innovation's feedback `user` may edit now: `can(EDIT_FEEDBACK)` for a
    whole thread, with the programme check made once instead of once per item."""
    mine = [f for f in items if f.author_id == user.id and f.innovation_id == innovation.id]
    if not mine or not can(user, Action.VIEW_INNOVATION, innovation):
        return set()
    return {f.id for f in mine if _may_edit_feedback(user, f)}


# Actions on a programme as a whole: once membership holds, the role decides.
PROGRAMME_ACTIONS = frozenset(
    {
        Action.VIEW_PROGRAMME,
        Action.MANAGE_PROGRAMME,
        Action.VIEW_OUTBOX,
        Action.RETRY_MESSAGE,
        Action.EXPORT,
        Action.CREATE_INNOVATION,
        Action.PROPOSE_INNOVATION,
        Action.DECIDE_PROPOSAL,
        Action.MANAGE_PLACES,
        Action.CURATE_AGENCIES,
    }
)


def programme_permissions(user: User | None, programme: Programme) -> frozenset[Action]:
    """Every programme-level action `user` may take, for menus (the cached membership)."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return frozenset(a for a in PROGRAMME_ACTIONS if can(user, a, programme))


def refusal_message(user: User, action: Action, target=None) -> str | None:
    """Why `action` is refused, when it is something the user should be told (a 403's
    text); None for the generic "not allowed"."""
    own_feedback = isinstance(target, Feedback) and target.author_id == user.id
    if action == Action.EDIT_FEEDBACK and own_feedback:
        return _("Feedback can be edited only in the first 15 minutes after writing it.")
    return None


def visible_programmes(user: User) -> list[Programme]:
    return list(
        db.session.scalars(
            select(Programme)
            .join(Membership, Membership.programme_id == Programme.id)
            .where(Membership.user_id == user.id, Programme.archived.is_(False))
            .order_by(Programme.name)
        )
    )
