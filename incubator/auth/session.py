"""Flask-Login wiring: loading users from the cookie and answering the unauthenticated."""

from flask import Flask, redirect, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager

from ..extensions import db
from ..models import User
from ..numbers import parse_id


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
        # The id carries the session token, so a password change ends other sessions.
        uid, _, token = user_id.partition(":")
        if parse_id(uid) is None:
            return None
        user = db.session.get(User, parse_id(uid))
        if user is None or not token or user.session_token != token:
            return None
        return user

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
