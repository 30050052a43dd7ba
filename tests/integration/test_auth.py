"""Logging in and out, redirects, password change, and bad input on the login form."""

import pytest

from incubator.extensions import db
from incubator.models import User
from tests import factories


def _login(client, email, password, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def test_unauthenticated_page_redirects_to_login(client, world):
    response = client.get(f"/programmes/{world.programme.slug}/board")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_htmx_request_gets_hx_redirect(client, world):
    response = client.get(
        f"/programmes/{world.programme.slug}/board", headers={"HX-Request": "true"}
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_login_lands_on_the_programme_board(client, world):
    response = _login(client, world.coordinator.email, factories.PASSWORD)
    assert response.status_code == 302
    board = client.get(response.headers["Location"], follow_redirects=True)
    assert board.status_code == 200
    assert world.programme.name in board.text
    assert world.innovation.title in board.text


def test_email_is_case_insensitive(client, world):
    response = _login(client, world.coordinator.email.upper(), factories.PASSWORD)
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("{known}", "wrong-password"),
        ("nobody@example.org", factories.PASSWORD),
        ("", ""),
        ("x" * 10_000 + "@example.org", "whatever"),
        ("{known}", "p" * 10_000),
    ],
    ids=["wrong-password", "unknown-email", "empty-form", "huge-email", "huge-password"],
)
def test_bad_login_gets_the_form_back_with_422(client, world, email, password):
    response = _login(client, email.format(known=world.coordinator.email), password)
    assert response.status_code == 422
    assert 'name="email"' in response.text and 'name="password"' in response.text
    assert client.get("/").status_code == 302  # still logged out


def test_wrong_password_and_unknown_email_read_the_same(client, world):
    client.get("/login?lang=en")
    wrong = _login(client, world.coordinator.email, "wrong-password")
    unknown = _login(client, "nobody@example.org", "wrong-password")
    assert "Email or password is incorrect." in wrong.text
    assert _alert(wrong.text) == _alert(unknown.text)


def _alert(html: str) -> str:
    start = html.index('role="alert"')
    return html[start : html.index("</div>", start)]


def test_inactive_user_is_refused(client, world):
    world.innovator.active = False
    db.session.commit()
    client.get("/login?lang=en")
    response = _login(client, world.innovator.email, factories.PASSWORD)
    assert response.status_code == 422
    assert "This account has been deactivated." in _alert(response.text)
    # Only the right password learns that the account exists but is switched off.
    wrong = _login(client, world.innovator.email, "wrong-password")
    assert "Email or password is incorrect." in _alert(wrong.text)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/programmes/switch?slug=x", "/programmes/switch?slug=x"),
        ("https://evil.example.com/", "/"),
        ("//evil.example.com/", "/"),
        ("/\\evil.example.com", "/"),
        ("javascript:alert(1)", "/"),
    ],
)
def test_next_redirects_only_within_the_site(client, world, target, expected):
    response = _login(client, world.coordinator.email, factories.PASSWORD, next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_logout_needs_post_and_ends_the_session(client, world, login):
    login(world.coordinator)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_ends_other_sessions(app, world):
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        assert _login(c, world.innovator.email, factories.PASSWORD).status_code == 302
    response = first.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": "a-brand-new-secret",
            "confirm": "a-brand-new-secret",
        },
    )
    assert response.status_code == 302
    assert first.get("/").status_code == 302  # still in: redirected to the board
    assert first.get("/").headers["Location"].startswith("/programmes/")
    assert second.get("/").headers["Location"].startswith("/login")
    db.session.expire_all()
    user = db.session.get(User, world.innovator.id)
    assert user.check_password("a-brand-new-secret")
    assert user.password_hash.startswith("scrypt:")


@pytest.mark.parametrize(
    ("current", "new", "confirm"),
    [
        ("wrong-current", "a-brand-new-secret", "a-brand-new-secret"),
        (factories.PASSWORD, "short", "short"),
        (factories.PASSWORD, "a-brand-new-secret", "different-secret"),
    ],
    ids=["wrong-current", "too-short", "mismatch"],
)
def test_password_change_rejects_bad_input(client, world, login, current, new, confirm):
    login(world.innovator)
    response = client.post(
        "/account/password",
        data={"current_password": current, "new_password": new, "confirm": confirm},
    )
    assert response.status_code == 422
    assert 'class="invalid-feedback"' in response.text
    db.session.expire_all()
    assert db.session.get(User, world.innovator.id).check_password(factories.PASSWORD)


def test_login_is_rate_limited_with_a_polite_429(database_url, world):
    from incubator.extensions import db as _db
    from tests.conftest import make_app

    app = make_app(database_url, RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute")
    client = app.test_client()
    client.get("/login?lang=en")
    codes = [_login(client, world.coordinator.email, "wrong").status_code for _ in range(4)]
    assert codes == [422, 422, 422, 429]
    response = _login(client, world.coordinator.email, factories.PASSWORD)
    assert response.status_code == 429
    assert "Too many requests" in response.text
    assert "Retry-After" in response.headers
    with app.app_context():
        _db.engine.dispose()
