"""The app served by gunicorn (bench.serving) on a migrated, demo-seeded database.

Everything here is marked `load`: `pytest -m load` runs it alone, `-m "not load"`
leaves it out. Each test loads the demo data again before it starts (the PostgreSQL
test database is shared with the other tests, which empty it).
"""

import os
import shutil
from dataclasses import dataclass

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from bench.serving import Server, prepare_database, serve
from tests.conftest import DATABASES
from tests.load.tcpproxy import TcpProxy


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/load/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.load)


def demo_database(kind: str, request, tmp_path_factory) -> str:
    """A migrated database of `kind` with the demo loaded (PostgreSQL: the test database,
    migrated once by tests/conftest.py before any server connects to it)."""
    if kind == "sqlite":
        path = tmp_path_factory.mktemp("served") / "served.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
    prepare_database(url, migrate=False)
    return url


@pytest.fixture(scope="session", params=DATABASES)
def served(request, tmp_path_factory):
    """Served: gunicorn with 2 workers on a demo database of each kind. PostgreSQL is
    reached through a TCP proxy that a test may cut (`served.proxy`)."""
    url = demo_database(request.param, request, tmp_path_factory)
    proxy = None
    app_url = url
    if request.param == "postgresql":
        real = make_url(url)
        proxy = TcpProxy(real.host or "127.0.0.1", real.port or 5432).start()
        app_url = real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    try:
        with serve(app_url, workers=2) as server:
            yield Served(server, url, proxy)
    finally:
        if proxy is not None:
            proxy.close()


@dataclass
class Served:
    server: Server
    url: str  # the database, directly (the test's view)
    proxy: TcpProxy | None


@pytest.fixture
def demo(served):
    """The served app with the demo data loaded afresh, and an engine on its database."""
    prepare_database(served.url, migrate=False)
    engine = sa.create_engine(served.url)
    yield served, engine
    engine.dispose()
