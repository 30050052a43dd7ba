"""Two deliver workers at once: 500 reminders for 100 people go out as 100 daily emails,
each email once and each reminder in exactly one of them."""

import re
import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import Milestone, OutboxMessage, Role
from incubator.reminders.delivery import deliver
from tests import factories

from .conftest import TODAY, run_enqueue

PEOPLE = 100
EACH = 5


def test_two_workers_send_each_of_500_reminders_once_in_100_emails(quiet, app, smtp):
    world = quiet
    for person in range(PEOPLE):
        owner = factories.make_user(Role.INNOVATOR, programme=world.programme)
        innovation = factories.make_innovation(world.programme, owner=owner)
        db.session.add_all(
            Milestone(
                innovation_id=innovation.id,
                stage="creation",
                title=f"Tonggak {person}-{i}",
                due_date=TODAY + timedelta(days=7),
                owner_id=owner.id,
            )
            for i in range(EACH)
        )
    db.session.commit()
    assert run_enqueue().reminders == PEOPLE * EACH

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
    assert sum(r.sent for r in results.values()) == PEOPLE
    ids = [m["Message-ID"] for m in smtp.messages]
    assert len(ids) == PEOPLE == len(set(ids))  # every email once, none twice
    assert len({m["To"] for m in smtp.messages}) == PEOPLE  # one each
    listed = Counter()
    for message in smtp.messages:
        text = message.get_body(("plain",)).get_content()
        listed.update(re.findall(r"Tonggak \d+-\d+", text))
    assert len(listed) == PEOPLE * EACH and set(listed.values()) == {1}

    def count(**filters):
        query = select(func.count(OutboxMessage.id)).filter_by(**filters)
        return db.session.scalar(query)

    assert count(kind="due_7", status="sent") == PEOPLE * EACH
    assert count(kind="daily_reminders", status="sent") == PEOPLE
    attempts = set(db.session.scalars(select(OutboxMessage.attempts).distinct()))
    assert attempts <= {0, 1}  # items are never claimed; each email once
