"""The profile page: name and language, time zone and emails, password.

It lives at /account; /account/notifications (the older address, linked from
every email) shows the same page and still saves the notification settings.
"""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..models import User
from ..pipeline import DomainError
from ..pipeline import reminders as reminder_settings
from ..pipeline.accounts import update_profile
from ..reminders.forms import NotificationsForm
from ..reminders.rules import ALL_KINDS, KIND_HELP
from ..reminders.timezones import zone_or_default
from . import policy
from .forms import ProfileForm
from .views import bp


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
    from flask_babel import get_locale

    return str(get_locale())


def render_profile(*, details: ProfileForm, notifications: NotificationsForm, status: int = 200):
    return (
        render_template(
            "auth/profile.html", details=details, form=notifications, kind_help=KIND_HELP
        ),
        status,
    )


def _field_error(form, error: DomainError) -> None:
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, str(error.message)]
    else:
        form.form_errors.append(str(error.message))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def profile():
    user = current_user._get_current_object()
    if request.method == "GET":
        return render_profile(details=profile_form(user), notifications=notifications_form(user))
    details = profile_form(user, posted=True)
    if details.validate_on_submit():
        try:
            update_profile(user, name=details.name.data, locale=details.locale.data)
        except DomainError as error:
            db.session.rollback()
            _field_error(details, error)
        else:
            db.session.commit()
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_profile(details=details, notifications=notifications_form(user), status=422)
