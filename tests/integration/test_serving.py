"""Serving (issue 14): pages gzip-compressed, static files fingerprinted, cached for a
year, and sent compressed; SQLite commits in WAL with synchronous=NORMAL."""

import gzip
import hashlib
import re
from pathlib import Path

import pytest
from sqlalchemy import text

from incubator.extensions import db
from tests.conftest import make_app

STATIC = Path(__file__).resolve().parents[2] / "static"


def static_urls(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="(/static/[^"]+)"', page)


def test_static_urls_carry_the_hash_of_the_file(client):
    urls = static_urls(client.get("/login").text)
    assert any("css/app.css" in url for url in urls)
    for url in urls:
        path, _, query = url.partition("?")
        digest = hashlib.sha256((STATIC / path.removeprefix("/static/")).read_bytes())
        assert query == f"v={digest.hexdigest()[:12]}", url


def test_a_fingerprinted_file_is_cached_for_a_year_and_sent_gzipped(client):
    url = next(u for u in static_urls(client.get("/login").text) if "css/app.css" in u)
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    cache = response.headers["Cache-Control"]
    assert "public" in cache and "max-age=31536000" in cache and "immutable" in cache
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert gzip.decompress(response.data) == (STATIC / "css/app.css").read_bytes()


def test_a_browser_without_gzip_gets_the_file_as_it_is(client):
    url = next(u for u in static_urls(client.get("/login").text) if "js/app.js" in u)
    with client.get(url) as response:
        assert "Content-Encoding" not in response.headers
        assert response.data == (STATIC / "js/app.js").read_bytes()
        assert "immutable" in response.headers["Cache-Control"]


@pytest.mark.parametrize("query", ["", "?v=000000000000"])
def test_a_file_asked_for_without_its_current_hash_is_revalidated(client, query):
    with client.get(f"/static/css/app.css{query}") as response:
        assert response.status_code == 200
        assert "immutable" not in response.headers.get("Cache-Control", "")
        assert "max-age=31536000" not in response.headers.get("Cache-Control", "")


def test_pages_are_gzipped_when_the_browser_accepts_it(client, login, world):
    login(world.coordinator)
    url = f"/programmes/{world.programme.slug}/board"
    plain = client.get(url)
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    html = gzip.decompress(zipped.data).decode()
    assert world.innovation.title in html
    assert len(zipped.data) * 3 < len(plain.data)


def test_sqlite_runs_in_wal_with_synchronous_normal(tmp_path):
    # Its own SQLite file, not the `app` fixture: that one runs on PostgreSQL too, and CI
    # with PostgreSQL skips nothing (the Contract).
    app = make_app(f"sqlite:///{tmp_path / 'serving.db'}")
    with app.app_context(), db.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 10000
