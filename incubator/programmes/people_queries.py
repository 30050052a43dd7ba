"""What the People page reads, in a fixed number of queries whatever the number of people."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import (
    Agency,
    Innovation,
    Invitation,
    InvitationStatus,
    Membership,
    OutboxMessage,
    Programme,
    ProgrammeEvent,
    User,
)
from ..pipeline.invitations import email_key

STATUSES = ("invited", "active", "deactivated")
EVENTS_SHOWN = 30


@dataclass
class PersonRow:
    user: User
    role: str
    status: str  # invited / active / deactivated
    agency: str | None
    last_login_at: datetime | None
    invitation: Invitation | None
    delivery: str | None  # the invitation email's outbox status


def _status(user: User, invitation: Invitation | None) -> str:
    if not user.active:
        return "deactivated"
    return "invited" if invitation is not None and invitation.is_pending else "active"


def people(
    programme: Programme,
    *,
    q: str = "",
    role: str = "",
    status: str = "",
    user_id: int | None = None,
) -> list[PersonRow]:
    query = (
        select(Membership, User, Agency.name, Invitation)
        .join(User, User.id == Membership.user_id)
        .outerjoin(Agency, Agency.id == Membership.agency_id)
        .outerjoin(
            Invitation,
            (Invitation.programme_id == Membership.programme_id)
            & (Invitation.user_id == Membership.user_id),
        )
        .where(Membership.programme_id == programme.id)
        .order_by(func.lower(User.name), User.id)
    )
    if user_id is not None:
        query = query.where(Membership.user_id == user_id)
    if q:
        pattern = f"%{q.lower()}%"
        query = query.where(
            or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern))
        )
    if role:
        query = query.where(Membership.role == role)
    if status == "deactivated":
        query = query.where(User.active.is_(False))
    elif status == "invited":
        query = query.where(User.active.is_(True), Invitation.status == InvitationStatus.PENDING)
    elif status == "active":
        query = query.where(
            User.active.is_(True),
            or_(Invitation.id.is_(None), Invitation.status != InvitationStatus.PENDING),
        )
    found = db.session.execute(query).all()
    keys = [email_key(inv) for *_rest, inv in found if inv is not None]
    delivery = (
        dict(
            db.session.execute(
                select(OutboxMessage.dedupe_key, OutboxMessage.status).where(
                    OutboxMessage.dedupe_key.in_(keys)
                )
            ).all()
        )
        if keys
        else {}
    )
    return [
        PersonRow(
            user=user,
            role=member.role,
            status=_status(user, inv),
            agency=agency,
            last_login_at=user.last_login_at,
            invitation=inv,
            delivery=delivery.get(email_key(inv)) if inv is not None else None,
        )
        for member, user, agency, inv in found
    ]


def events(programme: Programme, limit: int = EVENTS_SHOWN) -> list[tuple]:
    """The latest entries of the programme's event log, with who and about whom."""
    actor, subject = aliased(User), aliased(User)
    return db.session.execute(
        select(ProgrammeEvent, actor.name, subject.name)
        .outerjoin(actor, actor.id == ProgrammeEvent.actor_id)
        .outerjoin(subject, subject.id == ProgrammeEvent.subject_user_id)
        .where(ProgrammeEvent.programme_id == programme.id)
        .order_by(ProgrammeEvent.created_at.desc(), ProgrammeEvent.id.desc())
        .limit(limit)
    ).all()


def orphaned_innovations(programme: Programme) -> list[tuple[Innovation, str]]:
    """Innovations whose owner is no longer in the programme: to give to someone else."""
    in_programme = select(Membership.user_id).where(Membership.programme_id == programme.id)
    return db.session.execute(
        select(Innovation, User.name)
        .join(User, User.id == Innovation.owner_id)
        .where(Innovation.programme_id == programme.id, Innovation.owner_id.not_in(in_programme))
        .order_by(Innovation.title)
    ).all()


def member_row(programme: Programme, user_id: int) -> PersonRow | None:
    rows = people(programme, user_id=user_id)
    return rows[0] if rows else None
