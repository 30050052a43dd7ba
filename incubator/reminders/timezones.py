"""Time zones: Indonesia's three first, then every other IANA zone."""

from datetime import UTC, date, datetime, time
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import current_app
from flask_babel import lazy_gettext as _l

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


def local_today(zone: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(zone)).date()


def instant(day: date, hour: int, zone: str) -> datetime:
    """`hour`:00 on `day` in `zone`, as aware UTC."""
    return datetime.combine(day, time(hour), tzinfo=ZoneInfo(zone)).astimezone(UTC)
