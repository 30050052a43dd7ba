"""A programme's people: change a role, remove someone, deactivate an account.

A programme always keeps one coordinator: the last one can be neither demoted,
removed nor deactivated. Removing keeps the person's history (feedback,
progress, moves); their mentor assignments here end, and the innovations they
own stay theirs until a coordinator gives them to someone else.
"""

from sqlalchemy import exists, func, select, update

from ..extensions import db
from ..models import (
    EventKind,
    Innovation,
    Invitation,
    InvitationStatus,
    Membership,
    MentorAssignment,
    Programme,
    Role,
    User,
    utcnow,
)
from ..models.invitations import new_nonce
from ..translating import lazy_gettext as _l
from . import DomainError, sessions
from .events import record_event


def member_of(programme: Programme, user_id: int) -> Membership:
    member = db.session.get(Membership, (programme.id, user_id))
    if member is None:
        raise DomainError(_l("This person is not in this programme."))
    return member


def _invited(programme_id, user_id):
    """Only invited so far: the invitation is still open."""
    return exists().where(
        Invitation.programme_id == programme_id,
        Invitation.user_id == user_id,
        Invitation.status == InvitationStatus.PENDING,
    )


def _other_coordinators(programme_id: int, user_id: int) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.programme_id == programme_id,
            Membership.role == Role.COORDINATOR,
            Membership.user_id != user_id,
            User.active.is_(True),
            ~_invited(programme_id, Membership.user_id),
        )
    )


def _keep_a_coordinator(member: Membership) -> None:
    if member.role != Role.COORDINATOR:
        return
    if db.session.scalar(select(_invited(member.programme_id, member.user_id))):
        return
    if not _other_coordinators(member.programme_id, member.user_id):
        raise DomainError(
            _l("A programme needs a coordinator: make someone else coordinator first."),
            field="role",
        )


def change_role(programme: Programme, user_id: int, role: str, *, actor: User) -> Membership:
    if role not in set(Role):
        raise DomainError(_l("Choose a role from the list."), field="role")
    member = member_of(programme, user_id)
    if member.role == role:
        return member
    if role != Role.COORDINATOR:
        _keep_a_coordinator(member)
    before, member.role = member.role, str(role)
    db.session.execute(
        update(Invitation)
        .where(Invitation.programme_id == programme.id, Invitation.user_id == user_id)
        .values(role=str(role))
    )
    record_event(
        programme.id,
        EventKind.ROLE_CHANGED,
        actor=actor,
        subject=user_id,
        before=before,
        after=role,
    )
    db.session.flush()
    return member


def owned_innovations(programme: Programme, user_id: int) -> list[Innovation]:
    return list(
        db.session.scalars(
            select(Innovation)
            .where(Innovation.programme_id == programme.id, Innovation.owner_id == user_id)
            .order_by(Innovation.title)
        )
    )


def remove_member(programme: Programme, user_id: int, *, actor: User) -> list[Innovation]:
    """Take the person out of the programme; returns the innovations they still own."""
    member = member_of(programme, user_id)
    _keep_a_coordinator(member)
    now = utcnow()
    in_programme = select(Innovation.id).where(Innovation.programme_id == programme.id)
    ended = db.session.execute(
        update(MentorAssignment)
        .where(
            MentorAssignment.mentor_id == user_id,
            MentorAssignment.unassigned_at.is_(None),
            MentorAssignment.innovation_id.in_(in_programme),
        )
        .values(unassigned_at=now, unassigned_by_id=actor.id),
        execution_options={"synchronize_session": False},
    ).rowcount
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.programme_id == programme.id,
            Invitation.user_id == user_id,
            Invitation.status == InvitationStatus.PENDING,
        )
        .values(status=InvitationStatus.REVOKED, nonce=new_nonce()),
        execution_options={"synchronize_session": False},
    )
    db.session.delete(member)
    owned = owned_innovations(programme, user_id)
    record_event(
        programme.id,
        EventKind.MEMBER_REMOVED,
        actor=actor,
        subject=user_id,
        role=member.role,
        mentor_assignments_ended=ended or 0,
        innovations_owned=len(owned),
    )
    db.session.flush()
    return owned


def deactivate(programme: Programme, user_id: int, *, actor: User) -> User:
    """Close the account: it cannot log in, and every session it has ends now."""
    if user_id == actor.id:
        raise DomainError(_l("You cannot deactivate your own account."))
    member_of(programme, user_id)
    user = db.session.get(User, user_id)
    coordinated = db.session.scalars(
        select(Membership).where(Membership.user_id == user_id, Membership.role == Role.COORDINATOR)
    )
    for each in coordinated:
        _keep_a_coordinator(each)
    user.active = False
    sessions.end_all(user)  # every login of the account ends now
    record_event(programme.id, EventKind.ACCOUNT_DEACTIVATED, actor=actor, subject=user_id)
    db.session.flush()
    return user


def set_organiser(programme: Programme, user_id: int, value: bool, *, actor: User) -> User:
    """Give or take the right to create programmes (an account-level right)."""
    if user_id == actor.id:
        raise DomainError(_l("You cannot change your own organiser right."))
    member_of(programme, user_id)
    user = db.session.get(User, user_id)
    if user.is_organiser != value:
        user.is_organiser = value
        kind = EventKind.ORGANISER_GRANTED if value else EventKind.ORGANISER_WITHDRAWN
        record_event(programme.id, kind, actor=actor, subject=user_id)
    db.session.flush()
    return user


def reactivate(programme: Programme, user_id: int, *, actor: User) -> User:
    member_of(programme, user_id)
    user = db.session.get(User, user_id)
    user.active = True
    record_event(programme.id, EventKind.ACCOUNT_REACTIVATED, actor=actor, subject=user_id)
    db.session.flush()
    return user
