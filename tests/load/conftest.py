"""The app served by gunicorn (bench.serving) on a migrated, demo-seeded database.

Everything here is marked `load`: `pytest -m load` runs it alone, `-m "not load"`
leaves it out. Each test loads the demo data again before it starts (the PostgreSQL
test database is shared with the other tests, which empty it).
"""

import os
import shutil

import pytest
import sqlalchemy as sa

from bench.serving import prepare_database, serve
from tests.conftest import DATABASES


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
    """(server, url): gunicorn with 2 workers on a demo database of each kind."""
    url = demo_database(request.param, request, tmp_path_factory)
    with serve(url, workers=2) as server:
        yield server, url


@pytest.fixture
def demo(served):
    """The served app with the demo data loaded afresh, and an engine on its database."""
    server, url = served
    prepare_database(url, migrate=False)
    engine = sa.create_engine(url)
    yield server, engine
    engine.dispose()
