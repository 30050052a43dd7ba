"""One-click unsubscribe links (RFC 8058): who, and which kind of message.

They are the signed, expiring, single-purpose tokens of `pipeline/tokens.py`
(Purpose.UNSUBSCRIBE): valid for 60 days, refused by every other use (a reset or an
invitation link is no unsubscribe link, and the other way round), and bound to the
address the email went to, so a link stops working once the account's email changes.
"""

from datetime import datetime, timedelta

from ..extensions import db
from ..models import User, utcnow
from ..pipeline import tokens
from ..pipeline.reminder_rules import unsubscribable
from ..pipeline.tokens import Purpose, TokenError

VALID_FOR = timedelta(days=60)


def _email_of(user_id: int) -> str | None:
    user = db.session.get(User, user_id)
    return user.email.lower() if user is not None else None


def make_token(user: User, kind: str, *, now: datetime | None = None) -> str:
    return tokens.issue(
        Purpose.UNSUBSCRIBE,
        user.id,
        expires_at=(now or utcnow()) + VALID_FOR,
        bound_to=user.email.lower(),
        data=kind,
    )


def read_token(token: str, *, now: datetime | None = None) -> tuple[int, str]:
    """(user id, kind), or TokenError: `invalid` (altered, another purpose, an unknown
    kind, an account that is gone or has another email now) or `expired`."""
    claim = tokens.check(Purpose.UNSUBSCRIBE, token, _email_of, now=now)
    if claim.data is None or not unsubscribable(claim.data):
        raise TokenError("invalid")
    return claim.subject_id, claim.data
