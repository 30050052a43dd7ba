"""The profile page: name, language, time zone and emails, in one place."""

import pytest

from incubator.extensions import db
from incubator.models import User


def fresh(user) -> User:
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_profile_shows_name_language_zone_and_emails_in_both_languages(client, world, login):
    login(world.innovator)
    english = client.get("/account?lang=en")
    assert english.status_code == 200
    for text in ("Profile", "Name and language", "Time zone", "Weekly digest", "Change password"):
        assert text in english.text
    assert world.innovator.email in english.text
    indonesian = client.get("/account?lang=id")
    assert "Nama dan bahasa" in indonesian.text and "Email pengingat" in indonesian.text
    # The old address keeps working: every email links to it.
    assert "Name and language" in client.get("/account/notifications?lang=en").text


def test_profile_saves_name_and_language(client, world, login):
    login(world.innovator)
    response = client.post("/account", data={"name": "  Maria Ndolu ", "locale": "en"})
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    user = fresh(world.innovator)
    assert (user.name, user.locale) == ("Maria Ndolu", "en")
    assert "Your profile has been saved." in client.get("/account").text


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "locale": "en"}, "name"),
        ({"name": "x" * 121, "locale": "en"}, "name"),
        ({"name": "Maria\u202eNdolu", "locale": "en"}, "name"),
        ({"name": "Maria", "locale": "fr"}, "locale"),
    ],
)
def test_bad_profile_input_is_refused_next_to_the_field(client, world, login, data, field):
    login(world.innovator)
    before = (world.innovator.name, world.innovator.locale)
    response = client.post("/account", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    user = fresh(world.innovator)
    assert (user.name, user.locale) == before


def test_profile_needs_a_login(client):
    assert client.get("/account").headers["Location"].startswith("/login")
