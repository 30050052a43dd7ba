"""The scheduler: two sweeper jobs, started only where it should run; and the CLI."""

import sys
from datetime import timedelta

import click
import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from incubator.reminders import scheduler as sched
from tests.conftest import make_app

from .conftest import due_in, outbox


@pytest.fixture
def paused(monkeypatch):
    """Started schedulers stay paused: no job runs behind the test's back."""
    start = BackgroundScheduler.start
    monkeypatch.setattr(BackgroundScheduler, "start", lambda self, paused=False: start(self, True))
    yield
    sched.stop_in_process()


def test_two_sweeper_jobs_with_ids_zone_and_misfire_grace(app, paused):
    scheduler = sched.build_scheduler(app)
    scheduler.start()
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"reminders.enqueue", "reminders.deliver"}
        enqueue, deliver = jobs["reminders.enqueue"], jobs["reminders.deliver"]
        assert isinstance(enqueue.trigger, CronTrigger)
        assert str(enqueue.trigger.fields[6]) == "*/15"  # minute
        assert isinstance(deliver.trigger, IntervalTrigger)
        assert deliver.trigger.interval == timedelta(minutes=1)
        for job in jobs.values():
            assert job.misfire_grace_time == 300
            assert job.coalesce is True
            assert job.max_instances == 1
        assert str(scheduler.timezone) == "Asia/Makassar"
        # Adding a job again under its id replaces it.
        scheduler.add_job(
            sched.run_deliver,
            "interval",
            minutes=1,
            args=[app],
            id="reminders.deliver",
            replace_existing=True,
        )
        assert len(scheduler.get_jobs()) == 2
    finally:
        scheduler.shutdown(wait=False)


def run_context(name: str, **params):
    context = click.Context(click.Command(name), info_name=name)
    context.params = params
    return context


@pytest.mark.parametrize(
    ("command", "params", "environ", "gunicorn", "expected"),
    [
        (None, {}, {}, False, True),  # a plain WSGI server (one process)
        ("run", {"reload": False}, {}, False, True),  # `make run`
        ("run", {"reload": True}, {}, False, False),  # the reloader's watcher
        ("run", {"reload": True}, {"WERKZEUG_RUN_MAIN": "true"}, False, True),  # its child
        ("scheduler", {}, {}, False, False),  # runs its own BlockingScheduler
        ("reminders", {}, {}, False, False),
        (None, {}, {}, True, False),  # gunicorn: every worker would run one
    ],
)
def test_where_the_embedded_scheduler_runs(
    app, monkeypatch, command, params, environ, gunicorn, expected
):
    app.testing = False
    app.config["SCHEDULER_IN_PROCESS"] = True
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    for key, value in environ.items():
        monkeypatch.setenv(key, value)
    if gunicorn:
        monkeypatch.setitem(sys.modules, "gunicorn", object())
    if command:
        with run_context(command, **params):
            assert sched.should_run_in_process(app) is expected
    else:
        assert sched.should_run_in_process(app) is expected


def test_never_in_tests_or_when_switched_off(app):
    app.config["SCHEDULER_IN_PROCESS"] = True
    assert sched.should_run_in_process(app) is False  # TESTING
    app.testing = False
    app.config["SCHEDULER_IN_PROCESS"] = False
    assert sched.should_run_in_process(app) is False


def test_create_app_starts_at_most_one_per_machine(database_url, tmp_path, monkeypatch, paused):
    import incubator

    monkeypatch.delitem(sys.modules, "gunicorn", raising=False)
    monkeypatch.setattr(incubator, "INSTANCE_DIR", tmp_path)
    app = make_app(database_url, SCHEDULER_IN_PROCESS=True, TESTING=False)
    first = sched._in_process
    assert first is not None and first.running
    assert (tmp_path / "scheduler.lock").exists()
    make_app(database_url, SCHEDULER_IN_PROCESS=True, TESTING=False)  # again, same process
    assert sched._in_process is first
    # Another process on this machine (same instance folder) cannot take the lock.
    held, handle = sched._in_process, sched._lock_handle
    sched._in_process, sched._lock_handle = None, None
    try:
        sched.init_app(app)
        assert sched._in_process is None
    finally:
        sched._in_process, sched._lock_handle = held, handle
        sched.stop_in_process()
    assert not held.running


def test_scheduler_command_runs_in_the_foreground(app, monkeypatch):
    seen = {}

    def fake_start(self, *args, **kwargs):
        seen["jobs"] = {job.id for job in self.get_jobs()}  # added, not yet scheduled
        seen["zone"] = str(self.timezone)

    monkeypatch.setattr(BlockingScheduler, "start", fake_start)
    result = app.test_cli_runner().invoke(args=["scheduler"])
    assert result.exit_code == 0, result.output
    assert "Reminder scheduler running" in result.output
    assert seen == {"jobs": {"reminders.enqueue", "reminders.deliver"}, "zone": "Asia/Makassar"}


def test_cli_enqueue_deliver_run(monday, app, world, smtp):
    due_in(world, 1)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reminders", "enqueue"])
    assert result.exit_code == 0 and "Enqueue: enqueued" in result.output
    assert runner.invoke(args=["reminders", "enqueue"]).output.startswith("Enqueue: enqueued 0 ")
    result = runner.invoke(args=["reminders", "deliver", "--limit", "2"])
    assert result.exit_code == 0 and "Deliver: sent 2," in result.output
    result = runner.invoke(args=["reminders", "run"])
    assert result.exit_code == 0, result.output
    assert "Enqueue: enqueued 0 " in result.output and "Deliver: sent" in result.output
    assert len(smtp.messages) == len(outbox(status="sent")) > 2
    assert runner.invoke(args=["reminders", "deliver", "--limit", "0"]).exit_code == 2
