"""One date style per language, 24-hour times, in the reader's zone.

Indonesian: "27 Nov 2026" and "27 Nov 2026 14.30"; English: "27 Nov 2026" and
"27 Nov 2026, 14:30". Pages call the Jinja filters `format_date`, `format_datetime`
and `format_time` (registered in `register`); emails pass the recipient's language
and zone. Datetimes are stored aware in UTC; a naive one is taken as UTC.
"""

from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_date
from babel.dates import format_datetime as babel_datetime
from flask import Flask
from flask_babel import get_locale, get_timezone

# language -> (date, date and time, time)
PATTERNS = {
    "id": ("d MMM yyyy", "d MMM yyyy HH.mm", "HH.mm"),
    "en": ("d MMM yyyy", "d MMM yyyy, HH:mm", "HH:mm"),
}


def _language(locale) -> str:
    language = str(locale or get_locale() or "id").split("_")[0]
    return language if language in PATTERNS else "id"


def _zone(tz) -> tzinfo:
    if tz is None:
        return get_timezone()
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def format_date(value: date | datetime | None, locale=None, tz=None) -> str:
    """A date ("27 Nov 2026"); a datetime is first put in the reader's zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value, tz).date()
    language = _language(locale)
    return babel_date(value, PATTERNS[language][0], locale=language)


def format_datetime(value: datetime | None, locale=None, tz=None) -> str:
    """A moment in the reader's zone ("27 Nov 2026 14.30" / "27 Nov 2026, 14:30")."""
    if value is None:
        return ""
    language = _language(locale)
    return babel_datetime(_local(value, tz), PATTERNS[language][1], locale=language)


def format_time(value: datetime | None, locale=None, tz=None) -> str:
    """The time of day only, 24-hour, in the reader's zone."""
    if value is None:
        return ""
    language = _language(locale)
    return babel_datetime(_local(value, tz), PATTERNS[language][2], locale=language)


def _local(value: datetime, tz) -> datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(_zone(tz))


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        format_date=format_date, format_datetime=format_datetime, format_time=format_time
    )
