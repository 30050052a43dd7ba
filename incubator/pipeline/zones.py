"""Time zones and "today": Indonesia's three zones first, then every other IANA zone.

Deadlines are dates, so "today" depends on whose zone: `programme_today` for the
programme's rules (the board, stage gates, new milestones' due dates), `today_in`
for a given zone (a reminder's recipient). The reader's today, for their own
pages, is `incubator.i18n.reader_today` (it depends on the request).
"""

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import current_app

from ..translating import lazy_gettext as _l

# WIB, WITA and WIT: western, central (NTT, Bali, Sulawesi) and eastern Indonesia.
INDONESIAN_ZONES = {
    "Asia/Jakarta": _l("Western Indonesia (WIB), Asia/Jakarta"),
    "Asia/Makassar": _l("Central Indonesia (WITA), Asia/Makassar"),
    "Asia/Jayapura": _l("Eastern Indonesia (WIT), Asia/Jayapura"),
}


@cache
def all_zones() -> tuple[str, ...]:
    """Every zone the system knows, without the legacy aliases (`US/...`, `Etc/...`)."""
    zones = {z for z in available_timezones() if "/" in z and not z.startswith(("Etc/", "US/"))}
    return tuple(sorted(zones | set(INDONESIAN_ZONES) | {"UTC"}))


def is_valid_zone(name: str | None) -> bool:
    if not name or name not in all_zones():
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def zone_or_default(*candidates: str | None) -> str:
    """The first valid zone among the candidates, else the app's (APP_TIMEZONE)."""
    for name in candidates:
        if is_valid_zone(name):
            return name
    return current_app.config["APP_TIMEZONE"]


def today_in(zone: str, now: datetime | None = None) -> date:
    """The date in `zone` at `now` (default: this instant)."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(zone)).date()


def programme_today(programme, now: datetime | None = None) -> date:
    """Today where the programme runs: its deadlines and stage entries are local dates."""
    return today_in(programme.timezone, now)


def instant(day: date, hour: int, zone: str) -> datetime:
    """`hour`:00 on `day` in `zone`, as aware UTC."""
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(zone)).astimezone(UTC)
