"""`flask reminders enqueue|deliver|run` (one pass, for cron and tests) and `flask scheduler`."""

import signal

import click
from flask import current_app
from flask.cli import AppGroup

from ..extensions import db

reminders_cli = AppGroup("reminders", help="Reminder emails: enqueue due ones, deliver them.")


def _enqueue() -> None:
    from .enqueue import enqueue

    result = enqueue()
    db.session.commit()
    click.echo(f"Enqueue: {result}.")


def _deliver(limit: int | None) -> None:
    from .delivery import deliver

    result = deliver(limit=limit)
    click.echo(f"Deliver: {result}.")


@reminders_cli.command("enqueue")
def enqueue_command() -> None:
    """Write due reminders, digests and notices to the outbox (idempotent)."""
    _enqueue()


@reminders_cli.command("deliver")
@click.option("--limit", type=click.IntRange(min=1), help="Send at most this many.")
def deliver_command(limit: int | None) -> None:
    """Send what is due in the outbox."""
    _deliver(limit)


@reminders_cli.command("run")
@click.option("--limit", type=click.IntRange(min=1), help="Send at most this many.")
def run_command(limit: int | None) -> None:
    """Enqueue, then deliver: what a cron job runs every minute."""
    _enqueue()
    _deliver(limit)


@click.command("scheduler")
def scheduler_command() -> None:
    """Run the reminder scheduler in the foreground (production: one such process)."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    from .scheduler import build_scheduler

    app = current_app._get_current_object()
    scheduler = build_scheduler(app, BlockingScheduler)

    def _stop(signum, frame):
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _stop)
    click.echo(
        f"Reminder scheduler running (time zone {app.config['APP_TIMEZONE']}): "
        "enqueue every 15 minutes, deliver every minute. Ctrl+C stops it."
    )
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        scheduler.shutdown(wait=False)
    click.echo("Reminder scheduler stopped.")
