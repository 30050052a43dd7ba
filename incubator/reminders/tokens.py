"""Signed one-click unsubscribe tokens (RFC 8058): who, and which kind of message."""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from ..pipeline.reminder_rules import unsubscribable

SALT = "incubator.reminders.unsubscribe"


class InvalidToken(Exception):
    """The token was altered, truncated or made with another key."""


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def make_token(user_id: int, kind: str) -> str:
    return _serializer().dumps([user_id, kind])


def read_token(token: str) -> tuple[int, str]:
    """(user id, kind) from a token; InvalidToken unless it is exactly what we signed."""
    try:
        payload = _serializer().loads(token)
    except BadSignature as error:
        raise InvalidToken from error
    if (
        not isinstance(payload, list)
        or len(payload) != 2
        or not isinstance(payload[0], int)
        or not unsubscribable(payload[1])
    ):
        raise InvalidToken
    return payload[0], payload[1]
