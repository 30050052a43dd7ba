"""The security log page: logins, logouts and password changes, for organisers."""

from flask import render_template

from ..models import SecurityEventKind as Kind
from ..numbers import query_id
from ..pipeline import security_log
from ..translating import lazy_gettext as _l
from .door import personal_view
from .policy import Action
from .views import bp

KIND_LABELS = {
    Kind.LOGIN_SUCCEEDED: _l("Logged in"),
    Kind.LOGIN_FAILED: _l("Login failed"),
    Kind.LOGOUT: _l("Logged out"),
    Kind.PASSWORD_CHANGED: _l("Password changed"),
    Kind.PASSWORD_RESET: _l("Password reset by email"),
    Kind.PASSWORD_SET: _l("Password chosen (invitation)"),
}


@bp.get("/security-log")
@personal_view(Action.VIEW_SECURITY_LOG)
def security_log_page():
    page = security_log.page(before=query_id("before"))
    return render_template("auth/security_log.html", page=page, kind_labels=KIND_LABELS)
