"""A reminder is due at 08:00 in the recipient's own time zone (WIB, WITA, WIT), on its day."""

from datetime import UTC, date, datetime

from incubator.extensions import db
from incubator.models import Role
from tests import factories

from .conftest import add_to_team, outbox, run_deliver, run_enqueue


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def people(world):
    """A teammate in each Indonesian zone; the Makassar one relies on the programme's zone."""
    zones = {"jakarta": "Asia/Jakarta", "makassar": None, "jayapura": "Asia/Jayapura"}
    team = {}
    for name, zone in zones.items():
        user = factories.make_user(Role.INNOVATOR, programme=world.programme, timezone=zone)
        add_to_team(world.innovation, user)
        team[name] = user
    return team


def arrived(messages) -> list[str]:
    return [m["To"].addresses[0].addr_spec for m in messages]


def test_each_recipient_gets_it_at_0800_local_across_the_utc_date_line(time_machine, world, smtp):
    # Sunday 1 March 2026, 22:30 UTC: Monday 05:30 in Jakarta, 06:30 Makassar, 07:30 Jayapura.
    time_machine.move_to(at(2026, 3, 1, 22, 30), tick=False)
    team = people(world)
    factories.make_milestone(world.innovation, due_date=date(2026, 3, 3), title="Uji coba")
    db.session.commit()
    run_enqueue()
    mine = {u.id for u in team.values()}
    due = {
        m.recipient_id: m.next_attempt_at for m in outbox(kind="due_1") if m.recipient_id in mine
    }
    assert due == {
        team["jayapura"].id: at(2026, 3, 1, 23, 0),  # 08:00 WIT (UTC+9), still Sunday in UTC
        team["makassar"].id: at(2026, 3, 2, 0, 0),  # 08:00 WITA (UTC+8)
        team["jakarta"].id: at(2026, 3, 2, 1, 0),  # 08:00 WIB (UTC+7)
    }
    # The emails carrying them: each person's daily bundle, due at the same instants.
    bundles = {}
    for m in outbox(kind="daily_reminders"):  # Monday's, and Tuesday's for "due today"
        bundles[m.recipient_id] = min(
            m.next_attempt_at, bundles.get(m.recipient_id, m.next_attempt_at)
        )
    assert {who: bundles[who] for who in due} == due
    smtp.reset()
    run_deliver()
    assert [m for m in smtp.messages if m["X-Incubator-Kind"] == "daily_reminders"] == []

    expected = []
    for moment, who in [
        (at(2026, 3, 1, 23, 1), "jayapura"),
        (at(2026, 3, 2, 0, 1), "makassar"),
        (at(2026, 3, 2, 1, 1), "jakarta"),
    ]:
        time_machine.move_to(moment, tick=False)
        run_enqueue()  # as the scheduler would: nothing new
        run_deliver()
        expected.append(team[who].email)
        reminders = [m for m in smtp.messages if m["X-Incubator-Kind"] == "daily_reminders"]
        assert [to for to in arrived(reminders) if to != world.innovator.email] == expected


def test_the_same_date_is_today_in_jayapura_and_still_tomorrow_in_jakarta(
    time_machine, world, smtp
):
    # 16:30 UTC: Sunday 23:30 in Jakarta, already Monday 01:30 in Jayapura.
    time_machine.move_to(at(2026, 3, 1, 16, 30), tick=False)
    team = people(world)
    milestone = factories.make_milestone(world.innovation, due_date=date(2026, 3, 2))
    db.session.commit()
    run_enqueue()
    jakarta = {m.kind for m in outbox(recipient_id=team["jakarta"].id, milestone_id=milestone.id)}
    jayapura = {m.kind for m in outbox(recipient_id=team["jayapura"].id, milestone_id=milestone.id)}
    assert "due_1" in jakarta  # Sunday in Jakarta: due tomorrow
    assert "due_1" not in jayapura  # Monday in Jayapura: that day has passed
    [today] = outbox(kind="due_today", recipient_id=team["jayapura"].id)
    assert today.next_attempt_at == at(2026, 3, 1, 23, 0)  # Monday 08:00 WIT

    smtp.reset()
    run_deliver()  # Jakarta's "due tomorrow" is late today (08:00 WIB passed): it goes now
    assert (team["jakarta"].email, "daily_reminders") in {
        (m["To"].addresses[0].addr_spec, m["X-Incubator-Kind"]) for m in smtp.messages
    }
    milestone_mail = [m for m in smtp.messages if m["X-Incubator-Kind"] == "daily_reminders"]
    assert team["jayapura"].email not in arrived(milestone_mail)


def test_the_programme_zone_applies_when_the_user_has_none(time_machine, world):
    time_machine.move_to(at(2026, 3, 2, 0, 30), tick=False)
    world.programme.timezone = "Asia/Jakarta"
    factories.make_milestone(
        world.innovation, due_date=date(2026, 3, 3), owner_id=world.innovator.id
    )
    db.session.commit()
    run_enqueue()
    [message] = outbox(kind="due_1")
    assert message.next_attempt_at == at(2026, 3, 2, 1, 0)  # 08:00 WIB
