"""Error pages: base layout, both languages, never a 500 for bad input."""

import pytest
from flask import abort
from flask_babel import force_locale

from incubator.errors import MESSAGES


@pytest.fixture
def failing_app(app):
    @app.get("/_test/abort/<int:code>")
    def _abort(code):
        abort(code)

    @app.get("/_test/crash")
    def _crash():
        raise RuntimeError("boom")

    return app


@pytest.mark.parametrize("code", [400, 403, 404, 409, 422, 429, 500])
@pytest.mark.parametrize("lang", ["id", "en"])
def test_error_pages_use_the_layout_in_both_languages(failing_app, code, lang):
    client = failing_app.test_client()
    response = client.get(f"/_test/abort/{code}?lang={lang}")
    assert response.status_code == code
    assert f'<html lang="{lang}">' in response.text
    assert 'class="navbar' in response.text
    with failing_app.test_request_context(), force_locale(lang):
        title = str(MESSAGES[code][0])
    assert title in response.text


def test_english_and_indonesian_404_differ(client):
    english = client.get("/nope?lang=en")
    indonesian = client.get("/nope?lang=id")
    assert "Not found" in english.text
    assert "Tidak ditemukan" in indonesian.text


def test_unexpected_exception_is_a_polite_500(failing_app):
    response = failing_app.test_client().get("/_test/crash?lang=en")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "boom" not in response.text


def test_htmx_error_is_a_fragment(client):
    response = client.get("/nope", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert "<html" not in response.text and 'data-status="404"' in response.text


def test_unknown_programme_is_404_for_a_member_of_another(client, world, login):
    login(world.coordinator)
    response = client.get(f"/programmes/{world.foreign_programme.slug}/board")
    assert response.status_code == 404
