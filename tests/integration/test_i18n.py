"""Indonesian by default, English on request; the contract's labels in English."""

from incubator.extensions import db
from incubator.models import User


def test_indonesian_is_the_default(client):
    page = client.get("/login").text
    assert 'lang="id"' in page
    assert "Masuk" in page and "Kata sandi" in page


def test_accept_language_english(client):
    page = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).text
    assert 'lang="en"' in page
    for label in ("Email", "Password", "Log in"):
        assert label in page


def test_query_parameter_is_remembered_in_the_session(client):
    assert 'lang="en"' in client.get("/login?lang=en").text
    assert 'lang="en"' in client.get("/login", headers={"Accept-Language": "id"}).text


def test_saved_choice_wins_and_switcher_saves_it(client, world, login):
    login(world.coordinator)
    board = f"/programmes/{world.programme.slug}/board"
    page = client.get(board + "?lang=en", headers={"Accept-Language": "id"}).text
    for heading in ("Creation", "Development", "Institutionalisation"):
        assert heading in page
    db.session.expire_all()
    assert db.session.get(User, world.coordinator.id).locale == "en"

    world_user = db.session.get(User, world.coordinator.id)
    world_user.locale = "id"
    db.session.commit()
    page = client.get(board, headers={"Accept-Language": "en"}).text
    assert "Penciptaan" in page and "Pengembangan" in page and "Pelembagaan" in page


def test_unknown_language_is_ignored(client):
    assert 'lang="id"' in client.get("/login?lang=xx").text


def test_language_links_keep_the_page_query(client, world, login):
    login(world.coordinator)
    page = client.get(f"/programmes/{world.programme.slug}/board?q=water&overdue=1").text
    assert 'href="?q=water&amp;overdue=1&amp;lang=en"' in page
    assert 'href="?q=water&amp;overdue=1&amp;lang=id"' in page
