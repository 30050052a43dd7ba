"""Accepting an invitation: choose a password through the emailed link, land on the board."""

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale

from ..extensions import db
from ..form_errors import show_domain_error
from ..models import Programme, SecurityEventKind, User
from ..pipeline import DomainError, security_log
from ..pipeline.invitations import accept, invitation_for_token
from ..pipeline.tokens import TokenError
from ..security import token_in_url
from ..translating import gettext as _
from .forms import SetPasswordForm
from .reset_views import token_page, token_refused
from .session import log_in
from .views import bp


@bp.route("/invitations/<token>", methods=["GET", "POST"])
@token_in_url
def accept_invitation(token: str):
    try:
        invitation = invitation_for_token(token)
    except TokenError as error:
        return token_refused(error, what="invitation")
    user = db.session.get(User, invitation.user_id)
    programme = db.session.get(Programme, invitation.programme_id)
    form = SetPasswordForm()
    status = 200
    if form.is_submitted():
        if form.validate():
            had_password = user.has_password
            try:
                accept(token, form.password.data)
            except DomainError as error:
                show_domain_error(form, error, default="password")
            else:
                if not had_password:
                    security_log.record(
                        SecurityEventKind.PASSWORD_SET, user=user, address=request.remote_addr
                    )
                log_in(user)
                db.session.commit()
                flash(_("Welcome to %(programme)s.", programme=programme.name), "success")
                return redirect(url_for("board.board", slug=programme.slug))
        status = 422
    # In the invitation's language, unless the visitor chose one here.
    with force_locale(session.get("lang") or user.locale or "id"):
        body = render_template(
            "auth/accept_invitation.html",
            form=form,
            user=user,
            programme=programme,
            invitation=invitation,
            token=token,
        )
    return token_page(body, status)
