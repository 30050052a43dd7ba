"""Error pages in the base layout, in the user's language, for every 4xx we send and 500."""

import logging

from flask import Flask, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from jinja2_fragments.flask import render_block
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db

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
    if request.htmx:
        return render_block("errors/error.html", "error", **context), code
    return render_template("errors/error.html", **context), code


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
        detail = error.description if getattr(error, "user_message", False) else None
        response = render_error(error.code if error.code in MESSAGES else 400, detail)
        if error.code == 429 or error.code == 405:
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


def user_abort(code: int, message: str):
    """Abort with a message meant for the user (shown instead of the generic text)."""
    from werkzeug.exceptions import default_exceptions

    error = default_exceptions[code](description=message)
    error.user_message = True
    raise error
