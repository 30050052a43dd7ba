"""Login, logout and password change."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user

from ..extensions import db
from ..form_errors import show_domain_error
from ..models import SecurityEventKind as Kind
from ..models import User
from ..pipeline import DomainError, security_log
from ..pipeline.accounts import change_password, find_user_by_email, record_login
from ..redirects import safe_next
from ..translating import gettext as _
from . import throttle
from .forms import ChangePasswordForm, LoginForm
from .session import log_in, log_out

bp = Blueprint("auth", __name__)

# Checked when the email is unknown, so a wrong email costs as long as a wrong password.
_DUMMY = User(password_hash="")
_DUMMY.set_password("timing-equaliser-not-a-password")


@bp.route("/login", methods=["GET", "POST"])
@throttle.login
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("board.home"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
        return render_template("auth/login.html", form=form)
    if form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        password_ok = (user or _DUMMY).check_password(form.password.data)
        security_log.login_attempt(user, form.email.data, password_ok, request.remote_addr)
        db.session.commit()  # a failure is kept too
        if user and password_ok and user.is_active:
            log_in(user, remember=form.remember.data)  # a fresh session: no fixation
            record_login(user)
            db.session.commit()
            return redirect(safe_next(form.next.data) or url_for("board.home"))
        if user and password_ok:
            form.form_errors.append(_("This account has been deactivated."))
        else:
            form.form_errors.append(_("Email or password is incorrect."))
    return render_template("auth/login.html", form=form), 422


@bp.post("/logout")
@login_required
def logout():
    security_log.record(Kind.LOGOUT, user=current_user, address=request.remote_addr)
    log_out()
    db.session.commit()
    flash(_("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.post("/account/logout-everywhere")
@login_required
def logout_everywhere():
    security_log.record(Kind.LOGOUT, user=current_user, address=request.remote_addr)
    log_out(everywhere=True)
    db.session.commit()
    flash(_("You have logged out on every device."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = ChangePasswordForm()
    if request.method == "GET":
        return render_template("auth/password.html", form=form)
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.new_password.data)
        except DomainError as error:
            show_domain_error(form, error, default="new_password")
        else:
            security_log.record(
                Kind.PASSWORD_CHANGED, user=current_user, address=request.remote_addr
            )
            db.session.commit()
            # Re-issue this login's cookie with the new token; the others end.
            login_user(current_user._get_current_object(), remember=False)
            flash(
                _("Your password has been changed. Other sessions have been logged out."), "success"
            )
            return redirect(url_for("board.home"))
    return render_template("auth/password.html", form=form), 422


from . import (  # noqa: E402, F401  (routes here)
    invitation_views,
    profile_views,
    reset_views,
    security_views,
    token_views,
)
