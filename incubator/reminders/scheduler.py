"""APScheduler 3 runs the two sweepers: enqueue every 15 minutes, deliver every minute.

One job per kind of work, reading due work from our tables (never a job per
milestone); an in-memory job store that no other scheduler shares; explicit
job ids with replace_existing, an explicit time zone, and a misfire grace time
so a late run still happens (the default of 1 s drops it silently).

Production runs `flask --app wsgi scheduler` (a BlockingScheduler) as its own
process. Under `make run` (SCHEDULER_IN_PROCESS=1) a BackgroundScheduler runs
inside the single web process; gunicorn workers, the reloader's watcher and
other CLI commands never start one.
"""

import atexit
import logging
import os
import sys
from contextlib import contextmanager
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import click
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from flask.helpers import get_debug_flag

from ..extensions import db

log = logging.getLogger(__name__)

ENQUEUE_JOB = "reminders.enqueue"
DELIVER_JOB = "reminders.deliver"
JOB_DEFAULTS = {
    "coalesce": True,  # after downtime, one catch-up run, not one per missed minute
    "max_instances": 1,
    "misfire_grace_time": 300,
}

_in_process = None  # this process's embedded scheduler, if it runs one
_lock_handle = None


@contextmanager
def _job(app: Flask, name: str):
    """A job's own app context and session; a failure is rolled back and logged, not raised."""
    with app.app_context():
        try:
            yield
        except Exception:
            db.session.rollback()
            log.exception("reminders: %s failed", name)
        finally:
            db.session.remove()


def run_enqueue(app: Flask) -> None:
    from .enqueue import enqueue

    with _job(app, "enqueue"):
        result = enqueue()
        db.session.commit()
        log.info("reminders: %s", result)


def run_deliver(app: Flask) -> None:
    """Notices first (stage moves, assignments), so they go out within about a minute."""
    from .delivery import deliver
    from .enqueue import enqueue_notices

    with _job(app, "deliver"):
        enqueue_notices()
        db.session.commit()
        result = deliver()
        if result.handled:
            log.info("reminders: %s", result)


def build_scheduler(app: Flask, scheduler_class=BackgroundScheduler):
    # Our jobs log what they did; APScheduler's "Running job ..." every minute is noise.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    zone = ZoneInfo(app.config["APP_TIMEZONE"])
    scheduler = scheduler_class(
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(2)},
        job_defaults=JOB_DEFAULTS,
        timezone=zone,
    )
    scheduler.add_job(
        run_enqueue,
        CronTrigger(minute="*/15", timezone=zone),
        args=[app],
        id=ENQUEUE_JOB,
        name="Enqueue due reminders",
        replace_existing=True,
        next_run_time=datetime.now(zone),  # and once at start
    )
    scheduler.add_job(
        run_deliver,
        IntervalTrigger(minutes=1, timezone=zone),
        args=[app],
        id=DELIVER_JOB,
        name="Deliver notices and due reminders",
        replace_existing=True,
        next_run_time=datetime.now(zone) + timedelta(seconds=15),  # soon after the first enqueue
    )
    return scheduler


def should_run_in_process(app: Flask) -> bool:
    if not app.config.get("SCHEDULER_IN_PROCESS") or app.testing:
        return False
    if "gunicorn" in sys.modules:
        log.warning(
            "SCHEDULER_IN_PROCESS is ignored under gunicorn (each worker would run it): "
            "run `flask --app wsgi scheduler` beside the workers"
        )
        return False
    command = click.get_current_context(silent=True)
    if command is not None:
        if command.info_name != "run":
            return False  # `flask scheduler`, `flask reminders ...`, `flask db ...`
        reload = command.params.get("reload")
        if reload is None:
            reload = get_debug_flag()
        if reload and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
            return False  # the reloader's watcher: only its child serves
    return True


def _take_machine_lock(app: Flask) -> bool:
    """One embedded scheduler per instance folder, whatever else started this app."""
    global _lock_handle
    try:
        import fcntl
    except ImportError:  # not POSIX: rely on the checks above
        return True
    handle = open(os.path.join(app.instance_path, "scheduler.lock"), "w")  # noqa: SIM115
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return False
    _lock_handle = handle
    return True


def init_app(app: Flask) -> None:
    """Called by create_app: start the embedded scheduler when (and only when) it should run."""
    global _in_process
    if _in_process is not None or not should_run_in_process(app):
        return
    if not _take_machine_lock(app):
        log.warning("another process on this machine runs the reminder scheduler; not starting")
        return
    _in_process = build_scheduler(app)
    _in_process.start()
    atexit.register(stop_in_process)
    log.info("reminder scheduler started in this process (pid %s)", os.getpid())


def stop_in_process() -> None:
    global _in_process, _lock_handle
    if _in_process is not None and _in_process.running:
        _in_process.shutdown(wait=False)
    _in_process = None
    if _lock_handle is not None:
        _lock_handle.close()  # releases the lock
        _lock_handle = None
