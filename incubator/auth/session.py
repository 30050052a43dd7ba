"""Flask-Login wiring: loading users from the cookie, logging in and out (each login
a record, `pipeline/sessions.py`), and answering the unauthenticated."""

from flask import Flask, redirect, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user

from ..models import User
from ..models.users import LANGUAGES
from ..numbers import parse_id
from ..pipeline import sessions
from ..translating import lazy_gettext as _l


def init_login(app: Flask, login_manager: LoginManager) -> None:
    login_manager.init_app(app)
    # "basic" marks a session non-fresh when IP or browser changes; "strong" would log out
    # phone users whose address changes between cell towers several times a day.
    login_manager.session_protection = "basic"
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def _load(user_id: str):
        # "id:session token:login key": a password change rotates the token (every
        # login ends), a logout deletes the login (its cookies, copied or not, end).
        uid, token, key = (user_id.split(":") + ["", ""])[:3]
        if parse_id(uid) is None:
            return None
        return sessions.load(parse_id(uid), token, key)

    @login_manager.unauthorized_handler
    def _unauthorized():
        target = url_for("auth.login", next=_local_path())
        if request.htmx:
            # htmx would swap a redirect's login page into a fragment; make it navigate.
            return "", 401, {"HX-Redirect": target}
        return redirect(target)


def _local_path() -> str:
    path = request.full_path if request.query_string else request.path
    if request.method != "GET" and request.referrer:
        return ""
    return path


def log_in(user: User, *, remember: bool = False) -> None:
    """A fresh session (no fixation) for a new login. The language the visitor chose
    before logging in is carried across and saved to the account (DESIGN: Language)."""
    chosen = session.get("lang")
    session.clear()
    if chosen in LANGUAGES:
        session["lang"] = chosen
        user.locale = chosen
    sessions.start(user)
    login_user(user, remember=remember)


def log_out(*, everywhere: bool = False) -> None:
    """End this login (or every login of the person): its session and remember-me
    cookies are refused from now on, copied or not. The page stays in their language."""
    user = current_user._get_current_object()
    if everywhere:
        sessions.end_all(user)
    else:
        sessions.end(user)
    language = user.locale or session.get("lang")
    session.clear()
    logout_user()  # after clear(): it marks the remember-me cookie for deletion
    if language in LANGUAGES:
        session["lang"] = language
