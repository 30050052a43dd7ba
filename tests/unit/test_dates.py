"""One date style per language: day month year, 24-hour, in the reader's zone."""

from datetime import UTC, date, datetime

import pytest
from flask import Flask
from flask_babel import Babel, force_locale

from incubator.dates import format_date, format_datetime, format_time, zone_name

# 06:30 UTC on 27 November 2026: 14.30 in Makassar (WITA), 13.30 in Jakarta (WIB).
MOMENT = datetime(2026, 11, 27, 6, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def context():
    app = Flask(__name__)
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Asia/Makassar"
    Babel(app)
    with app.app_context():
        yield


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("id", ["27 Nov 2026", "27 Nov", "27 Nov 2026 14.30", "27 Nov 2026 14.30 WITA"]),
        ("en", ["27 Nov 2026", "27 Nov", "27 Nov 2026, 14:30", "27 Nov 2026, 14:30 WITA"]),
    ],
)
def test_one_style_per_language(locale, expected):
    with force_locale(locale):
        assert [
            format_date(date(2026, 11, 27)),
            format_date(date(2026, 11, 27), short=True),
            format_datetime(MOMENT),
            format_datetime(MOMENT, with_zone=True),
        ] == expected


def test_times_are_in_the_given_zone_and_24_hour():
    evening = datetime(2026, 8, 17, 12, 5, tzinfo=UTC)
    with force_locale("id"):
        assert format_datetime(evening, zone="Asia/Jayapura", with_zone=True) == (
            "17 Agu 2026 21.05 WIT"
        )
        assert format_time(evening, zone="Asia/Jakarta") == "19.05"
        # The date follows the zone: 23:30 UTC is already the next day in Makassar.
        assert format_date(datetime(2026, 11, 26, 23, 30)) == "27 Nov 2026"
    with force_locale("en"):
        assert format_datetime(evening, zone="Europe/Amsterdam", with_zone=True) == (
            "17 Aug 2026, 14:05 CEST"
        )


def test_zone_names():
    assert [zone_name(z) for z in ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")] == [
        "WIB",
        "WITA",
        "WIT",
    ]
    assert zone_name("UTC") == "UTC"
    assert zone_name("America/Sao_Paulo") == "America/Sao_Paulo"  # "-03" says little


def test_nothing_is_an_empty_string():
    assert format_date(None) == format_datetime(None) == format_time(None) == ""
