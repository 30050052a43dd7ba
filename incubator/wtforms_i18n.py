"""WTForms' own messages ("Not a valid integer value.") in the page's language.

WTForms ships no Indonesian catalogue, so Flask-WTF's i18n (which reads WTForms'
catalogues) would leave them English. Forms take their translations from our own
catalogue instead: the messages are listed below so `make translations-update`
extracts them, and translations/id/LC_MESSAGES/messages.po carries them.
Our forms set their own messages where it matters; these are the fallbacks.
"""

from flask import Flask, has_request_context
from flask_babel import lazy_ngettext as ngettext  # so pybabel extracts the plural forms
from flask_wtf import FlaskForm
from wtforms.meta import DefaultMeta

from .translating import lazy_gettext as _l
from .translating import page_translations

MESSAGES = (
    _l("Invalid field name '%s'."),
    _l("Field must be equal to %(other_name)s."),
    ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    ),
    ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    ),
    ngettext(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    ),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid URL."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("Invalid CSRF Token."),
    _l("CSRF token missing."),
    _l("CSRF failed."),
    _l("CSRF token expired."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid choice."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    ),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
)


class Translations:
    """WTForms' translations interface over our catalogue. WTForms formats the
    result itself (with %(min)d and friends), so the strings are returned unformatted."""

    def gettext(self, string: str) -> str:
        if not has_request_context():
            return string
        return page_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if not has_request_context():
            return singular if n == 1 else plural
        return page_translations().ungettext(singular, plural, n)


TRANSLATIONS = Translations()


def _get_translations(meta, form):
    return TRANSLATIONS


def register(app: Flask) -> None:
    # Every form, ours and any added later, is a FlaskForm or a plain WTForms Form (the
    # board's GET filters): their Meta classes decide where translations come from.
    FlaskForm.Meta.get_translations = _get_translations
    DefaultMeta.get_translations = _get_translations
