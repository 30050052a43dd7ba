"""Benchmarks for reminders: enqueue over 100,000 milestones, deliver 2,000 messages.

    python -m bench.run                       # SQLite only
    BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench python -m bench.run

BENCH_DATABASE_URL's database is WIPED (schema dropped and recreated): use a scratch one.
"""

import argparse
import os
import platform
import sqlite3
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from config import normalise_database_url
from incubator import create_app
from incubator.extensions import db
from incubator.models import OutboxMessage, utcnow

from .data import generate
from .smtp import LocalSMTP


def make_app(url: str, smtp_port: int = 25):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench",
            "SCHEDULER_IN_PROCESS": False,
            "MAIL_BACKEND": "smtp",
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_port,
            "BASE_URL": "http://bench.local",
            "REMINDERS_BATCH_SIZE": 100,
        }
    )


def fresh_database(kind: str, postgres_url: str | None, workdir: Path, name: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{workdir / (name + '.db')}"
    url = normalise_database_url(postgres_url)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("DROP SCHEMA public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def migrate(app) -> None:
    with app.app_context():
        upgrade()
        db.engine.dispose()


def bench_enqueue(url: str, milestones: int) -> dict:
    from incubator.reminders.enqueue import enqueue

    app = make_app(url)
    migrate(app)
    with app.app_context():
        started = time.perf_counter()
        generated = generate(milestones)
        generate_s = time.perf_counter() - started

        statements = []
        sa.event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(1))
        started = time.perf_counter()
        first = enqueue()
        db.session.commit()
        first_s = time.perf_counter() - started
        count_first = len(statements)

        started = time.perf_counter()
        second = enqueue()
        db.session.commit()
        second_s = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    return {
        "milestones": generated.milestones,
        "innovations": generated.innovations,
        "users": generated.users,
        "generate_s": generate_s,
        "enqueue_s": first_s,
        "written": first.written,
        "statements": count_first,
        "again_s": second_s,
        "again_written": second.written,
    }


def bench_deliver(url: str, messages: int) -> dict:
    from incubator.reminders.delivery import deliver
    from incubator.reminders.enqueue import enqueue

    smtp = LocalSMTP()
    smtp.start()
    try:
        app = make_app(url, smtp.port)
        migrate(app)
        with app.app_context():
            generate(messages, programmes=2, all_due_in=1, mentors=False, teammates=False)
            queued = enqueue()
            db.session.commit()
            due_now = db.session.scalar(
                sa.select(sa.func.count(OutboxMessage.id)).where(
                    OutboxMessage.next_attempt_at <= utcnow()
                )
            )
            started = time.perf_counter()
            result = deliver()
            elapsed = time.perf_counter() - started
            db.session.remove()
            db.engine.dispose()
    finally:
        smtp.stop()
    return {
        "queued": queued.written,
        "due_now": due_now,
        "sent": result.sent,
        "failed": result.failed + result.retrying,
        "deliver_s": elapsed,
        "per_s": result.sent / elapsed if elapsed else 0.0,
        "connections": smtp.connections,
        "received": smtp.messages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--milestones", type=int, default=100_000)
    parser.add_argument("--messages", type=int, default=2_000)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args()

    kinds = ["sqlite"] + (["postgresql"] if args.postgres else [])
    print(
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for kind in kinds:
            url = fresh_database(kind, args.postgres, workdir, "enqueue")
            r = bench_enqueue(url, args.milestones)
            print(
                f"[{kind}] enqueue over {r['milestones']:,} milestones "
                f"({r['innovations']:,} innovations, {r['users']:,} users): "
                f"{r['enqueue_s']:.2f} s, {r['written']:,} messages in {r['statements']} "
                f"statements; again: {r['again_s']:.2f} s, {r['again_written']} new "
                f"(data generated in {r['generate_s']:.1f} s)"
            )
        for kind in kinds:
            url = fresh_database(kind, args.postgres, workdir, "deliver")
            r = bench_deliver(url, args.messages)
            print(
                f"[{kind}] deliver {r['sent']:,} messages due now (of {r['queued']:,} queued): "
                f"{r['deliver_s']:.2f} s = {r['per_s']:.0f} messages/s over "
                f"{r['connections']} SMTP connection(s); server received {r['received']:,}, "
                f"failed {r['failed']}"
            )


if __name__ == "__main__":
    main()
