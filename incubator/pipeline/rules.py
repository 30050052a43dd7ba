"""Input rules the operations share: text limits and safe links.

Forms check the same limits first, so users see the message next to the field;
these checks keep the domain safe when called from elsewhere (CLI, imports).
"""

import unicodedata
from urllib.parse import urlsplit

from ..translating import lazy_gettext as _l
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


# Single-line text (titles, names): the one rule every form and operation applies.
# Characters that reorder the text around them (a "txt.exe" that reads "exe.txt").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Letters that draw nothing (Hangul fillers, the blank Braille pattern, ...).
BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e")
_LINE_BREAKING = {"Cc", "Zl", "Zp"}  # control characters (CR, LF, tab, NUL, ...), separators
_INVISIBLE = {"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me"}


def trim_line(value: str | None) -> str:
    """Without spaces and invisible format characters at either end."""
    value = value or ""
    start, end = 0, len(value)
    while start < end and _is_edge_blank(value[start]):
        start += 1
    while end > start and _is_edge_blank(value[end - 1]):
        end -= 1
    return value[start:end]


def _is_edge_blank(char: str) -> bool:
    if char in BIDI_CONTROLS:
        return False  # refused wherever it is, not quietly trimmed
    return char.isspace() or unicodedata.category(char) == "Cf" or char in BLANK_LETTERS


def _visible(char: str) -> bool:
    return unicodedata.category(char) not in _INVISIBLE and char not in BLANK_LETTERS


def line_problem(value: str):
    """Why `value` is not one line of visible text (a message for the user), or None.

    Check the value as sent (before trim_line); only spaces count as empty, not a problem.
    """
    if any(unicodedata.category(c) in _LINE_BREAKING for c in value):
        return _l("Use a single line, without line breaks, tabs or control characters.")
    if any(c in BIDI_CONTROLS for c in value):
        return _l("Remove the hidden characters that change the direction of the text.")
    if value.strip() and not any(_visible(c) for c in value):
        return _l("Enter visible letters or digits, not only blank or invisible characters.")
    return None


def clean_line(value: str | None, field: str, limit: int, empty_message=None) -> str:
    """A single line of text, trimmed; DomainError on `field` when it breaks the rule.

    Empty is allowed only without `empty_message`.
    """
    problem = line_problem(value or "")
    if problem is not None:
        raise DomainError(problem, field=field)
    value = trim_line(value)
    if not value and empty_message is not None:
        raise DomainError(empty_message, field=field)
    if len(value) > limit:
        raise DomainError(_l("Use at most %(max)d characters.", max=limit), field=field)
    return value


def as_one_line(text: str) -> str:
    """For an email header: every control character and run of spaces becomes one space.

    Titles saved before the single-line rule may hold CR/LF; their emails must still go.
    """
    cleaned = "".join(" " if unicodedata.category(c) in _LINE_BREAKING else c for c in text)
    return " ".join(cleaned.split())


def clean_title(value: str, field: str = "title") -> str:
    return clean_line(
        value, field, TITLE_MAX, _l("Use between 1 and %(max)d characters.", max=TITLE_MAX)
    )


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
