"""One date style per language, for pages and emails (issue 11, point 7).

    Indonesian  27 Nov 2026   27 Nov 2026 14.30   27 Nov 2026 14.30 WITA
    English     27 Nov 2026   27 Nov 2026, 14:30  27 Nov 2026, 14:30 WITA

Always 24-hour and day-month-year (never "11/28/26"), times in the reader's zone.
The language is the current one (the request's, or `force_locale` in an email);
the zone is the one passed, else the reader's (`flask_babel.get_timezone`: the
user's saved zone, else APP_TIMEZONE). Registered as Jinja filters of the same
names: `{{ milestone.due_date|format_date }}`, `{{ t.created_at|format_datetime }}`,
`{{ deadline|format_datetime(zone=user_zone, with_zone=True) }}`.
"""

from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as _babel_datetime
from flask import Flask
from flask_babel import get_locale, get_timezone

# The names people in Indonesia use for their three zones.
ZONE_ABBREVIATIONS = {
    "Asia/Jakarta": "WIB",
    "Asia/Pontianak": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

DATE = "d MMM yyyy"
SHORT_DATE = "d MMM"
TIME = {"id": "HH.mm", "en": "HH:mm"}
# Between the date and the time.
JOINER = {"id": " ", "en": ", "}


def _language(locale=None) -> str:
    code = str(locale or get_locale() or "id")
    return "en" if code.startswith("en") else "id"


def _zone(zone) -> ZoneInfo:
    if zone is None:
        return get_timezone()  # the reader's
    return zone if isinstance(zone, ZoneInfo) else ZoneInfo(str(zone))


def _aware(moment: datetime) -> datetime:
    """Stored times are UTC; a naive one (SQLite) is read as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def zone_name(zone=None, moment: datetime | None = None) -> str:
    """WIB, WITA, WIT for Indonesia; elsewhere the zone's abbreviation or its IANA name."""
    info = _zone(zone)
    key = getattr(info, "key", str(info))
    if key in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[key]
    abbreviation = _aware(moment or datetime.now(UTC)).astimezone(info).tzname() or ""
    if abbreviation and abbreviation[0] not in "+-":
        return abbreviation  # UTC, CET, JST ...
    return key


def format_date(value: date | datetime | None, *, short: bool = False, zone=None, locale=None):
    """ "27 Nov 2026" ("27 Nov" with short=True); a datetime is first put in the zone."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _aware(value).astimezone(_zone(zone)).date()
    return _day_text(value, SHORT_DATE if short else DATE, _language(locale))


@lru_cache(maxsize=4096)
def _day_text(value: date, pattern: str, language: str) -> str:
    """A calendar day in words, kept for the process: Babel takes about 0.2 ms a date,
    and the board and the lists show the same few hundred days again and again."""
    return _babel_datetime(datetime(value.year, value.month, value.day), pattern, locale=language)


def date_formatter(*, short: bool = False, year_if_other: bool = False):
    """format_date for a loop that formats many dates: the language is read once, and a
    date seen before is not formatted again (the board formats one a card). With
    `year_if_other`, a date of this year is short ("27 Nov"), others have their year."""
    language = _language()
    this_year = datetime.now(UTC).year if year_if_other else None
    memo: dict[date, str] = {}

    def day(value: date | None) -> str:
        if value is None:
            return ""
        text = memo.get(value)
        if text is None:
            if isinstance(value, datetime):  # its day depends on the zone: no shortcut
                return format_date(value, short=short)
            brief = short or value.year == this_year
            text = memo[value] = _day_text(value, SHORT_DATE if brief else DATE, language)
        return text

    return day


def format_time(value: datetime | None, *, zone=None, locale=None) -> str:
    """ "14.30" (Indonesian) or "14:30" (English), in the zone."""
    if value is None:
        return ""
    language = _language(locale)
    local = _aware(value).astimezone(_zone(zone))
    return _babel_datetime(local.replace(tzinfo=None), TIME[language], locale=language)


def format_datetime(
    value: datetime | date | None, *, zone=None, with_zone: bool = False, locale=None
) -> str:
    """ "27 Nov 2026 14.30" / "27 Nov 2026, 14:30", in the zone; with_zone adds "WITA"."""
    if value is None:
        return ""
    if not isinstance(value, datetime):
        return format_date(value, locale=locale)
    language = _language(locale)
    text = (
        format_date(value, zone=zone, locale=language)
        + JOINER[language]
        + format_time(value, zone=zone, locale=language)
    )
    if with_zone:
        text += " " + zone_name(zone, value)
    return text


def register(app: Flask) -> None:
    app.jinja_env.filters.update(
        format_date=format_date,
        format_time=format_time,
        format_datetime=format_datetime,
    )
    app.jinja_env.globals["zone_name"] = zone_name
    app.jinja_env.globals["date_formatter"] = date_formatter
