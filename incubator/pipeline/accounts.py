"""Accounts: creating users, changing passwords, resetting a forgotten one."""

from datetime import datetime, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func, select

from ..extensions import db
from ..models import AccountMessageKind, Membership, OutboxMessage, Programme, User, utcnow
from ..models.users import LANGUAGES
from ..translating import lazy_gettext as _l
from . import DomainError, passwords, sessions, tokens
from .rules import clean_line
from .tokens import Purpose

RESET_VALID_FOR = timedelta(hours=1)
# One reset email per account in this time, however often the form is sent.
RESET_QUIET_TIME = timedelta(minutes=2)

# The password rule; the forms read it from here.
PASSWORD_MIN = 10
PASSWORD_MAX = 128
NAME_MAX = 120


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise DomainError(_l("This is not a valid email address."), field="email") from error


def check_password_rules(
    password: str, *, name: str = "", email: str = "", user: User | None = None, programmes=()
) -> None:
    """The password rule: a length, not easy to guess (passwords.weakness), not the
    current one. `user` brings their name, email, programmes and current password."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise DomainError(
            _l("Use between %(min)d and %(max)d characters.", min=PASSWORD_MIN, max=PASSWORD_MAX),
            field="password",
        )
    if user is not None:
        name, email = user.name, user.email
        programmes = [*programmes, *_programme_names(user)]
    problem = passwords.weakness(password, passwords.personal_words(name, email, programmes))
    if problem is not None:
        raise DomainError(problem, field="password")
    if user is not None and user.has_password and user.check_password(password):
        raise DomainError(_l("This is your current password. Choose a new one."), field="password")


def _programme_names(user: User) -> list[str]:
    return list(
        db.session.scalars(
            select(Programme.name)
            .join(Membership, Membership.programme_id == Programme.id)
            .where(Membership.user_id == user.id)
        )
    )


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    *, email: str, name: str, password: str | None, is_organiser: bool = False, **fields
) -> User:
    """An account; roles come with memberships, `is_organiser` lets it create programmes.

    Without a password the account cannot log in until one is set (the demo sets its
    known password directly, past the strength rule)."""
    email = normalise_email(email)
    name = clean_name(name)
    if password is not None:
        check_password_rules(password, name=name, email=email)
    if find_user_by_email(email):
        raise DomainError(_l("A user with this email already exists."), field="email")
    user = User(email=email, name=name, is_organiser=is_organiser, password_hash="", **fields)
    if password is not None:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise DomainError(_l("Your current password is not correct."), field="current_password")
    check_password_rules(new, user=user)
    user.set_password(new)  # also rotates the session token: other sessions end
    sessions.end_others(user)


def request_password_reset(email: str, *, now: datetime | None = None) -> OutboxMessage | None:
    """Queue a reset email when the address belongs to an active account; else nothing.

    The caller answers the same either way, so the form does not tell who has an account.
    """
    now = now or utcnow()
    user = find_user_by_email(email[:254]) if email else None
    if user is None or not user.is_active or not user.has_password:
        return None  # an invited person sets a password through the invitation
    recent = db.session.scalar(
        select(OutboxMessage.id).where(
            OutboxMessage.recipient_id == user.id,
            OutboxMessage.kind == AccountMessageKind.PASSWORD_RESET,
            OutboxMessage.created_at > now - RESET_QUIET_TIME,
        )
    )
    if recent is not None:
        return None
    expires_at = now + RESET_VALID_FOR
    message = OutboxMessage(
        dedupe_key=f"{AccountMessageKind.PASSWORD_RESET}:{user.id}:{now.timestamp():.6f}",
        kind=AccountMessageKind.PASSWORD_RESET,
        recipient_id=user.id,
        # Only the expiry is kept: the link is signed when the email is written.
        context={"expires_at": int(expires_at.timestamp())},
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(message)
    db.session.flush()
    return message


def reset_token(user: User, expires_at: datetime) -> str:
    """Valid until `expires_at` and until the password changes (which using it does)."""
    return tokens.issue(
        Purpose.PASSWORD_RESET, user.id, expires_at=expires_at, bound_to=user.password_hash
    )


def user_for_reset(token: str, *, now: datetime | None = None) -> User:
    """The account a reset token is for; tokens.TokenError when it must be refused."""
    found: dict[int, User] = {}

    def password_of(user_id: int) -> str | None:
        user = db.session.get(User, user_id)
        if user is None or not user.is_active:
            return None
        found[user_id] = user
        return user.password_hash

    claim = tokens.check(Purpose.PASSWORD_RESET, token, password_of, now=now)
    return found[claim.subject_id]


def reset_password(token: str, new: str, *, now: datetime | None = None) -> User:
    """Set a new password through a reset link; the link and every session end with it."""
    user = user_for_reset(token, now=now)
    check_password_rules(new, user=user)
    user.set_password(new)  # a new hash refuses the link again; a new session token
    sessions.end_others(user)  # the link's visitor has no login yet: every login ends
    return user


def clean_name(name: str) -> str:
    """A person's name: the single-line rule, 1-120 characters."""
    return clean_line(name, "name", NAME_MAX, _l("Name must have between 1 and 120 characters."))


def update_profile(user: User, *, name: str, locale: str) -> None:
    if locale not in LANGUAGES:
        raise DomainError(_l("Choose a language from the list."), field="locale")
    user.name = clean_name(name)
    user.locale = locale
    db.session.flush()


def set_language(user: User, locale: str) -> None:
    if locale not in LANGUAGES:
        raise DomainError(_l("Choose a language from the list."), field="locale")
    user.locale = locale
    db.session.flush()


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
    db.session.flush()
