"""The password rule's parts: the Indonesian list, the person's words, zxcvbn's patterns."""

import pytest
from flask_babel import force_locale

from incubator.pipeline.passwords import (
    common_passwords,
    is_common,
    is_personal,
    personal_words,
    weakness,
)

AVOID = personal_words("Ana Ndolu", "ana.ndolu@kupangkab.go.id", ["Inovasi Kupang 2026"])


def test_the_list_holds_the_usual_indonesian_passwords():
    assert {"sayang", "bismillah", "indonesia", "rahasia"} <= common_passwords()


@pytest.mark.parametrize(
    "password",
    ["sayang123", "Sayang2024!", "b1sm1ll4h", "sayangsayang", "INDONESIA45", "r4h4s14!!"],
)
def test_common_indonesian_passwords_with_digits_symbols_or_look_alikes_are_common(password):
    assert is_common(password)


@pytest.mark.parametrize("password", ["sayang-kopi-hujan", "indonesia-timur-sepeda", "x9k2m4q8"])
def test_a_common_word_inside_a_longer_password_is_not_the_list_s_business(password):
    assert not is_common(password)


@pytest.mark.parametrize(
    "password", ["AnaNdolu2026", "kupang-inovasi-2026", "ana.ndolu!!", "Incubator2026"]
)
def test_a_password_made_of_the_person_s_or_programme_s_words_is_personal(password):
    assert is_personal(password, AVOID)


def test_personal_words_take_the_name_the_email_and_the_programme_word_by_word():
    assert {"ana", "ndolu", "kupangkab", "inovasi", "kupang"} <= set(AVOID)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("aaaaaaaaaaaa", "Repeated characters"),
        ("abcdefghijkl", "Sequences"),
        ("1234567890", "commonly used password"),
        ("sayang12345", "most common passwords in Indonesia"),
        ("AnaNdolu2026", "your name, your email address"),
    ],
)
def test_each_weak_password_is_told_why(app_context, password, reason):
    assert reason in str(weakness(password, AVOID))


@pytest.mark.parametrize(
    "password", ["kopi-hujan-sepeda", "correct-horse-battery", "Belu-Sabu-Rote-17"]
)
def test_strong_passwords_pass(app_context, password):
    assert weakness(password, AVOID) is None


@pytest.fixture
def app_context():
    from incubator import create_app

    app = create_app({"SECRET_KEY": "test", "TESTING": True})
    with app.test_request_context("/?lang=en"), force_locale("en"):
        yield
