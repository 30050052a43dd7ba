"""The profile page: name and language, time zone and emails, password.

It lives at /account; /account/notifications (the older address, linked from
every email) shows the same page and still saves the notification settings.
"""

from flask import abort, flash, redirect, request, session, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..form_errors import show_domain_error
from ..models.users import LANGUAGES
from ..pipeline import DomainError
from ..pipeline.accounts import set_language, update_profile
from ..redirects import safe_next
from ..translating import gettext as _
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


@bp.post("/language")
def choose_language():
    """The header's language switch: a POST (with the CSRF token), so no other site can
    change what is saved. Saved to the account when logged in; the session's otherwise."""
    lang = request.form.get("lang")
    if lang not in LANGUAGES:
        abort(400)
    session["lang"] = lang
    if current_user.is_authenticated:
        set_language(current_user._get_current_object(), lang)
        db.session.commit()
    return redirect(safe_next(request.form.get("next")) or url_for("board.home"))
