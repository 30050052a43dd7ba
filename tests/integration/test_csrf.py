"""CSRF protection is on for every POST, and htmx requests carry the token as a header."""

import re

import pytest

from incubator.extensions import db
from tests import factories
from tests.conftest import make_app


@pytest.fixture
def csrf_client(database_url, world):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    yield app.test_client()
    with app.app_context():
        db.engine.dispose()


def _token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_login_without_token_is_refused(csrf_client, world):
    response = csrf_client.post(
        "/login", data={"email": world.coordinator.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 400
    assert csrf_client.get("/").status_code == 302


def test_login_with_token_works_and_base_template_sends_header(csrf_client, world):
    token = _token(csrf_client.get("/login").text)
    response = csrf_client.post(
        "/login",
        data={
            "email": world.coordinator.email,
            "password": factories.PASSWORD,
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    page = csrf_client.get("/", follow_redirects=True).text
    header_token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    # An htmx POST with only the header passes CSRF (logout is a POST).
    response = csrf_client.post(
        "/logout", headers={"X-CSRFToken": header_token, "HX-Request": "true"}
    )
    assert response.status_code == 302


def test_htmx_post_without_header_is_refused(csrf_client, world):
    token = _token(csrf_client.get("/login").text)
    csrf_client.post(
        "/login",
        data={
            "email": world.coordinator.email,
            "password": factories.PASSWORD,
            "csrf_token": token,
        },
    )
    response = csrf_client.post("/logout", headers={"HX-Request": "true"})
    assert response.status_code == 400
    assert csrf_client.get("/").status_code == 302  # still logged in: redirected to board
    assert csrf_client.get("/").headers["Location"].startswith("/programmes/")
