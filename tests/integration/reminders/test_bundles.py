"""One reminder email per person and day, a quiet start, throttled notices, feedback emails,
and account emails that nothing holds back. Delivered through a real SMTP server."""

from datetime import UTC, date, datetime, timedelta

from incubator.extensions import db
from incubator.models import (
    NotificationOptOut,
    Role,
    StageTransition,
    innovation_members,
    utcnow,
)
from incubator.pipeline import feedback as feedback_ops
from incubator.pipeline.accounts import request_password_reset
from incubator.pipeline.reminder_rules import ALL_KINDS
from incubator.pipeline.reminders import retry_message, update_rule
from incubator.reminders.enqueue import enqueue_notices
from tests import factories

from .conftest import body, emails_to, outbox, run_deliver, run_enqueue


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def daily_to(smtp, user):
    return [m for m in emails_to(smtp, user) if m["X-Incubator-Kind"] == "daily_reminders"]


def subject(message) -> str:
    return str(message["Subject"]).strip()


def html(message) -> str:
    return message.get_body(("html",)).get_content()


def milestone(innovation, due: date, title: str, owner):
    made = factories.make_milestone(innovation, due_date=due, title=title, owner_id=owner.id)
    db.session.commit()
    return made


def test_one_email_a_day_across_programmes_at_0800_in_the_readers_zone(time_machine, world, smtp):
    # Sunday 1 March 2026, 22:00 UTC: Monday 07:00 in Jayapura (WIT), 06:00 in Makassar.
    time_machine.move_to(at(2026, 3, 1, 22, 0), tick=False)
    monday = date(2026, 3, 2)
    person = factories.make_user(
        Role.INNOVATOR, programme=world.programme, timezone="Asia/Jayapura", locale="id"
    )
    posyandu = factories.make_innovation(world.programme, owner=person, title="Posyandu Digital")
    second = factories.make_programme(name="Sumba Timur 2026")
    factories.add_member(second, person, Role.INNOVATOR)
    antrian = factories.make_innovation(second, owner=person, title="Sistem Antrian")
    milestone(antrian, monday + timedelta(days=7), "Uji coba di dua desa", person)
    milestone(posyandu, monday, "Pelatihan kader", person)
    milestone(posyandu, monday - timedelta(days=4), "Survei awal", person)  # 4 days late
    milestone(antrian, monday + timedelta(days=1), "Rapat dengan dinas", person)
    db.session.commit()
    run_enqueue()

    items = [m for m in outbox(recipient_id=person.id) if m.kind != "daily_reminders"]
    assert {m.kind for m in items} == {"due_7", "due_today", "overdue", "due_1"}
    run_deliver()
    assert emails_to(smtp, person) == []  # not before 08:00 in Jayapura

    time_machine.move_to(at(2026, 3, 1, 23, 1), tick=False)  # Monday 08:01 WIT
    run_enqueue()
    run_deliver()
    [email] = emails_to(smtp, person)
    assert subject(email) == "4 tonggak perlu perhatian: Posyandu Digital, …"
    text = body(email)
    # By programme, then innovation, the most urgent first; the day in the reader's zone.
    assert "pada 2 Mar 2026 (WIT)" in text
    order = [
        "Survei awal: terlambat 4 hari (26 Feb 2026)",
        "Pelatihan kader: jatuh tempo hari ini (2 Mar 2026)",
        "== Sumba Timur 2026 ==",
        "Rapat dengan dinas: jatuh tempo besok (3 Mar 2026)",
        "Uji coba di dua desa: jatuh tempo dalam 7 hari (9 Mar 2026)",
    ]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)
    assert "Tahapan" not in text and "tonggak" in text
    assert "Posyandu Digital</a>" in html(email) and "terlambat 4 hari" in html(email)
    daily = [m for m in smtp.messages if m["X-Incubator-Kind"] == "daily_reminders"]
    assert [m["To"].addresses[0].addr_spec for m in daily] == [person.email]  # 08:00 WITA later

    # A milestone that falls due after the day's email went out waits for tomorrow's.
    time_machine.move_to(at(2026, 3, 2, 2, 0), tick=False)  # Monday 11:00 WIT
    milestone(posyandu, monday + timedelta(days=1), "Laporan bulanan", person)
    run_enqueue()
    run_deliver()
    assert len(emails_to(smtp, person)) == 1
    time_machine.move_to(at(2026, 3, 2, 23, 1), tick=False)  # Tuesday 08:01 WIT
    run_enqueue()
    run_deliver()
    first, tuesday = emails_to(smtp, person)
    text = body(tuesday)
    assert "Laporan bulanan: jatuh tempo hari ini (3 Mar 2026)" in text
    assert "Rapat dengan dinas: jatuh tempo hari ini" in text
    assert "Laporan bulanan" not in body(first)
    due = [m for m in outbox(recipient_id=person.id) if m.next_attempt_at <= utcnow()]
    assert {m.status for m in due} == {"sent"}  # Wednesday's wait for Wednesday


def test_the_english_email_reads_as_the_recipient_sees_it(monday, world, smtp):
    world.innovator.locale = "en"
    db.session.commit()
    milestone(world.innovation, date(2026, 3, 3), "Pilot in two villages", world.innovator)
    milestone(world.innovation, date(2026, 2, 26), "Baseline survey", world.innovator)
    run_enqueue()
    run_deliver()
    [email] = [
        m for m in emails_to(smtp, world.innovator) if m["X-Incubator-Kind"] == "daily_reminders"
    ]
    title = world.innovation.title
    assert subject(email) == f"2 milestones need attention: {title}"
    text = body(email)
    assert "2 milestones need your attention on 2 Mar 2026 (WITA), the most urgent first." in text
    assert "- Baseline survey: 4 days late (26 Feb 2026), progress 0%" in text
    assert "- Pilot in two villages: due tomorrow (3 Mar 2026), progress 0%" in text
    assert "Unsubscribe from “Daily reminders”" in text


def test_a_quiet_start_gives_one_catch_up_summary_per_person(monday, world, smtp):
    """A new programme with a backlog: one email for the innovator, not one per milestone."""
    programme = factories.make_programme(name="Belu 2026")
    owner = factories.make_user(Role.INNOVATOR, programme=programme)
    mentor = factories.make_user(Role.MENTOR, programme=programme)
    innovation = factories.make_innovation(programme, owner=owner, title="Sistem Antrian")
    factories.assign_mentor(innovation, mentor)
    today = date(2026, 3, 2)
    for days_late in (1, 2, 3, 5, 9, 20):
        milestone(innovation, today - timedelta(days=days_late), f"Lama {days_late}", owner)
    milestone(innovation, today, "Hari ini", owner)
    milestone(innovation, today + timedelta(days=1), "Besok", owner)
    run_enqueue()  # the programme's rules start today
    assert outbox(kind="overdue", milestone_id=None, recipient_id=owner.id)  # one summary
    today_singles = [
        m
        for m in outbox(kind="overdue", programme_id=programme.id)
        if m.milestone_id and m.next_attempt_at <= utcnow()
    ]
    assert today_singles == []  # ... instead of one reminder per overdue milestone
    run_deliver()

    [email] = daily_to(smtp, owner)
    text = body(email)
    assert subject(email) == "8 tonggak perlu perhatian: Sistem Antrian"
    assert "Pengingat baru saja dimulai di program ini" in text
    for days_late in (1, 2, 3, 5, 9, 20):
        assert f"Lama {days_late}: terlambat {days_late} hari" in text
    assert "Hari ini: jatuh tempo hari ini" in text and "Besok: jatuh tempo besok" in text
    # The mentor hears only of what is more than a week late.
    [summary] = daily_to(smtp, mentor)
    text = body(summary)
    assert "Lama 9" in text and "Lama 20" in text and "Lama 5" not in text
    assert "(Anda pendampingnya)" in text
    assert "Sebagai pendamping" in text

    # The next days follow the usual rule (1, 4, 7 ... days late), still one email a day.
    smtp.reset()
    monday.move_to(at(2026, 3, 3, 0, 1), tick=False)  # Tuesday 08:01 WITA
    run_enqueue()
    run_deliver()
    [email] = daily_to(smtp, owner)
    text = body(email)
    assert "Lama 3: terlambat 4 hari" in text and "Hari ini: terlambat 1 hari" in text
    assert "Besok: jatuh tempo hari ini" in text
    assert "Lama 1" not in text and "dimulai" not in text


def test_switching_the_overdue_rule_on_again_is_a_quiet_start_too(monday, quiet, smtp):
    world = quiet
    for days_late in (2, 5, 6):
        milestone(
            world.innovation,
            date(2026, 3, 2) - timedelta(days=days_late),
            f"T{days_late}",
            world.innovator,
        )
    update_rule(
        world.programme,
        "overdue",
        actor=world.coordinator,
        enabled=False,
        offset_days=1,
        repeat_every_days=3,
        max_repeats=5,
        send_hour=8,
    )
    db.session.commit()
    run_enqueue()
    assert run_deliver().sent == 0
    update_rule(
        world.programme,
        "overdue",
        actor=world.coordinator,
        enabled=True,
        offset_days=1,
        repeat_every_days=3,
        max_repeats=5,
        send_hour=8,
    )
    db.session.commit()
    run_enqueue()
    run_deliver()
    [email] = emails_to(smtp, world.innovator)
    text = body(email)
    assert all(f"T{n}: terlambat {n} hari" in text for n in (2, 5, 6))
    [summary] = outbox(kind="overdue", recipient_id=world.innovator.id, milestone_id=None)
    assert summary.status == "sent"


def _move(world):
    db.session.add(
        StageTransition(
            innovation_id=world.innovation.id,
            from_stage="creation",
            to_stage="development",
            actor_id=world.coordinator.id,
            reason="Gerbang lolos",
        )
    )
    db.session.commit()


def notices_now():
    enqueue_notices()
    db.session.commit()
    return run_deliver()


def test_notices_on_one_innovation_within_ten_minutes_become_one_email(monday, quiet, smtp):
    world = quiet
    monday.shift(timedelta(hours=1))  # the world's own notices went out an hour ago
    feedback_ops.give_feedback(world.innovation, author=world.mentor, body="Bagus, lanjutkan.")
    db.session.commit()
    notices_now()
    [first] = emails_to(smtp, world.innovator)
    assert subject(first) == f"{world.mentor.name} menulis masukan pada “{world.innovation.title}”"

    monday.shift(timedelta(minutes=2))
    _move(world)
    notices_now()
    monday.shift(timedelta(minutes=3))
    feedback_ops.give_feedback(world.innovation, author=world.mentor, body="Satu hal lagi.")
    db.session.commit()
    notices_now()
    assert len(emails_to(smtp, world.innovator)) == 1  # held: 10 minutes since the last
    # Another innovation's notices are not held by this one's.
    db.session.execute(
        innovation_members.insert().values(
            innovation_id=world.other_innovation.id, user_id=world.innovator.id
        )
    )
    feedback_ops.give_feedback(world.other_innovation, author=world.other_mentor, body="Halo")
    db.session.commit()
    notices_now()
    assert world.other_innovation.title in subject(emails_to(smtp, world.innovator)[-1])
    smtp.reset()

    monday.shift(timedelta(minutes=5, seconds=1))  # 10 minutes after the first went out
    notices_now()
    [second] = emails_to(smtp, world.innovator)
    assert subject(second) == f"2 kabar tentang “{world.innovation.title}”"
    text = body(second)
    assert "Pengembangan" in text and "Gerbang lolos" in text and "Satu hal lagi." in text
    monday.shift(timedelta(hours=1))
    notices_now()
    assert len(emails_to(smtp, world.innovator)) == 1  # each notice once


def test_feedback_reaches_the_team_and_replies_the_mentor_in_their_language(monday, quiet, smtp):
    world = quiet
    monday.shift(timedelta(hours=1))
    world.innovator.locale = "en"
    teammate = factories.make_user(Role.INNOVATOR, programme=world.programme, locale="id")
    db.session.execute(
        innovation_members.insert().values(innovation_id=world.innovation.id, user_id=teammate.id)
    )
    db.session.commit()
    notices_now()  # the newcomer hears who mentors the innovation
    monday.shift(timedelta(minutes=11))
    smtp.reset()
    given = feedback_ops.give_feedback(
        world.innovation, author=world.mentor, body="Tambahkan **data kunjungan** bulan lalu."
    )
    db.session.commit()
    notices_now()
    [english] = emails_to(smtp, world.innovator)
    assert subject(english) == f"{world.mentor.name} wrote feedback on “{world.innovation.title}”"
    assert "Tambahkan **data kunjungan** bulan lalu." in body(english)
    assert f"/feedback/{given.id}" in body(english)
    [indonesian] = emails_to(smtp, teammate)
    assert "menulis masukan" in subject(indonesian) and "Baca dan balas" in body(indonesian)
    assert emails_to(smtp, world.mentor) == []  # not told of what they did themselves

    monday.shift(timedelta(minutes=20))
    feedback_ops.reply_to_feedback(given, author=world.innovator, body="Sudah kami tambahkan.")
    db.session.commit()
    notices_now()
    [reply] = emails_to(smtp, world.mentor)
    assert (
        subject(reply) == f"{world.innovator.name} membalas masukan pada “{world.innovation.title}”"
    )
    assert "Sudah kami tambahkan." in body(reply)
    assert len(emails_to(smtp, world.innovator)) == 1  # the author of the reply hears nothing

    # Opt-outs are respected.
    db.session.add(NotificationOptOut(user_id=teammate.id, kind="feedback"))
    db.session.commit()
    monday.shift(timedelta(minutes=20))
    feedback_ops.give_feedback(world.innovation, author=world.mentor, body="Lagi.")
    db.session.commit()
    notices_now()
    assert len(emails_to(smtp, teammate)) == 1
    assert len(emails_to(smtp, world.innovator)) == 2


def test_password_resets_are_never_bundled_held_or_suppressed(time_machine, world, smtp):
    time_machine.move_to(at(2026, 3, 1, 21, 0), tick=False)  # Monday 05:00 WITA: before 08:00
    db.session.add_all(
        NotificationOptOut(user_id=world.innovator.id, kind=k) for k in ALL_KINDS if k != "due_1"
    )
    db.session.commit()
    milestone(world.innovation, date(2026, 3, 3), "Besok", world.innovator)
    run_enqueue()
    _move(world)
    notices_now()  # the team hears of the move ... but the innovator opted out of it
    request_password_reset(world.innovator.email)
    db.session.commit()
    run_deliver()
    kinds = [m["X-Incubator-Kind"] for m in emails_to(smtp, world.innovator)]
    assert kinds == ["password_reset"]  # at once; the daily email waits for 08:00
    assert [m.status for m in outbox(kind="daily_reminders", recipient_id=world.innovator.id)] == [
        "pending"
    ]


def test_the_weekly_digest_ends_with_and_n_more_linking_to_the_full_list(monday, world, smtp):
    world.coordinator.locale = "en"
    for n in range(12):
        milestone(world.innovation, date(2026, 2, 20), f"Late {n}", world.innovator)
    run_enqueue()
    run_deliver()
    [digest] = [
        m for m in emails_to(smtp, world.coordinator) if m["X-Incubator-Kind"] == "weekly_digest"
    ]
    text = body(digest)
    assert "Overdue milestones: 12" in text
    assert text.count("(" + world.innovation.title + "), due 20 Feb 2026") == 10
    more = f"and 2 more: http://incubator.test/programmes/{world.programme.slug}/board?overdue=1"
    assert more in text
    assert ">and 2 more</a>" in html(digest)


def test_retrying_a_failed_reminder_sends_its_days_email_again(monday, quiet, smtp):
    world = quiet
    milestone(world.innovation, date(2026, 3, 3), "Besok", world.innovator)
    milestone(world.innovation, date(2026, 3, 2), "Hari ini", world.innovator)
    run_enqueue()
    smtp.rcpt_reply = "550 5.1.1 No such user here"
    assert run_deliver().failed == 1
    items = outbox(recipient_id=world.innovator.id, kind="due_1")
    assert [m.status for m in items] == ["failed"]  # shown to coordinators as failed

    smtp.rcpt_reply = None
    retry_message(items[0], actor=world.coordinator)
    db.session.commit()
    assert run_deliver().sent == 1
    [email] = daily_to(smtp, world.innovator)
    assert "Besok: jatuh tempo besok" in body(email) and "Hari ini:" in body(email)
    today = [m for m in outbox(recipient_id=world.innovator.id) if m.next_attempt_at <= utcnow()]
    assert {m.status for m in today} == {"sent"}
