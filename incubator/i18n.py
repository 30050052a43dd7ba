"""Language and time zone choice for each request.

Order (DESIGN contract): the user's saved choice, else `?lang=` remembered in the
session, else the browser's Accept-Language. Choosing a language with `?lang=`
while logged in also saves it, so the switcher in the header sticks.
"""

from datetime import date, datetime
from urllib.parse import urlencode

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_timezone
from flask_login import current_user

from .extensions import db

LANGUAGES = ("id", "en")


def select_locale() -> str:
    if not has_request_context():  # CLI and scheduler: callers use force_locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in LANGUAGES:
        return current_user.locale
    if session.get("lang") in LANGUAGES:
        return session["lang"]
    return request.accept_languages.best_match(LANGUAGES) or "id"


def select_timezone() -> str:
    if not has_request_context():
        return current_app.config["APP_TIMEZONE"]
    if current_user and current_user.is_authenticated and current_user.timezone:
        return current_user.timezone
    return current_app.config["APP_TIMEZONE"]


def reader_today() -> date:
    """Today where the person reading the page is: deadlines on their pages are dates in
    their zone (the programme's rules use `pipeline.zones.programme_today`)."""
    return datetime.now(get_timezone()).date()


def _remember_lang_choice() -> None:
    lang = request.args.get("lang")
    if lang not in LANGUAGES:
        return
    session["lang"] = lang
    if current_user.is_authenticated and current_user.locale != lang:
        current_user.locale = lang
        db.session.commit()


def lang_url(code: str) -> str:
    """This page in another language, keeping its query (the board's filters, say)."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [code]
    return "?" + urlencode(args, doseq=True)


def register(app: Flask) -> None:
    app.before_request(_remember_lang_choice)
    app.jinja_env.globals["lang_url"] = lang_url
