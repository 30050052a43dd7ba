"""Whole numbers from the outside world (paths, query strings, forms), bounded to the database.

A number the database cannot hold (ids are SQL INTEGER, card positions BIGINT) is
refused here, once: a path id becomes a 404, a query or form value a 400 or a form
error, never an OverflowError (SQLite) or "integer out of range" (PostgreSQL).
"""

from flask import request
from werkzeug.routing import IntegerConverter
from wtforms import IntegerField

from .translating import lazy_gettext as _l

INT_MAX = 2**31 - 1  # SQL INTEGER: every id column, versions
ID_MAX = INT_MAX
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1  # SQL BIGINT (card positions)
_DIGITS_MAX = 20  # a longer string of digits is never in range; refuse it before int()


def parse_int(raw: str | None, *, low: int = BIGINT_MIN, high: int = BIGINT_MAX) -> int | None:
    """`raw` as an int when it is a plain ASCII integer within [low, high]; else None.

    Python's int() also reads other scripts' digits ("١٢"), underscores ("1_0") and
    raises on superscripts ("²") or 5,000 digits; none of those is a number we send.
    """
    if raw is None:
        return None
    text = raw.strip()
    sign, digits = (text[0], text[1:]) if text[:1] in ("-", "+") else ("", text)
    if not digits or len(digits) > _DIGITS_MAX or not (digits.isascii() and digits.isdigit()):
        return None
    value = int(sign + digits)
    return value if low <= value <= high else None


def parse_id(raw: str | None) -> int | None:
    return parse_int(raw, low=1, high=ID_MAX)


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: an id the database cannot hold matches no route (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits, min, ID_MAX if max is None else max, signed)


def query_int(name: str, *, low: int = BIGINT_MIN, high: int = BIGINT_MAX) -> int | None:
    """An optional integer query argument: None when absent, 400 when not a number in range."""
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    value = parse_int(raw, low=low, high=high)
    if value is None:
        from .errors import user_abort

        user_abort(400, str(_l("“%(name)s” must be a whole number in range.", name=name)))
    return value


def query_id(name: str) -> int | None:
    return query_int(name, low=1, high=ID_MAX)


NOT_A_NUMBER = _l("Enter a whole number.")


class WholeNumberField(IntegerField):
    """IntegerField that reads only plain ASCII digits and refuses what SQL cannot hold.

    The default range is a BIGINT; pass `low`/`high` (e.g. `ID_MAX` for an id).
    """

    def __init__(self, label=None, validators=None, *, low=BIGINT_MIN, high=BIGINT_MAX, **kw):
        super().__init__(label, validators, **kw)
        self.low, self.high = low, high

    def process_formdata(self, valuelist):
        if not valuelist:
            return
        if not (valuelist[0] or "").strip():
            self.data = None  # empty is "not given": Optional / InputRequired decide
            return
        self.data = parse_int(valuelist[0], low=self.low, high=self.high)
        if self.data is None:
            raise ValueError(str(NOT_A_NUMBER))


def IdField(label=None, validators=None, **kw) -> WholeNumberField:  # noqa: N802
    return WholeNumberField(label, validators, low=1, high=ID_MAX, **kw)
