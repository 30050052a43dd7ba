"""Browser tests: Playwright drives Debian's Chromium against a live server.

The server runs the real app in a thread on the migrated demo data, fresh for each
test: a copy of a demo-seeded SQLite file, and, with TEST_DATABASE_URL set (as in
CI), the same test again on PostgreSQL, restored from the demo rows seeded once.
Without Chromium these tests skip, unless REQUIRE_E2E=1 (as in CI).
"""

import os
import shutil
import threading
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect
from werkzeug.serving import make_server

from incubator.demo import DEMO_PASSWORD, seed_demo
from incubator.extensions import db
from tests.conftest import DATABASES, make_app, migrate_to_head, truncate_all

# Assertions wait as long as actions do: CI runs two test workers, Chromium and
# PostgreSQL on two cores, where an htmx round trip can take more than 5 seconds.
expect.set_options(timeout=10_000)

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


# What the browser reported as blocked by the Content-Security-Policy during this test.
CSP_VIOLATIONS: list[str] = []


def _watch_console(message) -> None:
    if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
        CSP_VIOLATIONS.append(f"{message.type}: {message.text}")


class CspWatchingBrowser:
    """The browser, whose every context reports CSP violations in its console: every
    browser test runs under the app's real policy and fails on anything it blocks."""

    def __init__(self, browser):
        self._browser = browser

    def new_context(self, **kwargs):
        context = self._browser.new_context(**kwargs)
        context.on("console", _watch_console)
        return context

    def new_page(self, **kwargs):
        raise AssertionError("use browser.new_context().new_page(): its console is watched")

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def no_csp_violation(request):
    """Fails the test when the page's Content-Security-Policy blocked anything."""
    CSP_VIOLATIONS.clear()
    yield
    if request.node.get_closest_marker("csp_violation_expected"):
        return
    found, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    assert not found, "blocked by the Content-Security-Policy:\n" + "\n".join(found)


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
        yield CspWatchingBrowser(browser)
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


@pytest.fixture(scope="session")
def demo_sqlite(tmp_path_factory) -> str:
    """A migrated SQLite file with the demo data; each test gets a copy."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    app = make_app(f"sqlite:///{path}")
    migrate_to_head(app)
    with app.app_context():
        seed_demo()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return str(path)


@pytest.fixture(scope="session")
def demo_postgres(postgres_url) -> list[tuple[sa.Table, list[dict]]]:
    """The demo rows, seeded once into PostgreSQL and kept to restore before each test."""
    app = make_app(postgres_url)
    with app.app_context():
        truncate_all(app)
        seed_demo()
        db.session.commit()
        rows = [
            (table, [dict(row._mapping) for row in db.session.execute(_in_key_order(table))])
            for table in db.metadata.sorted_tables
        ]
        db.session.remove()
        db.engine.dispose()
    return rows


def _in_key_order(table: sa.Table):
    return table.select().order_by(*table.primary_key.columns)  # parents before children


def restore_postgres(app, rows) -> None:
    """Empty every table, put the demo rows back, and move the id sequences past them."""
    truncate_all(app)
    with db.engine.begin() as conn:
        for table, values in rows:
            if values:
                conn.execute(table.insert(), values)
        for table, values in rows:
            key = list(table.primary_key.columns)
            if values and len(key) == 1 and key[0].autoincrement is not False:
                name = key[0].name
                conn.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{name}'), "
                        f'(SELECT max("{name}") FROM "{table.name}"))'
                    )
                )


@pytest.fixture(params=DATABASES)
def live_server(request, tmp_path) -> Iterator[LiveServer]:
    """A fresh demo database per test, so tests cannot see each other's changes."""
    if request.param == "sqlite":
        path = tmp_path / "e2e.db"
        shutil.copy(request.getfixturevalue("demo_sqlite"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
    app = make_app(url, WTF_CSRF_ENABLED=True, BASE_URL="http://127.0.0.1")
    if request.param == "postgresql":
        with app.app_context():
            restore_postgres(app, request.getfixturevalue("demo_postgres"))
            db.engine.dispose()
    with LiveServer(app) as server:
        yield server
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def shared_server(demo_sqlite, tmp_path_factory) -> Iterator[LiveServer]:
    """One demo database for tests that only look (the accessibility pass): seeded once."""
    path = tmp_path_factory.mktemp("shared") / "e2e.db"
    shutil.copy(demo_sqlite, path)
    app = make_app(f"sqlite:///{path}", WTF_CSRF_ENABLED=True, BASE_URL="http://127.0.0.1")
    with LiveServer(app) as server:
        yield server
    with app.app_context():
        db.engine.dispose()


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
