"""Memberships: who takes part in a programme, and in which role."""

from sqlalchemy import select

from ..extensions import db
from ..models import EventKind, Membership, Programme, Role, User, utcnow
from ..translating import lazy_gettext as _l
from . import DomainError
from .events import record_event


def membership(user_id: int, programme_id: int) -> Membership | None:
    return db.session.get(Membership, (programme_id, user_id))


def role_in(user_id: int, programme_id: int) -> Role | None:
    """The person's role in the programme, or None if they are not a member."""
    role = db.session.scalar(
        select(Membership.role).where(
            Membership.programme_id == programme_id, Membership.user_id == user_id
        )
    )
    return Role(role) if role else None


def add_member(
    programme: Programme, user: User, role: Role | str, *, actor: User | None
) -> Membership:
    """Put a person into a programme with a role (they take part from now on)."""
    if role not in set(Role):
        raise DomainError(_l("Role must be one of %(roles)s.", roles=", ".join(Role)), field="role")
    if membership(user.id, programme.id) is not None:
        raise DomainError(_l("%(name)s is already in this programme.", name=user.name))
    now = utcnow()
    member = Membership(
        programme_id=programme.id, user_id=user.id, role=str(role), created_at=now, joined_at=now
    )
    db.session.add(member)
    record_event(programme.id, EventKind.MEMBER_ADDED, actor=actor, subject=user, role=str(role))
    db.session.flush()
    return member
