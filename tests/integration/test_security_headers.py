"""Security headers on every kind of answer; no inline script anywhere in the templates."""

import re
from pathlib import Path

import pytest

from config import load_config
from incubator.pipeline.accounts import RESET_VALID_FOR, reset_token
from incubator.reminders.tokens import make_token
from tests.conftest import make_app

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def _policy(response) -> dict[str, str]:
    header = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.partition(" ")[2] for part in header.split("; ")}


def _assert_hardened(response, referrer="same-origin"):
    policy = _policy(response)
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no 'unsafe-eval'
    assert "'unsafe-inline'" not in policy["default-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == referrer
    assert "Strict-Transport-Security" not in response.headers  # not in testing


def test_pages_fragments_errors_and_files_carry_the_headers(client, world, login):
    _assert_hardened(client.get("/login"))
    static = client.get("/static/js/app.js")
    _assert_hardened(static)
    static.close()
    _assert_hardened(client.get("/no-such-page"))
    login(world.coordinator)
    board = f"/programmes/{world.programme.slug}/board"
    _assert_hardened(client.get(board))
    _assert_hardened(client.get(board, headers={"HX-Request": "true"}))
    _assert_hardened(client.get("/innovations/99999"))  # a 404 of the door
    _assert_hardened(client.post("/logout"))  # a redirect


def test_pages_with_a_token_in_the_url_send_no_referrer(client, world):
    unsubscribe = make_token(world.innovator, "overdue")
    _assert_hardened(client.get(f"/unsubscribe/{unsubscribe}"), referrer="no-referrer")
    _assert_hardened(client.get("/unsubscribe/not-a-token"), referrer="no-referrer")
    reset = reset_token(world.innovator, world.innovator.created_at + RESET_VALID_FOR)
    _assert_hardened(client.get(f"/reset-password/{reset}"), referrer="no-referrer")
    _assert_hardened(client.get("/invitations/not-a-token"), referrer="no-referrer")


def test_hsts_in_production_only(database_url, monkeypatch):
    monkeypatch.setenv("INCUBATOR_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-production-key-that-is-long-enough")
    monkeypatch.setenv("BASE_URL", "https://incubator.example.go.id")
    assert load_config()["HSTS"] is True
    app = make_app(database_url, HSTS=True)
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    monkeypatch.setenv("INCUBATOR_ENV", "development")
    assert load_config()["HSTS"] is False


INLINE = [
    # Data blocks (type="application/json") are never run, so the CSP lets them be.
    (
        re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
        "an inline <script>",
    ),
    (re.compile(r"\son[a-z]+\s*=", re.I), "an inline event handler"),
    (re.compile(r"javascript:", re.I), "a javascript: URL"),
    (re.compile(r"\bhx-on\b|\bhx-on:|\bhx-vals=['\"]js:|\bhx-vars\b", re.I), "htmx eval"),
]


@pytest.mark.parametrize(
    "template",
    sorted(p for p in TEMPLATES.rglob("*.html") if "emails" not in p.parts),
    ids=lambda p: str(p.relative_to(TEMPLATES)),
)
def test_no_template_needs_inline_script(template):
    text = template.read_text(encoding="utf-8")
    found = [what for pattern, what in INLINE if pattern.search(text)]
    assert not found, f"{template.name}: {', '.join(found)} (the CSP blocks it)"


def test_htmx_is_configured_without_eval_or_injected_styles():
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    assert '"allowEval":false' in base and '"includeIndicatorStyles":false' in base
