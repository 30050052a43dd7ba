"""Forgot password: ask for a link, then choose a new password through it."""

from flask import (
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from ..extensions import db
from ..form_errors import show_domain_error
from ..models import SecurityEventKind
from ..pipeline import DomainError, security_log
from ..pipeline.accounts import (
    record_login,
    request_password_reset,
    reset_password,
    user_for_reset,
)
from ..pipeline.tokens import TokenError
from ..security import token_in_url
from ..translating import gettext as _
from . import throttle
from .forms import ForgotPasswordForm, SetPasswordForm
from .session import log_in
from .views import bp


def token_refused(error: TokenError, *, what: str):
    """The page for a link that cannot be used: why, and what to do instead (4xx)."""
    return token_page(
        render_template("auth/link_refused.html", reason=error.reason, what=what),
        400 if error.reason == "invalid" else 410,
    )


def token_page(body: str, status: int = 200):
    response = make_response(body, status)
    # The token is in the URL: never hand it to another site in a Referer header.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/forgot-password", methods=["GET", "POST"])
@throttle.password_reset
def forgot_password():
    form = ForgotPasswordForm()
    if not form.is_submitted():
        return render_template("auth/forgot_password.html", form=form, sent=False)
    if not form.validate():
        return render_template("auth/forgot_password.html", form=form, sent=False), 422
    request_password_reset(form.email.data)
    db.session.commit()
    # The same answer whether or not the address has an account.
    return render_template("auth/forgot_password.html", form=form, sent=True)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@token_in_url
def reset_password_view(token: str):
    form = SetPasswordForm()
    try:
        user = user_for_reset(token)
    except TokenError as error:
        return token_refused(error, what="reset")
    status = 200
    if form.is_submitted():
        if form.validate():
            try:
                user = reset_password(token, form.password.data)
            except DomainError as error:
                show_domain_error(form, error, default="password")
            else:
                security_log.record(
                    SecurityEventKind.PASSWORD_RESET, user=user, address=request.remote_addr
                )
                record_login(user)
                log_in(user)
                db.session.commit()
                flash(_("Your new password is saved. Other sessions have ended."), "success")
                return redirect(url_for("board.home"))
        status = 422
    body = render_template("auth/reset_password.html", form=form, user=user, token=token)
    return token_page(body, status)
