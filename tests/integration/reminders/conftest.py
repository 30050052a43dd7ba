"""Reminder tests: a real SMTP server (aiosmtpd on loopback) and helpers.

The `app` fixture is overridden here so the app sends through that server;
each test still runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
"""

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select, update

from incubator.extensions import db
from incubator.models import OutboxMessage, innovation_members, utcnow
from tests import factories
from tests.conftest import make_app, truncate_all

# Monday 2 March 2026, 09:00 in Makassar (WITA, UTC+8): 08:00 in Jakarta, 10:00 in Jayapura.
MONDAY_0900_WITA = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
TODAY = date(2026, 3, 2)


class RecordingHandler:
    """Accepts mail (or answers what a test scripted) and keeps what arrived."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.messages: list[EmailMessage] = []
            self.connections = 0
            self.data_replies: list[str] = []  # popped per DATA; empty means "250"
            self.rcpt_reply: str | None = None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            reply = self.data_replies.pop(0) if self.data_replies else "250 Message accepted"
            if reply.startswith("250"):
                self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return reply


class LoopbackController(Controller):
    """aiosmtpd on 127.0.0.1 with a port the OS picks."""

    def __init__(self, handler):
        super().__init__(handler, hostname="127.0.0.1", port=0)

    def _trigger_server(self):
        self.port = self.server.sockets[0].getsockname()[1]
        super()._trigger_server()


@pytest.fixture(scope="session")
def smtp_controller() -> Iterator[LoopbackController]:
    controller = LoopbackController(RecordingHandler())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def smtp(smtp_controller) -> RecordingHandler:
    """The SMTP server's record, emptied for this test."""
    smtp_controller.handler.reset()
    return smtp_controller.handler


@pytest.fixture
def app(database_url, smtp_controller) -> Iterator[Flask]:
    smtp_controller.handler.reset()
    app = make_app(
        database_url,
        MAIL_BACKEND="smtp",
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp_controller.port,
        MAIL_TIMEOUT=5,
    )
    with app.app_context():
        if database_url.startswith("postgresql"):
            truncate_all(app)
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def world(app):
    """The shared world, its reminders running for long (no quiet start: see test_bundles)."""
    from incubator.models import ReminderRule
    from incubator.pipeline.reminder_rules import ensure_default_rules

    world = factories.make_world()
    ensure_default_rules()
    db.session.execute(update(ReminderRule).values(started_on=None))
    db.session.commit()
    return world


@pytest.fixture
def monday(time_machine):
    """Frozen at MONDAY_0900_WITA; `monday.move_to(...)` travels on."""
    time_machine.move_to(MONDAY_0900_WITA, tick=False)
    return time_machine


@pytest.fixture
def quiet(monday, world, smtp):
    """The world after its own news (assignments, Monday's digest) went out: a quiet outbox."""
    run_enqueue()
    run_deliver()
    smtp.reset()
    return world


def outbox(**filters) -> list[OutboxMessage]:
    query = select(OutboxMessage).filter_by(**filters).order_by(OutboxMessage.id)
    db.session.expire_all()
    return list(db.session.scalars(query))


def emails_to(smtp, user) -> list[EmailMessage]:
    return [m for m in smtp.messages if m["To"].addresses[0].addr_spec == user.email]


def body(message) -> str:
    return message.get_body(("plain",)).get_content()


def keys(**filters) -> set[str]:
    return {m.dedupe_key for m in outbox(**filters)}


def run_enqueue():
    from incubator.reminders.enqueue import enqueue

    result = enqueue()
    db.session.commit()
    return result


def run_deliver(**kwargs):
    from incubator.reminders.delivery import deliver

    db.session.commit()
    return deliver(**kwargs)


def due_in(world, days: int, **fields):
    """A milestone of the world's innovation, owned by its innovator, due `days` from TODAY."""
    fields.setdefault("owner_id", world.innovator.id)
    milestone = factories.make_milestone(
        world.innovation, due_date=TODAY + timedelta(days=days), **fields
    )
    db.session.commit()
    return milestone


def add_to_team(innovation, user) -> None:
    db.session.execute(
        innovation_members.insert().values(innovation_id=innovation.id, user_id=user.id)
    )
    db.session.commit()


def later(minutes: float) -> datetime:
    return utcnow() + timedelta(minutes=minutes)
