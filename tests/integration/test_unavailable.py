"""An unreachable database: a 503 page in the reader's language with Retry-After, drawn
without the database (no 500, no stack trace). The recovery is in tests/load/."""

import pytest

from bench.serving import free_port
from tests.conftest import make_app

UNREACHABLE = {
    "postgresql": lambda tmp: f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/gone",
    "sqlite": lambda tmp: f"sqlite:///{tmp}/no-such-folder/incubator.db",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def dead(request, tmp_path):
    return make_app(UNREACHABLE[request.param](tmp_path)).test_client()


def _log_in(client, **headers):
    return client.post(
        "/login", data={"email": "a@example.org", "password": "secret-1234"}, headers=headers
    )


def test_unreachable_database_gives_a_503_in_the_readers_language(dead):
    response = _log_in(dead, **{"Accept-Language": "en"})
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "Temporarily unavailable" in response.text
    assert "Traceback" not in response.text

    response = _log_in(dead)  # no preference: Indonesian
    assert response.status_code == 503
    assert 'lang="id"' in response.text
    assert "Sementara tidak tersedia" in response.text


def test_the_language_chosen_in_the_session_is_kept(dead):
    dead.get("/login?lang=en", headers={"Accept-Language": "id"})
    response = _log_in(dead, **{"Accept-Language": "id"})
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.text


def test_an_htmx_request_gets_the_503_too(dead):
    response = _log_in(dead, **{"HX-Request": "true", "Accept-Language": "en"})
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.text
