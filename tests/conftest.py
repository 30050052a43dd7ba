"""Fixtures: each test gets an app on a fresh, migrated database.

SQLite always; PostgreSQL too when TEST_DATABASE_URL is set (every db-backed test
runs once per database). The schema is built by the real migrations once per
session, then copied (SQLite) or truncated (PostgreSQL) for each test. Under
pytest-xdist each worker has a PostgreSQL database of its own (`<name>_gw0`, ...).
"""

import contextvars
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from werkzeug.routing import Rule

from config import normalise_database_url
from incubator import create_app
from incubator.extensions import db
from tests import factories

# The built-in key is accepted only here and in development (config.py fails closed).
os.environ["INCUBATOR_ENV"] = "testing"

PG_URL = os.environ.get("TEST_DATABASE_URL")
DATABASES = ["sqlite"] + (["postgresql"] if PG_URL else [])

BASE_TEST_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "RATELIMIT_ENABLED": False,
    "MAIL_BACKEND": "locmem",
    "BASE_URL": "http://incubator.test",
    "SCHEDULER_IN_PROCESS": False,
    # Most tests post without a token; tests/integration/test_csrf.py turns it on.
    "WTF_CSRF_ENABLED": False,
    # Never the project's instance/uploads: the demo data stores its documents there.
    "UPLOAD_FOLDER": os.path.join(tempfile.gettempdir(), f"incubator-test-uploads-{os.getpid()}"),
}


def pytest_configure(config):
    if PG_URL:
        try:
            engine = sa.create_engine(normalise_database_url(PG_URL))
            with engine.connect():
                pass
            engine.dispose()
        except sa.exc.OperationalError as error:
            raise pytest.UsageError(f"TEST_DATABASE_URL is set but unreachable: {error}") from error


class IsolatedClient(FlaskClient):
    """Runs each request in an empty context, as a real server would.

    Otherwise the test's app context (its `g`, its db session) leaks into every
    request, and a logged-in user or a cached object survives between requests.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


class SharedBytecodeCache(BytecodeCache):
    """Compiled templates kept for the test process. Every test builds its own app, and
    each app's Jinja environment would otherwise compile every template it renders again
    (about a second for the board's). Keyed by name and source checksum, as Jinja does."""

    def __init__(self):
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = SharedBytecodeCache()

_compile_url_builder = Rule._compile_builder
_url_builders: dict[tuple, object] = {}


def _shared_url_builder(self, append_unknown=True):
    """Werkzeug compiles two URL builders per route with `ast` and `compile` (about 0.1 s
    an app for our 140 routes). The code depends only on the rule, its parsed parts and
    its defaults, and is bound to each Rule when used: share it between the test apps."""
    key = (self.rule, tuple(self._trace), repr(self.defaults), append_unknown)
    builder = _url_builders.get(key)
    if builder is None:
        builder = _url_builders[key] = _compile_url_builder(self, append_unknown)
    return builder


Rule._compile_builder = _shared_url_builder


def make_app(database_url: str, **overrides) -> Flask:
    app = create_app({**BASE_TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url, **overrides})
    app.test_client_class = IsolatedClient
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
    return app


def migrate_to_head(app: Flask) -> None:
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate_to_head(make_app(f"sqlite:///{path}"))
    return str(path)


@pytest.fixture(scope="session")
def postgres_url() -> str:
    if not PG_URL:
        pytest.skip("TEST_DATABASE_URL is not set")
    url = worker_database(normalise_database_url(PG_URL))
    reset_postgres(url)
    migrate_to_head(make_app(url))
    return url


def worker_database(url: str) -> str:
    """The xdist worker's own database beside the configured one, created if missing."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = sa.engine.make_url(url)
    name = f"{base.database}_{worker}"
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        found = conn.scalar(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not found:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def reset_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()


# Every id sequence of the schema back to 1, as a fresh database has them: setval, a
# function call, where ALTER SEQUENCE ... RESTART is DDL (about 9 ms for the schema).
_RESTART_SEQUENCES = """
SELECT setval(oid::regclass, 1, false) FROM pg_class
WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace"""


def truncate_all(app: Flask) -> None:
    """Empty every table. DELETE, children first, rather than TRUNCATE: on a few dozen
    small tables TRUNCATE costs about 0.2 s (new files for each), DELETE about 10 ms."""
    deletes = "; ".join(f'DELETE FROM "{t.name}"' for t in reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        conn.exec_driver_sql(deletes)
        conn.exec_driver_sql(_RESTART_SEQUENCES)


@pytest.fixture(params=DATABASES)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def app(database_url) -> Iterator[Flask]:
    app = make_app(database_url)
    with app.app_context():
        if database_url.startswith("postgresql"):
            truncate_all(app)
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def world(app):
    """A small programme with one user of each role; see factories.World."""
    return factories.make_world()


@pytest.fixture
def login(client):
    """login(user) logs the test client in as that user through the real form."""

    def _login(user, password=factories.PASSWORD):
        response = client.post(
            "/login", data={"email": user.email, "password": password}, follow_redirects=False
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return client

    return _login


@pytest.fixture
def count_queries(app):
    """Counts SQL statements run inside the `with` block."""
    from contextlib import contextmanager

    @contextmanager
    def _count():
        statements: list[str] = []

        def _before(conn, cursor, statement, *args):
            statements.append(statement)

        sa.event.listen(db.engine, "before_cursor_execute", _before)
        try:
            yield statements
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", _before)

    return _count
