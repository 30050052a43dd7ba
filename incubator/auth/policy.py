"""Who may do what: the one place that decides.

Rules are plain functions of the user, the action and the target; the matrix test
in tests/unit/test_policy.py exercises every role x action x own/other combination.
Views do not call these pieces to guard themselves: they enter through the door
(`incubator/auth/door.py`), which loads the object and asks `can` in one step.

A user's memberships (programme, role there, archived or not) are read once per
request and cached on `flask.g` (`membership`), so a page asking `can` ten times
about the same programme runs one membership query. Roles belong to memberships:
the same person may mentor in one programme and coordinate another. An archived
programme allows only READ_ONLY_ACTIONS (the door answers 409 to the others).
"""

import enum
import functools
from dataclasses import dataclass
from datetime import timedelta

from flask import g, has_request_context
from sqlalchemy import bindparam, exists, select
from werkzeug.local import LocalProxy

from ..extensions import db
from ..models import (
    CompetitionEntry,
    Feedback,
    Innovation,
    MentorAssignment,
    Programme,
    Role,
    User,
    innovation_members,
    utcnow,
)
from ..models import Membership as MembershipRow
from ..translating import gettext as _
from ..translating import lazy_gettext as _l

FEEDBACK_EDIT_WINDOW = timedelta(minutes=15)


class Action(enum.StrEnum):
    CREATE_PROGRAMME = "programme.create"  # account-level: programme organisers
    EDIT_PROGRAMME = "programme.edit"  # name, slug, dates, zone, province
    ARCHIVE_PROGRAMME = "programme.archive"  # and restore: the one change an archive takes
    VIEW_PROGRAMME = "programme.view"
    MANAGE_PROGRAMME = "programme.manage"  # settings, templates, WIP limits, reminder rules
    VIEW_OUTBOX = "programme.outbox"
    RETRY_MESSAGE = "programme.outbox_retry"  # send a failed reminder email again
    EXPORT = "programme.export"
    # The dashboard and the programme report: coordinators see the whole programme,
    # mentors the same page limited to their mentees.
    VIEW_DASHBOARD = "programme.dashboard"
    CREATE_INNOVATION = "innovation.create"
    PROPOSE_INNOVATION = "innovation.propose"
    DECIDE_PROPOSAL = "innovation.decide_proposal"
    VIEW_INNOVATION = "innovation.view"
    EDIT_INNOVATION = "innovation.edit"
    CHANGE_TEAM = "innovation.team"  # its owner and team: a coordinator, or the owner
    CHANGE_STATE = "innovation.change_state"
    MOVE_CARD = "innovation.move"
    MANAGE_MILESTONES = "milestone.manage"
    # The gate: a milestone's "required" flag, deleting a required milestone, moving its
    # due date, deciding requests for a new one. Innovators ask (REQUEST_DUE_DATE).
    MANAGE_GATE = "milestone.gate"
    REQUEST_DUE_DATE = "milestone.request_due_date"
    RECORD_PROGRESS = "milestone.progress"
    ASSIGN_MENTOR = "mentor.assign"
    GIVE_FEEDBACK = "feedback.give"
    REPLY_FEEDBACK = "feedback.reply"
    EDIT_FEEDBACK = "feedback.edit"  # and delete: the author, within the edit window
    HIDE_FEEDBACK = "feedback.hide"  # a coordinator, after the window (kept in the history)
    RAPID_ASSESS = "assessment.record"
    VIEW_MENTEES = "mentor.mentees"  # the mentor's "My mentees" page
    VIEW_PEOPLE = "people.view"  # the People page and its event log
    INVITE_PEOPLE = "people.invite"  # one person, or many from a file
    MANAGE_PEOPLE = "people.manage"  # roles, removal, deactivation, resend/revoke/copy link
    MANAGE_PLACES = "programme.places"  # regencies/cities, participating agencies, agency import
    CURATE_AGENCIES = "agency.curate"  # rename, merge, delete a shared agency: organisers
    GRANT_ORGANISER = "people.grant_organiser"  # give or take the organiser right: organisers
    VIEW_DOCUMENTS = "document.view"  # private documents: coordinators, team, assigned mentors
    MANAGE_DOCUMENTS = "document.manage"  # attach and delete: coordinators and the team
    PUBLISH = "catalogue.publish"  # publish/withdraw, mark documents public: coordinators
    CONSENT = "catalogue.consent"  # agree to publication or withdraw it: the owner
    REPLICATE = "catalogue.replicate"  # account-level: coordinators and innovators somewhere
    VIEW_SECURITY_LOG = "account.security_log"  # logins and password changes: organisers
    # Competitions (KIPP). Templates are shared: anyone who coordinates a programme
    # manages them (account-level, no target); a programme's coordinators choose which
    # its innovations may enter (MANAGE_PROGRAMME). Entry actions take the innovation.
    MANAGE_COMPETITIONS = "competition.manage"
    VIEW_ENTRIES = "competition.entries"  # the programme's table of entries: coordinators
    VIEW_ENTRY = "entry.view"  # coordinators, the team, assigned mentors; others get 404
    EDIT_ENTRY = "entry.edit"  # open an entry, write its sections, attach evidence: the team
    REVIEW_ENTRY = "entry.review"  # comment on and score sections: assigned mentors
    REPLY_ENTRY_COMMENT = "entry.comment_reply"  # answer a review comment: team, assigned mentors
    RESOLVE_ENTRY_COMMENT = "entry.comment_resolve"  # mark a review comment resolved: the team


# What an archived programme still allows: reading, and being restored.
READ_ONLY_ACTIONS = frozenset(
    {
        Action.VIEW_PROGRAMME,
        Action.VIEW_OUTBOX,
        Action.EXPORT,
        Action.VIEW_DASHBOARD,
        Action.VIEW_INNOVATION,
        Action.VIEW_MENTEES,
        Action.ARCHIVE_PROGRAMME,
        Action.VIEW_PEOPLE,
        Action.VIEW_DOCUMENTS,
        Action.VIEW_ENTRY,
        Action.VIEW_ENTRIES,
    }
)
ARCHIVED_MESSAGE = _l("This programme is archived: it can be read but not changed.")


@dataclass(frozen=True)
class Membership:
    """A user's place in one programme: the role they act in there (from the
    programme_members row) and whether the programme is archived."""

    programme_id: int
    role: Role
    archived: bool = False
    # The programme's slug and name, for the navigation's programme switcher.
    slug: str = ""
    name: str = ""


def memberships(user: User) -> dict[int, Membership]:
    """Every programme `user` belongs to, by id, in the order of their names: one query,
    then cached for the request."""
    cache = g.setdefault("policy_memberships", {}) if has_request_context() else {}
    if user.id not in cache:
        rows = db.session.execute(_memberships_statement(), {"user_id": user.id})
        cache[user.id] = {
            pid: Membership(pid, Role(role), archived, slug, name)
            for pid, role, archived, slug, name in rows
        }
    return cache[user.id]


@functools.cache
def _memberships_statement():
    # Built once: every page asks it.
    return (
        select(
            MembershipRow.programme_id,
            MembershipRow.role,
            Programme.archived,
            Programme.slug,
            Programme.name,
        )
        .join(Programme, Programme.id == MembershipRow.programme_id)
        .where(MembershipRow.user_id == bindparam("user_id"))
        .order_by(Programme.name, Programme.id)
    )


def membership(user: User, programme_id: int) -> Membership | None:
    """`user`'s membership of the programme, or None; cached per request."""
    return memberships(user).get(programme_id)


def role_in(user: User, programme_id: int) -> Role | None:
    """`user`'s role in the programme, or None when not a member."""
    member = membership(user, programme_id)
    return member.role if member else None


def programme_roles(user: User) -> dict[int, Role]:
    """The user's role in each of their programmes (from the cached memberships)."""
    return {pid: m.role for pid, m in memberships(user).items()}


def forget_memberships() -> None:
    """For a request that has just changed memberships (e.g. created a programme)."""
    if has_request_context():
        g.pop("policy_memberships", None)
        g.pop("policy_programme_permissions", None)


# The name the setup branch gave it first (other branches call it so).
forget_programme_roles = forget_memberships


def is_member(user: User, programme_id: int) -> bool:
    return membership(user, programme_id) is not None


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
    if isinstance(target, Innovation | Feedback | CompetitionEntry):
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
    target's programme; an archived programme allows only READ_ONLY_ACTIONS. Without a
    target only account-level questions are answered (creating programmes; "is a mentor
    somewhere", for the "My mentees" page)."""
    user = _unproxied(user)
    return _can(user, action, target) and not _archived(user, action, target)


def _unproxied(user):
    """The user behind Flask-Login's `current_user`: every attribute read through the
    proxy looks the user up again, and a check reads several (a board asks 30 checks)."""
    return user._get_current_object() if isinstance(user, LocalProxy) else user


def refused_by_archive(user: User | None, action: Action, target=None) -> bool:
    """True when the role allows `action` and only the programme's archive forbids it."""
    return _can(user, action, target) and _archived(user, action, target)


def _archived(user: User, action: Action, target) -> bool:
    if action in READ_ONLY_ACTIONS or target is None:
        return False
    member = membership(user, _programme_id(target))
    return member is not None and member.archived


def _can(user: User | None, action: Action, target) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if action in (Action.CREATE_PROGRAMME, Action.VIEW_SECURITY_LOG):
        return user.is_organiser  # account-level: whatever their roles in programmes
    if target is None:
        roles = {m.role for m in memberships(user).values()}
        if action == Action.REPLICATE:
            return bool(roles & {Role.COORDINATOR, Role.INNOVATOR})
        if action == Action.MANAGE_COMPETITIONS:
            return Role.COORDINATOR in roles
        return action == Action.VIEW_MENTEES and Role.MENTOR in roles
    programme_id = _programme_id(target)
    member = membership(user, programme_id) if programme_id is not None else None
    if member is None:
        return False
    role = member.role
    coordinator = role == Role.COORDINATOR

    match action:
        case Action.VIEW_PROGRAMME:
            return True
        case (
            Action.EDIT_PROGRAMME
            | Action.ARCHIVE_PROGRAMME
            | Action.MANAGE_PROGRAMME
            | Action.VIEW_OUTBOX
            | Action.RETRY_MESSAGE
            | Action.EXPORT
            | Action.CREATE_INNOVATION
            | Action.DECIDE_PROPOSAL
            | Action.CHANGE_STATE
            | Action.MOVE_CARD
            | Action.ASSIGN_MENTOR
            | Action.MANAGE_GATE
            | Action.HIDE_FEEDBACK
            | Action.VIEW_ENTRIES
        ):
            return coordinator
        case Action.PROPOSE_INNOVATION:
            return role == Role.INNOVATOR
        case Action.VIEW_DASHBOARD:
            return role in (Role.COORDINATOR, Role.MENTOR)
        case Action.VIEW_INNOVATION:
            innovation = _innovation(target)
            if innovation is not None and innovation.is_proposal and not coordinator:
                return on_team(user, innovation)
            return True
        case Action.CHANGE_TEAM:
            innovation = _innovation(target)
            return coordinator or (role == Role.INNOVATOR and innovation.owner_id == user.id)
        case (
            Action.EDIT_INNOVATION
            | Action.MANAGE_MILESTONES
            | Action.RECORD_PROGRESS
            | Action.MANAGE_DOCUMENTS
        ):
            return coordinator or (role == Role.INNOVATOR and on_team(user, _innovation(target)))
        case Action.VIEW_ENTRY:
            innovation = _innovation(target)
            return (
                coordinator
                or (role == Role.INNOVATOR and on_team(user, innovation))
                or (role == Role.MENTOR and is_assigned_mentor(user, innovation))
            )
        case Action.EDIT_ENTRY:
            return role == Role.INNOVATOR and on_team(user, _innovation(target))
        case Action.REVIEW_ENTRY:
            return role == Role.MENTOR and is_assigned_mentor(user, _innovation(target))
        case Action.REPLY_ENTRY_COMMENT:
            innovation = _innovation(target)
            return (role == Role.INNOVATOR and on_team(user, innovation)) or (
                role == Role.MENTOR and is_assigned_mentor(user, innovation)
            )
        case Action.RESOLVE_ENTRY_COMMENT:
            return role == Role.INNOVATOR and on_team(user, _innovation(target))
        case Action.VIEW_DOCUMENTS:
            innovation = _innovation(target)
            return (
                coordinator
                or (role == Role.INNOVATOR and on_team(user, innovation))
                or (role == Role.MENTOR and is_assigned_mentor(user, innovation))
            )
        case Action.PUBLISH:
            innovation = _innovation(target)
            return coordinator and innovation is not None and not innovation.is_proposal
        case Action.CONSENT:
            innovation = _innovation(target)
            return (
                innovation is not None
                and not innovation.is_proposal
                and innovation.owner_id == user.id
            )
        case Action.REQUEST_DUE_DATE:
            return role == Role.INNOVATOR and on_team(user, _innovation(target))
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
        case Action.VIEW_PEOPLE | Action.INVITE_PEOPLE | Action.MANAGE_PEOPLE:
            return coordinator
        case Action.MANAGE_PLACES:
            return coordinator
        case Action.CURATE_AGENCIES | Action.GRANT_ORGANISER:
            # Reaches beyond this programme (shared agencies, the organiser right): an
            # account-level right, used from a programme the organiser coordinates.
            return coordinator and user.is_organiser
    return False


# Actions whose rule is "coordinator, or innovator on the team": checkable in bulk.
TEAM_ACTIONS = frozenset(
    {
        Action.EDIT_INNOVATION,
        Action.MANAGE_MILESTONES,
        Action.RECORD_PROGRESS,
        Action.MANAGE_DOCUMENTS,
    }
)


def allowed_innovation_ids(user: User | None, action: Action, innovations) -> set[int]:
    """The ids among `innovations` for which `can(user, action, it)` holds, for list
    pages: a fixed number of queries however many innovations there are."""
    innovations = list(innovations)
    if action not in TEAM_ACTIONS:
        return {i.id for i in innovations if can(user, action, i)}
    if user is None or not user.is_authenticated or not user.is_active or not innovations:
        return set()
    # Team actions all write: none in an archived programme.
    mine = {pid: m for pid, m in memberships(user).items() if not m.archived}
    candidates = [i for i in innovations if i.programme_id in mine]
    coordinated = {i.id for i in candidates if mine[i.programme_id].role == Role.COORDINATOR}
    candidates = [i for i in candidates if mine[i.programme_id].role == Role.INNOVATOR]
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
    if _archived(user, Action.EDIT_FEEDBACK, innovation):
        return set()
    return {f.id for f in mine if _may_edit_feedback(user, f)}


# Actions on a programme as a whole: once membership holds, the role decides.
PROGRAMME_ACTIONS = frozenset(
    {
        Action.EDIT_PROGRAMME,
        Action.ARCHIVE_PROGRAMME,
        Action.VIEW_PROGRAMME,
        Action.MANAGE_PROGRAMME,
        Action.VIEW_OUTBOX,
        Action.RETRY_MESSAGE,
        Action.EXPORT,
        Action.VIEW_DASHBOARD,
        Action.CREATE_INNOVATION,
        Action.PROPOSE_INNOVATION,
        Action.DECIDE_PROPOSAL,
        Action.VIEW_PEOPLE,
        Action.INVITE_PEOPLE,
        Action.MANAGE_PEOPLE,
        Action.MANAGE_PLACES,
        Action.CURATE_AGENCIES,
        Action.GRANT_ORGANISER,
        Action.VIEW_ENTRIES,
    }
)


def programme_permissions(user: User | None, programme: Programme) -> frozenset[Action]:
    """Every programme-level action `user` may take, for menus: worked out once a request
    from the cached membership (a page's tools and export links both ask)."""
    user = _unproxied(user)
    if user is None or not user.is_authenticated:
        return frozenset()
    known = g.setdefault("policy_programme_permissions", {}) if has_request_context() else {}
    key = (user.id, programme.id)
    if key not in known:
        known[key] = frozenset(a for a in PROGRAMME_ACTIONS if can(user, a, programme))
    return known[key]


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
            .join(MembershipRow, MembershipRow.programme_id == Programme.id)
            .where(MembershipRow.user_id == user.id, Programme.archived.is_(False))
            .order_by(Programme.name, Programme.id)
        )
    )


def open_memberships(user: User) -> list[Membership]:
    """`user`'s programmes that are not archived, by name, as `visible_programmes` lists
    them, from the request's cached memberships (the navigation's switcher on every page
    asks, so it costs no statement of its own)."""
    return [m for m in memberships(user).values() if not m.archived]
