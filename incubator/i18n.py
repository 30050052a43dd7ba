"""Language and time zone choice for each request.

Order (DESIGN contract): the user's saved choice, else `?lang=` remembered in the
session, else the browser's Accept-Language. A GET never changes what is saved
(another site could trigger it): `?lang=` only sets the session's language, and the
switcher in the header is a small POST form (`auth.choose_language`) that saves it.
"""

from datetime import date, datetime
from urllib.parse import urlencode

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import get_timezone
from flask_login import current_user

from .models.users import LANGUAGES
from .translating import page_translations


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
    if lang in LANGUAGES:
        session["lang"] = lang  # this visit only: the account is saved by a POST


def lang_next() -> str:
    """Where the language switcher returns to: this page with its query (the board's
    filters, say), without a `lang` that would undo the choice."""
    if request.method != "GET":
        return request.path
    args = request.args.to_dict(flat=False)
    args.pop("lang", None)
    return request.path + ("?" + urlencode(args, doseq=True) if args else "")


def register(app: Flask) -> None:
    app.before_request(_remember_lang_choice)
    app.jinja_env.globals["lang_next"] = lang_next
    # After Babel's init_app, whose callables these replace (same newstyle semantics).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )
