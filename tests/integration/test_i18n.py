"""Indonesian by default, English on request; the contract's labels in English."""

import pytest

from incubator.extensions import db
from incubator.models import User
from tests import factories


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
    response = client.post("/language", data={"lang": "en", "next": board})
    assert response.status_code == 302 and response.headers["Location"] == board
    page = client.get(board, headers={"Accept-Language": "id"}).text
    for heading in ("Creation", "Development", "Institutionalisation"):
        assert heading in page
    db.session.expire_all()
    assert db.session.get(User, world.coordinator.id).locale == "en"

    world_user = db.session.get(User, world.coordinator.id)
    world_user.locale = "id"
    db.session.commit()
    page = client.get(board, headers={"Accept-Language": "en"}).text
    assert "Penciptaan" in page and "Pengembangan" in page and "Pelembagaan" in page


def test_a_get_never_changes_the_saved_language(client, world, login):
    """Another site can make a browser GET any URL: ?lang= must not rewrite the account."""
    world.coordinator.locale = "id"
    db.session.commit()
    login(world.coordinator)
    page = client.get(f"/programmes/{world.programme.slug}/board?lang=en").text
    assert 'lang="id"' in page  # the saved choice still wins (DESIGN: Language)
    db.session.expire_all()
    assert db.session.get(User, world.coordinator.id).locale == "id"


def test_lang_sets_the_visit_language_of_a_person_who_saved_none(client, world, login):
    login(world.innovator)
    assert 'lang="en"' in client.get("/account?lang=en").text
    assert 'lang="en"' in client.get("/account", headers={"Accept-Language": "id"}).text
    db.session.expire_all()
    assert db.session.get(User, world.innovator.id).locale is None


def test_the_language_switch_needs_the_csrf_token(app, world):
    from tests.conftest import make_app

    strict = make_app(app.config["SQLALCHEMY_DATABASE_URI"], WTF_CSRF_ENABLED=True)
    client = strict.test_client()
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.status_code == 400


@pytest.mark.parametrize("lang", ["xx", "", "EN"])
def test_the_language_switch_refuses_an_unknown_language(client, world, login, lang):
    login(world.coordinator)
    assert client.post("/language", data={"lang": lang}).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, world.coordinator.id).locale is None


def test_the_language_switch_goes_back_only_within_the_site(client):
    response = client.post("/language", data={"lang": "en", "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"
    assert 'lang="en"' in client.get("/login").text  # an anonymous visitor: the session


def test_a_choice_made_on_the_login_page_is_kept_after_logging_in(client, world):
    """DESIGN: Language. Login clears the session, so the choice is carried and saved."""
    client.get("/login?lang=en", headers={"Accept-Language": "id"})
    response = client.post(
        "/login", data={"email": world.innovator.email, "password": factories.PASSWORD}
    )
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert 'lang="en"' in page.text
    db.session.expire_all()
    assert db.session.get(User, world.innovator.id).locale == "en"
    # and it stays after logging out and in again, on another browser
    client.post("/logout")
    assert 'lang="en"' in client.get("/login", headers={"Accept-Language": "id"}).text


def test_the_login_page_switch_is_kept_after_logging_in(client, world):
    client.get("/login", headers={"Accept-Language": "id"})
    client.post("/language", data={"lang": "en", "next": "/login"})
    client.post("/login", data={"email": world.innovator.email, "password": factories.PASSWORD})
    assert 'lang="en"' in client.get("/account", headers={"Accept-Language": "id"}).text


def test_unknown_language_is_ignored(client):
    assert 'lang="id"' in client.get("/login?lang=xx").text


def test_language_switch_keeps_the_page_query(client, world, login):
    login(world.coordinator)
    page = client.get(f"/programmes/{world.programme.slug}/board?q=water&overdue=1&lang=id").text
    board = f"/programmes/{world.programme.slug}/board"
    assert f'name="next" value="{board}?q=water&amp;overdue=1"' in page
    assert 'action="/language"' in page


def test_templates_find_the_translations_once_and_follow_a_change_of_language(app):
    # Templates keep the request's translations (incubator/translating.page_translations); an
    # email rendered with force_locale, or a refresh() after saving a language, must
    # still get its own language.
    from flask_babel import force_locale, refresh

    words = app.jinja_env.from_string('{{ _("Board") }} {{ ngettext("card", "cards", 2) }}')
    with app.test_request_context("/", headers={"Accept-Language": "id"}):
        assert words.render() == "Papan kartu"
        with force_locale("en"):
            assert words.render() == "Board cards"
        assert words.render() == "Papan kartu"
        from flask import session

        session["lang"] = "en"
        refresh()
        assert words.render() == "Board cards"


def test_labels_follow_the_request_and_a_change_of_language(app):
    # Labels and form names are lazy strings translated through the request's translations
    # (incubator/translating.lazy_gettext): in an email's force_locale, after refresh() and
    # outside any request they must still be in the language asked for.
    from flask import session
    from flask_babel import force_locale, refresh

    from incubator import labels
    from incubator.board.filters import FilterForm
    from incubator.models import Stage

    def words() -> str:
        label = FilterForm().overdue.label.text
        return f"{labels.STAGE_LABELS[Stage.CREATION]} / {label} / {labels.sdg_label(4)}"

    with app.test_request_context("/", headers={"Accept-Language": "id"}):
        indonesian = words()
        assert indonesian.startswith("Penciptaan / ") and "Pendidikan berkualitas" in indonesian
        with force_locale("en"):
            assert words() == "Creation / Overdue only / SDG 4: Quality education"
        assert words() == indonesian
        session["lang"] = "en"
        refresh()
        assert words() == "Creation / Overdue only / SDG 4: Quality education"
    with app.app_context(), force_locale("id"):
        assert words() == indonesian
