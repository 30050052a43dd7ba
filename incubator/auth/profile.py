"""The profile page's parts: its two forms and the page, for /account and the older
/account/notifications (reminders/views.py), which shows the same page."""

from flask import render_template
from flask_babel import get_locale
from flask_login import current_user

from ..extensions import db
from ..models import User
from ..pipeline import reminders as reminder_settings
from ..pipeline.calendar_tokens import ensure_calendar_token
from ..pipeline.reminder_rules import ALL_KINDS
from ..pipeline.zones import zone_or_default
from ..reminders.forms import NotificationsForm
from ..reminders.rules import KIND_HELP
from ..reports.calendar import feed_url
from . import policy
from .forms import ProfileForm


def _default_zone(user: User) -> str:
    programmes = policy.visible_programmes(user)
    return zone_or_default(programmes[0].timezone if programmes else None)


def notifications_form(user: User, *, posted: bool = False) -> NotificationsForm:
    """The time zone and email kinds form, filled from the account unless posted."""
    form = NotificationsForm(
        default_zone=_default_zone(user), **({} if posted else {"formdata": None})
    )
    if not posted:
        form.timezone.data = user.timezone or ""
        off = reminder_settings.opted_out_kinds(user)
        form.kinds.data = [str(kind) for kind in ALL_KINDS if kind not in off]
    return form


def profile_form(user: User, *, posted: bool = False) -> ProfileForm:
    if posted:
        return ProfileForm()
    return ProfileForm(
        formdata=None, data={"name": user.name, "locale": user.locale or _current_locale()}
    )


def _current_locale() -> str:
    return str(get_locale())


def render_profile(*, details: ProfileForm, notifications: NotificationsForm, status: int = 200):
    user = current_user._get_current_object()
    if ensure_calendar_token(user):  # the first look at the page makes the feed's secret
        db.session.commit()
    return (
        render_template(
            "auth/profile.html",
            details=details,
            form=notifications,
            kind_help=KIND_HELP,
            calendar_url=feed_url(user),
        ),
        status,
    )
