"""Emails about a person's account: password reset, invitation, added to a programme.

They go out once, on their own, whatever the person's notification settings.
Their links are signed when the email is written and stored nowhere, so no page
(the outbox included) can show a live link.
"""

from datetime import UTC, datetime

from .. import labels
from ..dates import format_datetime
from ..models import AccountMessageKind, InvitationStatus, OutboxMessage, utcnow
from ..pipeline.accounts import RESET_VALID_FOR, reset_token
from ..pipeline.invitations import invitation_token
from ..pipeline.zones import zone_or_default
from ..translating import gettext as _
from .links import absolute_url

A = AccountMessageKind
ACCOUNT_KINDS = frozenset(A)


def _expires_at(message: OutboxMessage) -> datetime:
    return datetime.fromtimestamp(int((message.context or {})["expires_at"]), UTC)


def local_time(moment: datetime, user, *zones: str | None) -> str:
    """24-hour time in the reader's zone, naming the zone (a deadline in an email)."""
    return format_datetime(moment, zone=zone_or_default(user.timezone, *zones), with_zone=True)


def account_void_reason(message: OutboxMessage, batch) -> str | None:
    if message.kind in (A.PASSWORD_RESET, A.REPLICATED):
        return None
    invitation = batch.invitation(message)
    if invitation is None or message.programme_id not in batch.programmes:
        return "no_longer_due"
    if (message.context or {}).get("send") != invitation.sends:
        return "replaced"  # resent: only the newest email carries a live link
    if message.kind == A.INVITATION and (
        invitation.status != InvitationStatus.PENDING or invitation.expires_at <= utcnow()
    ):
        return "no_longer_due"
    return None


def account_content(message: OutboxMessage, batch) -> tuple[str, str, dict]:
    """(subject, template, values) for an account email."""
    if message.kind == A.PASSWORD_RESET:
        return _password_reset(message)
    if message.kind in (A.INVITATION, A.ADDED_TO_PROGRAMME):
        return _invitation(message, batch)
    if message.kind == A.REPLICATED:
        return _replicated(message)
    raise ValueError(f"unknown account email {message.kind!r}")


def _invitation(message: OutboxMessage, batch) -> tuple[str, str, dict]:
    invitation = batch.invitation(message)
    programme = batch.programmes[message.programme_id]
    inviter = batch.users.get(invitation.invited_by_id)
    names = {
        "programme": programme.name,
        "inviter": inviter.name if inviter else _("A coordinator"),
        "role": labels.label(labels.ROLE_LABELS, invitation.role),
    }
    values = {"programme": programme, "inviter_name": names["inviter"], "names": names}
    if message.kind == A.INVITATION:
        token = invitation_token(invitation)
        values["link"] = absolute_url("auth.accept_invitation", token=token)
        values["expires"] = local_time(invitation.expires_at, message.recipient, programme.timezone)
        subject = _("%(inviter)s invites you to %(programme)s", **names)
        return subject, "invitation", values
    values["link"] = absolute_url("board.board", slug=programme.slug)
    subject = _("You have been added to %(programme)s", **names)
    return subject, "added_to_programme", values


def _password_reset(message: OutboxMessage) -> tuple[str, str, dict]:
    user = message.recipient
    expires_at = _expires_at(message)
    link = absolute_url("auth.reset_password_view", token=reset_token(user, expires_at))
    return (
        _("Reset your Incubator password"),
        "password_reset",
        {
            "link": link,
            "valid_minutes": int(RESET_VALID_FOR.total_seconds() // 60),
            "expires": local_time(expires_at, user),
            "programme": None,
        },
    )


def _replicated(message: OutboxMessage) -> tuple[str, str, dict]:
    context = message.context or {}
    names = {
        "original": context.get("original", ""),
        "copy": context.get("copy", ""),
        "programme": context.get("programme", ""),
    }
    link = absolute_url("innovations.detail", innovation_id=context.get("original_id"))
    subject = _("“%(original)s” has been replicated", **names)
    return subject, "replicated", {"names": names, "link": link}
