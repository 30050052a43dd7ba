"""A request that only read ends its transaction with COMMIT (incubator/transactions.py),
which keeps psycopg's prepared statements; one that wrote anything it did not commit
itself still has it rolled back, whichever way it wrote."""

import pytest
import sqlalchemy as sa

from incubator.extensions import db
from incubator.models import User
from tests.conftest import DATABASES


def _endings(app):
    seen: list[str] = []
    sa.event.listen(db.engine, "commit", lambda conn: seen.append("commit"))
    sa.event.listen(db.engine, "rollback", lambda conn: seen.append("rollback"))
    return seen


def _name(user_id: int) -> str:
    db.session.expire_all()
    return db.session.scalar(sa.select(User.name).where(User.id == user_id))


def test_a_page_that_only_reads_commits(app, client, login, world):
    login(world.coordinator)
    endings = _endings(app)
    assert client.get(f"/programmes/{world.programme.slug}/board").status_code == 200
    assert endings == ["commit"]


def test_what_a_request_wrote_but_did_not_commit_is_rolled_back(app, client, world):
    user_id = world.innovator.id
    before = _name(user_id)

    def flushed():  # the ORM wrote it (flush), then the view answered without commit
        db.session.get(User, user_id).name = "Flushed"
        db.session.flush()
        return "ok"

    def executed():  # a Core UPDATE, no ORM object involved
        db.session.execute(sa.update(User).where(User.id == user_id).values(name="Executed"))
        return "ok"

    def pending():  # changed, not even flushed
        with db.session.no_autoflush:
            db.session.get(User, user_id).name = "Pending"
        return "ok"

    for view in (flushed, executed, pending):
        app.add_url_rule(f"/test-{view.__name__}", view.__name__, view)
    db.session.remove()
    endings = _endings(app)
    for view in ("flushed", "executed", "pending"):
        assert client.get(f"/test-{view}").status_code == 200
        assert _name(user_id) == before, view
    assert "commit" not in endings


# The point is psycopg's: SQLite keeps no statements between requests.
@pytest.mark.parametrize("database_url", [d for d in DATABASES if d == "postgresql"], indirect=True)
def test_postgresql_keeps_the_statements_it_prepared(app, client, login, world):
    login(world.coordinator)
    board = f"/programmes/{world.programme.slug}/board"
    for _ in range(7):  # psycopg prepares a statement on its sixth run
        assert client.get(board).status_code == 200
    db.session.remove()
    prepared = db.session.scalar(sa.text("SELECT count(*) FROM pg_prepared_statements"))
    assert prepared >= 5


def test_a_connection_lost_in_the_middle_of_a_write_still_gets_the_503(app, client, world):
    # The database went away under a request that had written (the outage test does it
    # with a TCP proxy): ending the broken transaction must not raise a second error.
    user_id = world.innovator.id

    def lost():
        db.session.get(User, user_id).name = "Half-written"
        db.session.flush()
        db.session.connection().invalidate()
        raise sa.exc.OperationalError("INSERT ...", {}, Exception("server closed the connection"))

    app.add_url_rule("/test-lost", "lost", lost)
    db.session.remove()
    response = client.get("/test-lost")
    assert response.status_code == 503
    assert _name(user_id) != "Half-written"
