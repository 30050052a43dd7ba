"""Two deliver workers at once send each of 500 messages exactly once."""

import threading
from datetime import timedelta

from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import Milestone, OutboxMessage
from incubator.reminders.delivery import deliver

from .conftest import TODAY, run_enqueue

COUNT = 500


def test_two_workers_send_each_of_500_messages_once(quiet, app, smtp):
    world = quiet
    db.session.add_all(
        Milestone(
            innovation_id=world.innovation.id,
            stage="creation",
            title=f"Milestone {i}",
            due_date=TODAY + timedelta(days=7),
            owner_id=world.innovator.id,
        )
        for i in range(COUNT)
    )
    db.session.commit()
    assert run_enqueue().reminders == COUNT

    barrier = threading.Barrier(2)
    results, errors = {}, []

    def worker(name: str):
        try:
            with app.app_context():  # a session and a connection of its own
                barrier.wait(timeout=10)
                results[name] = deliver(worker=name, batch_size=10)
                db.session.remove()
        except Exception as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(f"worker-{i}",)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []

    # Both ran to the end; how the work split between them is the threads' business.
    assert set(results) == {"worker-1", "worker-2"}
    assert sum(r.sent for r in results.values()) == COUNT
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(ids) == COUNT == len(set(ids))  # every message once, none twice
    recipients_and_subjects = [(m["To"], m["Subject"]) for m in smtp.messages]
    assert len(set(recipients_and_subjects)) == COUNT
    sent = db.session.scalar(
        select(func.count(OutboxMessage.id)).where(
            OutboxMessage.kind == "due_7", OutboxMessage.status == "sent"
        )
    )
    assert sent == COUNT
    attempts = set(db.session.scalars(select(OutboxMessage.attempts).distinct()))
    assert attempts == {1}
