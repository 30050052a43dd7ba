"""The scheduler: two sweeper jobs, started only where it should run; and the CLI."""

import sys
from datetime import timedelta

import click
import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from incubator.extensions import db
from incubator.models import utcnow
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
    finally:
        scheduler.shutdown(wait=False)


def _run(job) -> None:
    """What APScheduler's executor does with a job: call its function with its args."""
    job.func(*job.args, **job.kwargs)


def test_the_jobs_enqueue_and_deliver_in_their_own_context(monday, app, world, smtp):
    """The scheduler's own jobs, run as it runs them: enqueue writes the due reminders,
    deliver writes the notices and sends everything due, and running both again
    sends nothing twice."""
    milestone = due_in(world, 0)  # due today: its reminder is due at 08:00, already past
    db.session.commit()
    jobs = {job.id: job for job in sched.build_scheduler(app).get_jobs()}

    _run(jobs[sched.ENQUEUE_JOB])
    queued = outbox(status="pending")
    assert any(m.kind == "due_today" and m.milestone_id == milestone.id for m in queued)
    assert smtp.messages == []

    _run(jobs[sched.DELIVER_JOB])
    sent = outbox(status="sent")
    assert {m.kind for m in sent} >= {"due_today", "mentor_assigned"}  # notices too
    emails = [m for m in sent if m.kind in ("daily_reminders", "notices", "weekly_digest")]
    assert len(smtp.messages) == len(emails)
    assert [m for m in outbox(status="pending") if m.next_attempt_at <= utcnow()] == []

    _run(jobs[sched.ENQUEUE_JOB])
    _run(jobs[sched.DELIVER_JOB])
    assert len(outbox(status="sent")) == len(sent)
    assert len(smtp.messages) == len(emails)


def test_a_failing_job_is_logged_not_raised_and_the_next_run_works(monday, app, world, caplog):
    """A job never takes the scheduler down: the error is logged, the next run goes on."""
    with sched._job(app, "enqueue"):
        raise RuntimeError("SMTP exploded")
    assert "reminders: enqueue failed" in caplog.text and "SMTP exploded" in caplog.text
    due_in(world, 0)
    db.session.commit()
    sched.run_enqueue(app)
    assert [m.kind for m in outbox(status="pending") if m.kind == "due_today"] == ["due_today"]


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
    emails = outbox(status="sent", bundle_id=None)  # items go out inside their bundle
    assert len(smtp.messages) == len(emails) > 2
    assert runner.invoke(args=["reminders", "deliver", "--limit", "0"]).exit_code == 2
