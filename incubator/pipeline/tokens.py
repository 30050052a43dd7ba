"""Signed, expiring, single-purpose tokens for links sent by email.

A token carries a subject id, an expiry and a fingerprint of a value that changes
when the token is used (a password hash, an invitation's nonce). The purpose is the
signing salt, so a token made for one purpose fails the signature check of another;
once the bound value changes, every token made from it is refused. Tokens are
deterministic (no time of signing inside): the invitation email and "Copy invitation
link" give the same link.
"""

import enum
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..models import utcnow


class Purpose(enum.StrEnum):
    PASSWORD_RESET = "password_reset"  # noqa: S105 (a name, not a password)
    INVITATION = "invitation"
    UNSUBSCRIBE = "unsubscribe"  # one kind of reminder email, from its footer


class TokenError(Exception):
    """Why a token was refused: `invalid` (altered, other purpose), `expired` or `used`."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Claim:
    subject_id: int
    expires_at: datetime
    data: str | None = None  # signed, readable: e.g. which kind of email to unsubscribe from


MAX_TOKEN_LENGTH = 500


def _secret() -> bytes:
    return current_app.config["SECRET_KEY"].encode()


def _serializer(purpose: Purpose) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"incubator.token.{purpose}")


def _fingerprint(purpose: Purpose, value: str) -> str:
    # Keyed, so the readable payload reveals nothing about the bound value.
    digest = hmac.new(_secret(), f"{purpose}\0{value}".encode(), hashlib.sha256)
    return digest.hexdigest()[:24]


def issue(
    purpose: Purpose,
    subject_id: int,
    *,
    expires_at: datetime,
    bound_to: str,
    data: str | None = None,
) -> str:
    expiry = int(expires_at.timestamp())
    payload = [subject_id, expiry, _fingerprint(purpose, bound_to)]
    if data is not None:
        payload.append(data)
    return _serializer(purpose).dumps(payload)


def _payload(purpose: Purpose, token: str) -> tuple[int, int, str, str | None]:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise TokenError("invalid")
    try:
        payload = _serializer(purpose).loads(token)
    except BadSignature as error:
        raise TokenError("invalid") from error
    if (
        not isinstance(payload, list)
        or len(payload) not in (3, 4)
        or not all(isinstance(p, int) and not isinstance(p, bool) for p in payload[:2])
        or not all(isinstance(p, str) for p in payload[2:])
        or not 0 < payload[0] < 2**63
    ):
        raise TokenError("invalid")
    return payload[0], payload[1], payload[2], (payload[3] if len(payload) == 4 else None)


def check(
    purpose: Purpose,
    token: str,
    bound_value: Callable[[int], str | None],
    *,
    now: datetime | None = None,
) -> Claim:
    """The token's claim, or TokenError. `bound_value(subject_id)` gives the value it must
    still match (None when the subject is gone)."""
    subject_id, expiry, fingerprint, data = _payload(purpose, token)
    now = now or utcnow()
    if expiry <= now.timestamp():
        raise TokenError("expired")
    value = bound_value(subject_id)
    if value is None:
        raise TokenError("invalid")
    if not hmac.compare_digest(fingerprint, _fingerprint(purpose, value)):
        raise TokenError("used")
    return Claim(subject_id, datetime.fromtimestamp(expiry, UTC), data)
