"""Input rules the operations share: text limits and safe links.

Forms check the same limits first, so users see the message next to the field;
these checks keep the domain safe when called from elsewhere (CLI, imports).
"""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

from . import DomainError

TITLE_MAX = 200
LONG_TEXT_MAX = 5000
NOTE_MAX = 2000
URL_MAX = 2000
LINKS_MAX = 10


def is_http_url(value: str) -> bool:
    """An absolute http(s) URL with a host: no javascript:, data: or relative links."""
    if not value or len(value) > URL_MAX or any(c.isspace() or ord(c) < 32 for c in value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)


def clean_title(value: str, field: str = "title") -> str:
    value = (value or "").strip()
    if not value or len(value) > TITLE_MAX:
        raise DomainError(
            _l("Use between 1 and %(max)d characters.", max=TITLE_MAX),
            field=field,
        )
    return value


def clean_text(value: str | None, field: str, limit: int = LONG_TEXT_MAX) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(_l("Use at most %(max)d characters.", max=limit), field=field)
    return value


def clean_url(value: str | None, field: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    if not is_http_url(value):
        raise DomainError(_l("Enter a link starting with http:// or https://."), field=field)
    return value


def clean_links(values, field: str = "links") -> list[str]:
    links = [v.strip() for v in values or [] if v and v.strip()]
    if len(links) > LINKS_MAX:
        raise DomainError(_l("Add at most %(max)d links.", max=LINKS_MAX), field=field)
    for link in links:
        if not is_http_url(link):
            raise DomainError(
                _l("Enter a link starting with http:// or https://."),
                field=field,
            )
    return list(dict.fromkeys(links))  # keep order, drop repeats
