"""Accounts: creating users and changing passwords."""

from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..extensions import db
from ..models import User
from . import DomainError

# The password rule; the forms read it from here.
PASSWORD_MIN = 10
PASSWORD_MAX = 128


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise DomainError(_l("This is not a valid email address."), field="email") from error


def check_password_rules(password: str) -> None:
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise DomainError(
            _l("Use between %(min)d and %(max)d characters.", min=PASSWORD_MIN, max=PASSWORD_MAX),
            field="password",
        )


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def create_user(
    *, email: str, name: str, password: str, is_organiser: bool = False, **fields
) -> User:
    """An account; roles come with memberships, `is_organiser` lets it create programmes."""
    email = normalise_email(email)
    name = name.strip()
    if not name or len(name) > 120:
        raise DomainError(_l("Name must have between 1 and 120 characters."), field="name")
    check_password_rules(password)
    if find_user_by_email(email):
        raise DomainError(_l("A user with this email already exists."), field="email")
    user = User(email=email, name=name, is_organiser=is_organiser, **fields)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise DomainError(_l("Your current password is not correct."), field="current_password")
    check_password_rules(new)
    user.set_password(new)  # also rotates the session token: other sessions end
    db.session.flush()
