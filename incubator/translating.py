"""Translated text: Flask-Babel's gettext through the request's translations.

Flask-Babel's own lookup walks the request context, the domain and the locale on every
call; a board shows about 150 template strings and 70 lazy labels. Here they are found
once a request (`page_translations`). Every module translates through here (`gettext`,
`lazy_gettext`; WTForms' messages too), so it sits below the features and imports nothing
of the app's.
"""

import flask_babel
from flask import g, has_request_context
from flask_babel import get_locale, get_translations
from flask_babel.speaklater import LazyString


def page_translations():
    """This request's translations, found once a request, not once a string. Kept beside
    the locale it was found for, so `force_locale` (emails) and `refresh()` after a
    language change still take effect."""
    locale = getattr(g.get("_flask_babel"), "babel_locale", None)
    found = g.get("_page_translations")
    if found is None or locale is None or found[0] is not locale:
        translations = get_translations()
        found = g._page_translations = (get_locale(), translations)
    return found[1]


def gettext(string: str, **variables) -> str:
    """Flask-Babel's gettext, through the request's translations (`page_translations`);
    outside a request (the CLI, the scheduler) Flask-Babel's own."""
    if not has_request_context():
        return flask_babel.gettext(string, **variables)
    text = page_translations().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyString:
    """A string translated when it is shown, like Flask-Babel's lazy_gettext, but through
    `gettext` above: the board shows about 70 of them (labels, filter names, goals)."""
    return LazyString(gettext, string, **variables)
