"""Deliver sends through a real SMTP server (aiosmtpd on loopback), each message once."""

import re
import socket
from datetime import timedelta
from email import message_from_bytes
from email.policy import default as default_policy

import pytest

from incubator.extensions import db
from incubator.models import NotificationOptOut, Role, StageTransition, utcnow
from incubator.reminders import delivery
from incubator.reminders.tokens import read_token
from tests import factories
from tests.conftest import make_app

from .conftest import TODAY, body, due_in, outbox, run_deliver, run_enqueue

BASE_URL = "http://incubator.test"


def parts(message):
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return text, html


def subject(message) -> str:
    # Long encoded subjects are folded right after "Subject:"; clients drop that space.
    return str(message["Subject"]).strip()


def links(text: str) -> list[str]:
    return re.findall(re.escape(BASE_URL) + r"[^\s\"'<>]+", text)


def test_a_reminder_arrives_in_the_recipients_language_with_links_and_unsubscribe(
    monday, app, world, smtp, client
):
    world.innovator.locale = "en"
    world.innovator.name = "Ana <Ndolu>"
    milestone = due_in(world, 1, title="Uji coba & evaluasi")
    mentor_view = due_in(world, -10, title="Laporan akhir")  # the mentor hears of this one
    run_enqueue()
    result = run_deliver()
    assert result.failed == 0 and result.retrying == 0

    by_kind = received(smtp)
    english = by_kind[(world.innovator.email, "daily_reminders")]
    assert subject(english) == f"2 milestones need attention: {world.innovation.title}"
    assert english["Content-Language"] == "en"
    text, html = parts(english)
    assert "Uji coba & evaluasi: due tomorrow (3 Mar 2026)" in text
    assert "Laporan akhir: 10 days late (20 Feb 2026)" in text
    assert text.index("Laporan akhir") < text.index("Uji coba")  # the most urgent first
    assert "on 2 Mar 2026 (WITA)" in text  # the reader's day, the zone named
    assert "Uji coba &amp; evaluasi" in html  # escaped in HTML, not in text
    assert "Ana &lt;Ndolu&gt;" in html
    item = f"{BASE_URL}/innovations/{world.innovation.id}/milestones/{milestone.id}"
    assert item in links(text)
    assert item in html
    assert f"{BASE_URL}/account/notifications" in text
    assert f"{BASE_URL}/account/notifications" in html

    unsubscribe = str(english["List-Unsubscribe"]).strip()
    assert re.fullmatch(r"<http://incubator\.test/unsubscribe/[\w.-]+>", unsubscribe)
    assert english["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = unsubscribe.strip("<>").rsplit("/", 1)[1]
    assert read_token(token) == (world.innovator.id, "daily_reminders")  # all it may carry

    indonesian = by_kind[(world.mentor.email, "daily_reminders")]
    assert indonesian["Content-Language"] == "id"
    assert subject(indonesian) == f"1 tonggak perlu perhatian: {world.innovation.title}"
    text, _html = parts(indonesian)
    assert "Halo" in text and "Laporan akhir: terlambat 10 hari" in text
    assert "(Anda pendampingnya)" in text
    assert any(u.endswith(f"/milestones/{mentor_view.id}") for u in links(text))

    # The one-click unsubscribe works as a mail client sends it (RFC 8058).
    response = client.post(
        unsubscribe.strip("<>").removeprefix(BASE_URL),
        data={"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert (
        db.session.query(NotificationOptOut)
        .filter_by(user_id=world.innovator.id, kind="due_1")
        .count()
        == 1
    )


def received(smtp) -> dict:
    """What arrived, by (recipient address, kind)."""
    return {(m["To"].addresses[0].addr_spec, m["X-Incubator-Kind"]): m for m in smtp.messages}


def test_sent_rows_are_marked_and_not_sent_again(monday, quiet, smtp):
    world = quiet
    due_in(world, 0)
    run_enqueue()
    first = run_deliver()
    assert first.sent == len(smtp.messages) > 0
    for message in outbox(kind="due_today"):
        assert message.status == "sent" and message.sent_at is not None
        assert message.bundle_id  # it went out inside its daily email
    today = [m for m in outbox(kind="daily_reminders") if m.due_date == TODAY]
    assert today and all(m.status == "sent" and m.attempts == 1 for m in today)
    assert run_deliver().handled == 0
    run_enqueue()
    assert run_deliver().handled == 0
    assert len(smtp.messages) == first.sent


def test_one_smtp_connection_serves_the_whole_run(monday, world, smtp):
    for days in range(-14, 8):
        due_in(world, days)
    run_enqueue()
    result = run_deliver(batch_size=4)
    assert result.sent > 4  # the daily emails, the digests and the notices
    assert result.connections == 1
    assert smtp.connections == 1
    assert len(smtp.messages) == result.sent


def test_451_is_retried_with_backoff_and_arrives_once(monday, quiet, smtp):
    world = quiet
    due_in(world, 7)
    run_enqueue()
    smtp.data_replies = ["451 4.7.1 Greylisted, try again later"]
    result = run_deliver()
    assert (result.sent, result.retrying) == (0, 1)
    [message] = outbox(kind="daily_reminders")
    assert message.status == "pending" and message.attempts == 1
    assert "451" in message.last_error
    assert message.next_attempt_at == utcnow() + timedelta(seconds=60)
    assert run_deliver().handled == 0  # not before the backoff has passed
    assert smtp.messages == []

    monday.shift(timedelta(seconds=61))
    assert run_deliver().sent == 1
    [message] = outbox(kind="daily_reminders")
    assert (message.status, message.attempts, message.last_error) == ("sent", 2, None)
    assert [m.status for m in outbox(kind="due_7")] == ["sent"]
    monday.shift(timedelta(hours=1))
    assert run_deliver().handled == 0
    assert [m["X-Incubator-Kind"] for m in smtp.messages] == ["daily_reminders"]


def test_550_fails_at_once_and_is_never_retried(monday, quiet, smtp):
    world = quiet
    due_in(world, 7)
    run_enqueue()
    smtp.rcpt_reply = "550 5.1.1 No such user here"
    result = run_deliver()
    assert (result.sent, result.failed, result.retrying) == (0, 1, 0)
    [message] = outbox(kind="daily_reminders")
    assert message.status == "failed" and message.attempts == 1
    assert "550" in message.last_error and "No such user" in message.last_error
    [item] = outbox(kind="due_7")
    assert item.status == "failed"  # shown to coordinators with its email

    smtp.rcpt_reply = None
    monday.shift(timedelta(days=2))
    run_deliver()
    [message] = outbox(kind="daily_reminders")
    assert (message.status, message.attempts) == ("failed", 1)
    assert all(m["X-Incubator-Kind"] != "daily_reminders" for m in smtp.messages)


def test_the_last_retry_marks_the_message_failed(monday, app, quiet, smtp):
    world = quiet
    app.config["REMINDERS_MAX_ATTEMPTS"] = 3
    due_in(world, 7)
    run_enqueue()
    smtp.data_replies = ["452 4.3.1 Mailbox full"] * 3
    waits = []
    for _ in range(3):
        run_deliver()
        [message] = outbox(kind="daily_reminders")
        waits.append(message.next_attempt_at - utcnow())
        monday.shift(timedelta(hours=1))
    assert message.status == "failed" and message.attempts == 3
    assert "452" in message.last_error
    assert waits[:2] == [timedelta(seconds=60), timedelta(seconds=120)]
    assert run_deliver().handled == 0
    assert smtp.messages == []


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_an_unreachable_server_loses_nothing(monday, app, quiet, smtp):
    world = quiet
    for days in (7, 1, 0):
        due_in(world, days)
    run_enqueue()
    mailman = app.extensions["mailman"]
    port, mailman.port = mailman.port, _closed_port()
    result = run_deliver()
    assert (result.sent, result.retrying) == (0, 1)
    soon = utcnow() + timedelta(minutes=2)
    pending = [m for m in outbox(status="pending", bundle_id=None) if m.next_attempt_at <= soon]
    pending = [m for m in pending if m.kind == "daily_reminders"]
    assert len(pending) == 1  # the innovator's day: three reminders in one email
    assert pending[0].attempts == 1 and pending[0].last_error.startswith("connect:")
    assert len(outbox(status="pending", bundle_id=pending[0].id)) == 3  # still its items

    mailman.port = port
    monday.shift(timedelta(minutes=2))
    result = run_deliver()
    assert result.sent == 1 == len(smtp.messages)
    assert {m.status for m in outbox(kind="due_1")} == {"sent"}


class SimulatedCrash(BaseException):
    """What a killed worker looks like to the outbox: claimed, never sent or marked."""


def test_a_crash_between_claim_and_send_is_recovered_once(monday, quiet, smtp, monkeypatch):
    world = quiet
    due_in(world, 7)
    run_enqueue()

    def crash(self, email):
        raise SimulatedCrash

    with monkeypatch.context() as patch:
        patch.setattr(delivery.Sender, "send", crash)
        with pytest.raises(SimulatedCrash):
            run_deliver()
    [message] = outbox(kind="daily_reminders")
    assert message.status == "sending" and message.claimed_by
    [item] = outbox(kind="due_7")
    assert (item.status, item.bundle_id) == ("pending", message.id)  # taken, not yet sent

    assert run_deliver().handled == 0  # still claimed by the dead worker
    monday.shift(timedelta(minutes=9))
    assert run_deliver().handled == 0
    monday.shift(timedelta(minutes=2))  # the claim timed out (10 minutes)
    assert run_deliver().sent == 1
    [message] = outbox(kind="daily_reminders")
    assert (message.status, message.attempts) == ("sent", 2)
    [item] = outbox(kind="due_7")
    assert (item.status, item.bundle_id) == ("sent", message.id)
    assert "due in 7 days" in body(smtp.messages[0]) or "dalam 7 hari" in body(smtp.messages[0])
    monday.shift(timedelta(hours=1))
    assert run_deliver().handled == 0
    assert len(smtp.messages) == 1


def test_what_stopped_being_due_after_enqueue_is_not_sent(monday, quiet, smtp):
    world = quiet
    moved = due_in(world, 7)
    done = due_in(world, 1)
    due_in(world, 0)
    run_enqueue()
    moved.due_date = moved.due_date + timedelta(days=3)
    done.progress, done.done_at = 100, utcnow()
    db.session.add(NotificationOptOut(user_id=world.innovator.id, kind="due_today"))
    db.session.commit()
    result = run_deliver()
    assert result.voided == 1  # the day's email: nothing left in it
    assert {m.last_error for m in outbox(status="void")} == {"no_longer_due", "opted_out"}
    assert len(outbox(status="void")) == 4  # its three items and itself
    assert [m for m in smtp.messages if m["X-Incubator-Kind"] == "daily_reminders"] == []


def test_digest_and_notices_are_rendered(monday, world, smtp):
    world.coordinator.locale = "en"
    due_in(world, -3, title="Baseline survey")
    due_in(world, 2, title="Pilot in two villages")
    db.session.add(
        StageTransition(
            innovation_id=world.innovation.id,
            from_stage="creation",
            to_stage="development",
            actor_id=world.coordinator.id,
            reason="Gate passed",
        )
    )
    db.session.commit()
    run_enqueue()
    result = run_deliver()
    assert result.failed == 0
    got = received(smtp)

    digest = got[(world.coordinator.email, "weekly_digest")]
    text, html = parts(digest)
    assert subject(digest) == f"Weekly summary: {world.programme.name}"
    assert "Baseline survey" in text and "Pilot in two villages" in text
    assert "Overdue milestones: 1" in text

    mentor_digest = got[(world.mentor.email, "weekly_digest")]
    text, _ = parts(mentor_digest)
    assert "Baseline survey" in text
    other_digest = got[(world.other_mentor.email, "weekly_digest")]
    assert "Baseline survey" not in parts(other_digest)[0]  # not their mentee

    # The assignment and the move, minutes apart: one email to the team.
    both = got[(world.innovator.email, "notices")]
    text, _ = parts(both)
    assert subject(both) == f"2 kabar tentang “{world.innovation.title}”"
    assert "Pengembangan" in text and "Gate passed" in text
    assigned = got[(world.mentor.email, "notices")]  # assigned, then the move: one email
    assert world.innovation.title in subject(assigned)
    assert "Anda kini mendampingi" in parts(assigned)[0]


def test_the_file_backend_writes_eml_files_a_person_can_open(monday, database_url, world, tmp_path):
    due_in(world, 1)
    run_enqueue()
    file_app = make_app(database_url, MAIL_BACKEND="file", MAIL_FILE_PATH=str(tmp_path))
    with file_app.app_context():
        result = delivery.deliver()
        db.engine.dispose()
    files = sorted(tmp_path.glob("*.eml"))
    assert result.sent == len(files) > 0
    message = message_from_bytes(files[0].read_bytes(), policy=default_policy)
    text, html = parts(message)
    assert message["List-Unsubscribe"] and text.strip() and "<html" in html


def test_a_claim_takes_at_most_its_limit_and_never_twice(quiet):
    from incubator.reminders import outbox as box

    world = quiet
    for _ in range(8):
        someone = factories.make_user(Role.INNOVATOR, programme=world.programme)
        due_in(world, 0, owner_id=someone.id)
    run_enqueue()
    due = [
        m.id
        for m in outbox(status="pending")
        if m.next_attempt_at <= utcnow() and m.kind in ("daily_reminders", "notices")
    ]
    assert len(due) > 6
    first = box.claim("worker-a", 3)
    second = box.claim("worker-b", 3)
    assert len(first) == len(second) == 3
    assert not set(first) & set(second)
    claimed = {m.id: m.claimed_by for m in outbox(status="sending")}
    assert claimed == {**dict.fromkeys(first, "worker-a"), **dict.fromkeys(second, "worker-b")}
