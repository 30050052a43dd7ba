"""API tokens in the person's settings: make one (shown once), see them, revoke one."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SubmitField
from wtforms.validators import InputRequired

from ..extensions import db
from ..form_errors import show_domain_error
from ..pipeline import DomainError
from ..pipeline.api_tokens import NAME_MAX, create_token, revoke_token, tokens_of
from ..single_line import LineField
from ..translating import gettext as _
from ..translating import lazy_gettext as _l
from .views import bp


class TokenForm(FlaskForm):
    name = LineField(
        _l("Name of the token"),
        validators=[InputRequired(_l("Name the token."))],
        max=NAME_MAX,
        description=_l("What it is for, e.g. “Dashboard of the Bappeda”."),
    )
    submit = SubmitField(_l("Make a token"))


def _page(form, new_token: str | None = None, status: int = 200):
    user = current_user._get_current_object()
    return render_template(
        "auth/api_tokens.html", form=form, tokens=tokens_of(user), new_token=new_token
    ), status


@bp.get("/account/api-tokens")
@login_required
def api_tokens():
    return _page(TokenForm(formdata=None))


@bp.post("/account/api-tokens")
@login_required
def create_api_token():
    form = TokenForm()
    status = 422
    if form.validate():
        try:
            _row, token = create_token(current_user._get_current_object(), form.name.data)
        except DomainError as error:
            status = show_domain_error(form, error)
        else:
            db.session.commit()
            # Shown on this answer only: it is stored hashed, nobody can show it again.
            response = _page(TokenForm(formdata=None), new_token=token)
            return response[0], 201, {"Cache-Control": "no-store"}
    return _page(form, status=status)


@bp.post("/account/api-tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id: int):
    if revoke_token(current_user._get_current_object(), token_id) is None:
        abort(404)
    db.session.commit()
    flash(_("The token has been revoked: it no longer works."), "success")
    return redirect(url_for("auth.api_tokens"))
