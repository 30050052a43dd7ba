"""Browser tests: Playwright drives Debian's Chromium against a live server.

The server runs the real app in a thread on a migrated, demo-seeded SQLite
file. Without Chromium these tests skip, unless REQUIRE_E2E=1 (as in CI).
"""

import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from incubator.demo import DEMO_PASSWORD, seed_demo
from incubator.extensions import db
from tests.conftest import make_app, migrate_to_head

CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM_PATH"),
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
    ):
        if candidate and os.path.exists(candidate):
            return candidate
    return shutil.which("chromium")


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        if os.environ.get("REQUIRE_E2E") == "1":
            pytest.fail("REQUIRE_E2E=1 but Chromium was not found (apt-get install chromium)")
        pytest.skip("Chromium not found; set REQUIRE_E2E=1 to make this a failure")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=5)


def _demo_server(path) -> Iterator[LiveServer]:
    app = make_app(f"sqlite:///{path}", WTF_CSRF_ENABLED=True, BASE_URL="http://127.0.0.1")
    migrate_to_head(app)
    with app.app_context():
        seed_demo()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    with LiveServer(app) as server:
        yield server
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_server(tmp_path) -> Iterator[LiveServer]:
    """A fresh demo database per test, so tests cannot see each other's changes."""
    yield from _demo_server(tmp_path / "e2e.db")


@pytest.fixture(scope="session")
def shared_server(tmp_path_factory) -> Iterator[LiveServer]:
    """One demo database for tests that only look (the accessibility pass): seeded once."""
    yield from _demo_server(tmp_path_factory.mktemp("shared") / "e2e.db")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="en-US", base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.fixture(scope="session")
def screens(browser, shared_server):
    """Logged-in tabs per role and screen size on the shared server (tests/e2e/screens.py)."""
    from tests.e2e.screens import Screens

    screens = Screens(browser, shared_server)
    yield screens
    screens.close()
