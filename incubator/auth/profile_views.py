"""The profile page: name and language, time zone and emails, password.

It lives at /account; /account/notifications (the older address, linked from
every email) shows the same page and still saves the notification settings.
"""

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..extensions import db
from ..form_errors import show_domain_error
from ..pipeline import DomainError
from ..pipeline.accounts import update_profile
from .profile import notifications_form, profile_form, render_profile
from .views import bp


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
            show_domain_error(details, error)
        else:
            db.session.commit()
            flash(_("Your profile has been saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_profile(details=details, notifications=notifications_form(user), status=422)
