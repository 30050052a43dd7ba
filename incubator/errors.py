"""Error pages in the base layout, in the user's language, for every 4xx we send and 500."""

import logging
import math
import time
from datetime import timedelta

from flask import Flask, current_app, g, render_template, request, session
from flask_babel import force_locale, format_timedelta
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db, limiter
from .translating import gettext as _
from .translating import lazy_gettext as _l

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        _l("Bad request"),
        _l("The request could not be understood. Please check and try again."),
    ),
    401: (_l("Please log in"), _l("You need to log in to see this page.")),
    403: (_l("Not allowed"), _l("You do not have permission to do this.")),
    404: (_l("Not found"), _l("The page or item you asked for does not exist.")),
    405: (_l("Not allowed"), _l("This action is not available here.")),
    410: (_l("Link expired"), _l("This link is no longer valid.")),
    409: (
        _l("Changed by someone else"),
        _l("This item changed since you loaded the page. Reload and try again."),
    ),
    413: (_l("Too large"), _l("What you sent is too large.")),
    422: (_l("Please check your input"), _l("Some of what you entered is not valid.")),
    429: (_l("Too many requests"), _l("Please wait a moment before trying again.")),
    500: (_l("Something went wrong"), _l("An unexpected error occurred. It has been logged.")),
}


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500])
    context = {"code": code, "title": title, "message": detail or message}
    try:
        if request.htmx:
            return render_block("errors/error.html", "error", **context), code
        return render_template("errors/error.html", **context), code
    except DBAPIError as error:  # the layout asks the database (the user, the navigation)
        if not (isinstance(error, OperationalError) or error.connection_invalidated):
            raise
        return _database_unavailable(error)


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error):
        db.session.rollback()
        return render_error(
            400,
            str(_l("Your form expired or was not sent from this site. Reload and try again.")),
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        db.session.rollback()
        if error.code is None or error.code < 400:
            return error
        if error.code == 429:
            return _too_many_requests()
        detail = error.description if getattr(error, "user_message", False) else None
        response = render_error(error.code if error.code in MESSAGES else 400, detail)
        if error.code == 405 and isinstance(response, tuple):
            body, code = response
            resp = app.make_response((body, code))
            for key, value in error.get_headers():
                if key.lower() in {"retry-after", "allow"}:
                    resp.headers[key] = value
            return resp
        return response

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, request.path)
        return render_error(InternalServerError.code)

    @app.teardown_appcontext
    def _release_session(exc):
        # Runs before Flask-SQLAlchemy's own teardown (registered earlier, run later): a
        # connection that dropped after the response was made must not turn it into a 500.
        try:
            db.session.remove()
        except DBAPIError as error:
            log.warning("database connection lost at the end of a request: %s", error.orig)
            db.session.registry.clear()  # the pool has already discarded the connection

    @app.errorhandler(DBAPIError)
    def _database(error: DBAPIError):
        if not (isinstance(error, OperationalError) or error.connection_invalidated):
            return _unexpected(error)
        return _database_unavailable(error)


def _too_many_requests():
    """429 saying how long to wait: the limit that was hit knows when it resets."""
    current = limiter.current_limit
    seconds = max(1, math.ceil(current.reset_at - time.time())) if current else 60
    wait = format_timedelta(timedelta(seconds=seconds), threshold=1.1, add_direction=False)
    message = _("Too many attempts. Please wait %(wait)s, then try again.", wait=wait)
    response = current_app.make_response(render_error(429, message))
    if response.status_code == 429:
        response.headers["Retry-After"] = str(seconds)
    return response


UNAVAILABLE_RETRY_SECONDS = 30


def _database_unavailable(error: DBAPIError):
    """503 while the database is unreachable, drawn without asking the database anything
    (no user, no navigation); the pool's pre-ping reconnects once it is back."""
    lang = _language_without_database()
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.close()
    log.warning("database unavailable on %s %s: %s", request.method, request.path, error.orig)
    # Straight from Jinja: Flask's context processors would load the user (a query).
    template = current_app.jinja_env.get_template("errors/unavailable.html")
    with force_locale(lang):
        body = template.render(
            request=request, current_locale=lang, retry=UNAVAILABLE_RETRY_SECONDS
        )
    response = current_app.make_response((body, 503))
    response.headers["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
    response.headers["Cache-Control"] = "no-store"
    return response


def _language_without_database() -> str:
    """The reader's language from what this request already holds: the signed-in user
    if already loaded, the session's choice, the browser's."""
    from .models.users import LANGUAGES

    user = g.get("_login_user")
    saved = getattr(user, "__dict__", {}).get("locale")  # loaded only: never a query
    if saved in LANGUAGES:
        return saved
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(LANGUAGES) or "id"


def user_abort(code: int, message: str):
    """Abort with a message meant for the user (shown instead of the generic text)."""
    from werkzeug.exceptions import default_exceptions

    error = default_exceptions[code](description=message)
    error.user_message = True
    raise error
