"""Inviting people into a programme: invite, resend, revoke, accept.

A new person gets an account without a password and a pending membership; the
email carries a signed link valid 7 days where they choose their password. A
person who already has an account is added at once and told by email. Every
step is in the programme's event log; no link is ever written anywhere.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from ..extensions import db
from ..models import (
    AccountMessageKind,
    EventKind,
    Invitation,
    InvitationStatus,
    Membership,
    OutboxMessage,
    Programme,
    Role,
    User,
    utcnow,
)
from ..models.invitations import new_nonce
from ..models.users import LANGUAGES
from ..translating import lazy_gettext as _l
from . import DomainError, tokens
from .accounts import check_password_rules, clean_name, find_user_by_email, normalise_email
from .agencies import participant_ids
from .events import record_event
from .tokens import Purpose

INVITATION_VALID_FOR = timedelta(days=7)
CAPACITY_LIMITS = (1, 50)
S = InvitationStatus


@dataclass
class Invitee:
    """What a coordinator says about a person to invite (one form, or one CSV row)."""

    name: str
    email: str
    role: str
    agency_id: int | None = None
    capacity: int | None = None
    locale: str = "id"


def check_invitee(programme: Programme, invitee: Invitee, *, agencies: set[int]) -> Invitee:
    """The invitee cleaned, or DomainError naming the field. `agencies`: the ids allowed."""
    email = normalise_email(invitee.email)
    name = clean_name(invitee.name)
    if invitee.role not in set(Role):
        raise DomainError(_l("Choose a role from the list."), field="role")
    if invitee.locale not in LANGUAGES:
        raise DomainError(_l("Choose a language from the list."), field="locale")
    agency_id = invitee.agency_id if invitee.role == Role.INNOVATOR else None
    if agency_id is not None and agency_id not in agencies:
        raise DomainError(_l("Choose an agency of this programme."), field="agency_id")
    capacity = invitee.capacity if invitee.role == Role.MENTOR else None
    low, high = CAPACITY_LIMITS
    if capacity is not None and not low <= capacity <= high:
        raise DomainError(
            _l("Enter a whole number from %(min)d to %(max)d.", min=low, max=high),
            field="capacity",
        )
    return Invitee(name, email, str(invitee.role), agency_id, capacity, invitee.locale)


def programme_agency_ids(programme: Programme) -> set[int]:
    """Agencies a programme's innovator may belong to: those taking part in it."""
    return participant_ids(programme.id)


def already_member_error(email: str) -> DomainError:
    return DomainError(_l("%(email)s is already in this programme.", email=email), field="email")


def invite(
    programme: Programme, invitee: Invitee, *, actor: User, now: datetime | None = None
) -> Invitation:
    """Invite one person (already checked by `check_invitee`); nothing is written on error."""
    now = now or utcnow()
    actor_id = actor.id  # read before anything is pending: loading it would flush
    user = find_user_by_email(invitee.email)
    if user is not None and db.session.get(Membership, (programme.id, user.id)) is not None:
        raise already_member_error(invitee.email)
    if user is not None and not user.is_active:
        raise DomainError(
            _l("The account of %(email)s is deactivated.", email=invitee.email), field="email"
        )
    if user is None:
        user = User(
            email=invitee.email,
            name=invitee.name,
            password_hash="",  # chosen through the invitation link
            locale=invitee.locale,
            mentor_capacity=invitee.capacity or 5,
        )
        db.session.add(user)
        db.session.flush()
    joined = user.has_password
    db.session.add(
        Membership(
            programme_id=programme.id,
            user_id=user.id,
            role=invitee.role,
            agency_id=invitee.agency_id,
            created_at=now,
            joined_at=now if joined else None,
        )
    )
    invitation = db.session.scalar(
        select(Invitation).where(
            Invitation.programme_id == programme.id, Invitation.user_id == user.id
        )
    )
    if invitation is None:
        invitation = Invitation(
            programme_id=programme.id,
            user_id=user.id,
            sends=0,
            expires_at=now + INVITATION_VALID_FOR,
        )
        db.session.add(invitation)
    invitation.role = invitee.role
    invitation.invited_by_id = actor_id
    invitation.created_at = now
    invitation.status = S.ACCEPTED if joined else S.PENDING
    invitation.accepted_at = now if joined else None
    _renew(invitation, now)
    db.session.flush()
    _queue_email(invitation, user, programme, now)
    record_event(
        programme.id,
        EventKind.MEMBER_ADDED if joined else EventKind.INVITED,
        actor=actor,
        subject=user,
        role=invitee.role,
    )
    db.session.flush()
    return invitation


def _renew(invitation: Invitation, now: datetime) -> None:
    invitation.nonce = new_nonce()
    invitation.expires_at = now + INVITATION_VALID_FOR
    invitation.sends = (invitation.sends or 0) + 1


def email_key(invitation: Invitation) -> str:
    return f"invitation:{invitation.id}:{invitation.sends}"


def _queue_email(invitation: Invitation, user: User, programme: Programme, now: datetime):
    kind = (
        AccountMessageKind.INVITATION
        if invitation.status == S.PENDING
        else AccountMessageKind.ADDED_TO_PROGRAMME
    )
    db.session.add(
        OutboxMessage(
            dedupe_key=email_key(invitation),
            kind=kind,
            recipient_id=user.id,
            programme_id=programme.id,
            # Which send this is; the link is signed from the invitation when written.
            context={"invitation_id": invitation.id, "send": invitation.sends},
            next_attempt_at=now,
            created_at=now,
        )
    )


def resend(invitation: Invitation, *, actor: User, now: datetime | None = None) -> Invitation:
    """A new link by email; the links sent before are refused from now on."""
    if invitation.status != S.PENDING:
        raise DomainError(_l("This invitation is no longer open."))
    now = now or utcnow()
    _renew(invitation, now)
    user = db.session.get(User, invitation.user_id)
    programme = db.session.get(Programme, invitation.programme_id)
    db.session.flush()
    _queue_email(invitation, user, programme, now)
    record_event(programme.id, EventKind.INVITATION_RESENT, actor=actor, subject=user)
    db.session.flush()
    return invitation


def revoke(invitation: Invitation, *, actor: User) -> None:
    """Withdraw an open invitation: the link dies and the pending membership goes."""
    if invitation.status != S.PENDING:
        raise DomainError(_l("This invitation is no longer open."))
    invitation.status = S.REVOKED
    invitation.nonce = new_nonce()
    member = db.session.get(Membership, (invitation.programme_id, invitation.user_id))
    if member is not None:  # only invited: never took part
        db.session.delete(member)
    record_event(
        invitation.programme_id,
        EventKind.INVITATION_REVOKED,
        actor=actor,
        subject=invitation.user_id,
    )
    db.session.flush()


def invitation_token(invitation: Invitation) -> str:
    """The link's token: the same each time it is asked for, until resent or used."""
    return tokens.issue(
        Purpose.INVITATION,
        invitation.id,
        expires_at=invitation.expires_at,
        bound_to=f"{invitation.nonce}:{invitation.status}",
    )


class InvitationRevoked(tokens.TokenError):
    def __init__(self):
        super().__init__("revoked")


def invitation_for_token(token: str, *, now: datetime | None = None) -> Invitation:
    """The open invitation behind a link; tokens.TokenError when it must be refused."""
    found: dict[int, Invitation] = {}

    def bound(invitation_id: int) -> str | None:
        invitation = db.session.get(Invitation, invitation_id)
        if invitation is None:
            return None
        found[invitation_id] = invitation
        return f"{invitation.nonce}:{invitation.status}"

    try:
        claim = tokens.check(Purpose.INVITATION, token, bound, now=now)
    except tokens.TokenError as error:
        invitation = next(iter(found.values()), None)
        if error.reason == "used" and invitation and invitation.status == S.REVOKED:
            raise InvitationRevoked from error
        raise
    invitation = found[claim.subject_id]
    if not db.session.get(User, invitation.user_id).is_active:
        raise tokens.TokenError("invalid")
    return invitation


def accept(token: str, password: str, *, now: datetime | None = None) -> Invitation:
    """Choose a password through the link: the person joins every programme that
    invited them (the link proves the address) and the link is used up."""
    now = now or utcnow()
    invitation = invitation_for_token(token, now=now)
    user = db.session.get(User, invitation.user_id)
    if not user.has_password:
        check_password_rules(password, user=user)
        user.set_password(password)
    open_invitations = db.session.scalars(
        select(Invitation).where(Invitation.user_id == user.id, Invitation.status == S.PENDING)
    )
    for each in open_invitations:
        each.status = S.ACCEPTED
        each.accepted_at = now
        member = db.session.get(Membership, (each.programme_id, user.id))
        if member is not None:
            member.joined_at = now
        record_event(each.programme_id, EventKind.INVITATION_ACCEPTED, actor=user, subject=user)
    user.last_login_at = now
    db.session.flush()
    return invitation


def link_copied(invitation: Invitation, *, actor: User) -> None:
    """The coordinator asked for the link (to send it another way): logged, link not kept."""
    record_event(
        invitation.programme_id,
        EventKind.INVITATION_LINK_COPIED,
        actor=actor,
        subject=invitation.user_id,
    )
