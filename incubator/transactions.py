"""How a request's transaction ends when it only read: COMMIT rather than ROLLBACK.

To the database the two are the same for a transaction that wrote nothing. To psycopg
they are not: a ROLLBACK discards every statement it had prepared on the connection (a
rollback may have undone the tables they were planned for), so when every request ended
with one, PostgreSQL planned each query of each page again, about a millisecond a
statement (the board's eleven were 6 ms of it at 10,000 innovations). psycopg prepares
a statement once it has run five times on a connection.

A transaction is "read only" here when the connection ran nothing but SELECT in it and
the session holds no unflushed change. Anything else (an INSERT, UPDATE or DELETE, DDL,
a change not flushed yet, an unhandled error) ends as before: the session's rollback at
teardown, so nothing half-written is ever committed by this.
"""

from flask import Flask
from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError

from .extensions import db

WROTE = "incubator_wrote"  # key in the connection's info: this transaction ran a write


def register(app: Flask) -> None:
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _note_writes(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip()[:6].upper() != "SELECT":
            conn.info[WROTE] = True

    @event.listens_for(engine, "commit")
    @event.listens_for(engine, "rollback")
    def _transaction_ended(conn):
        # A connection lost mid-request is rolled back invalidated: its info cannot be
        # read then (and the pool discards it), and the 503 must not become a 500.
        if not conn.invalidated:
            conn.info.pop(WROTE, None)

    @event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection, record, proxy):
        record.info.pop(WROTE, None)  # a new request: whatever came before has ended

    @app.teardown_request
    def _end_read_only(exc):
        if exc is None:
            commit_if_read_only()


def commit_if_read_only() -> bool:
    """COMMIT the session's transaction if it only read (see above); True if it did."""
    session = db.session()  # the request's Session itself, not the scoped proxy
    if not session.in_transaction() or session.new or session.dirty or session.deleted:
        return False
    try:
        if session.connection().info.get(WROTE):
            return False
        session.commit()
    except SQLAlchemyError:
        return False  # a lost or broken connection: the session's teardown deals with it
    return True
