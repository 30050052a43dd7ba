"""Enqueue writes the reminders of DESIGN section 3 into the outbox, once."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import delete, func, select

from incubator.extensions import db
from incubator.models import (
    InnovationState,
    NotificationOptOut,
    OutboxMessage,
    ReminderRule,
    Role,
    StageTransition,
    utcnow,
)
from incubator.pipeline.reminder_rules import DEFAULT_RULES, ensure_default_rules
from tests import factories

from .conftest import TODAY, add_to_team, due_in, keys, outbox, run_enqueue

MILESTONE_KINDS = ("due_7", "due_1", "due_today", "overdue")


def milestone_keys(milestone_id=None) -> set[str]:
    found = set()
    for kind in MILESTONE_KINDS:
        found |= {k for k in keys(kind=kind, status="pending")}
    if milestone_id is not None:
        found = {k for k in found if k.split(":")[1] == str(milestone_id)}
    return found


def test_every_programme_gets_the_default_rules_once(monday, world):
    db.session.execute(delete(ReminderRule))
    assert ensure_default_rules() == len(DEFAULT_RULES) * 2  # two programmes in the world
    assert ensure_default_rules() == 0
    rules = {
        r.kind: r
        for r in db.session.scalars(
            select(ReminderRule).where(ReminderRule.programme_id == world.programme.id)
        )
    }
    assert (rules["due_7"].offset_days, rules["due_1"].offset_days) == (7, 1)
    assert (rules["overdue"].repeat_every_days, rules["overdue"].max_repeats) == (3, 5)
    assert (rules["weekly_digest"].weekday, rules["weekly_digest"].send_hour) == (0, 8)
    assert all(rule.enabled for rule in rules.values())
    assert {rule.started_on for rule in rules.values()} == {TODAY}  # for the quiet start


@pytest.mark.parametrize(
    ("days", "kind"), [(7, "due_7"), (1, "due_1"), (0, "due_today"), (-1, "overdue")]
)
def test_a_reminder_on_its_day_for_owner_and_team(monday, world, days, kind):
    teammate = factories.make_user(Role.INNOVATOR, programme=world.programme)
    add_to_team(world.innovation, teammate)
    milestone = due_in(world, days)
    run_enqueue()
    sent_today = [m for m in outbox(kind=kind) if m.next_attempt_at.date() == TODAY]
    assert {m.recipient_id for m in sent_today} == {world.innovator.id, teammate.id}
    message = sent_today[0]
    assert message.milestone_id == milestone.id
    assert message.due_date == milestone.due_date
    assert message.programme_id == world.programme.id
    assert message.status == "pending"
    expected_offset = 1 if kind == "overdue" else days
    assert message.dedupe_key == (
        f"{kind}:{milestone.id}:{milestone.due_date}:{expected_offset}:{message.recipient_id}"
    )


def test_no_reminder_on_other_days(monday, world):
    for days in (8, 5, 2, -2, -3):
        due_in(world, days)
    run_enqueue()
    today = {
        m.dedupe_key
        for kind in MILESTONE_KINDS
        for m in outbox(kind=kind)
        if m.next_attempt_at.date() <= TODAY
    }
    assert today == set()


def test_overdue_repeats_every_three_days_five_times_then_tells_mentors(monday, world):
    """Overdue by 1, 4, 7, 10, 13 days; mentors only when more than 7 days late."""
    by_lateness = {late: due_in(world, -late) for late in range(0, 18)}
    run_enqueue()
    today = [m for m in outbox(kind="overdue") if m.next_attempt_at.date() == TODAY]
    late_days = {m.context["offset"] for m in today}
    assert late_days == {1, 4, 7, 10, 13}
    for message in today:
        assert message.milestone_id == by_lateness[message.context["offset"]].id
    mentors = {m.context["offset"] for m in today if m.recipient_id == world.mentor.id}
    assert mentors == {10, 13}


def test_done_milestones_and_inactive_innovations_get_nothing(monday, world):
    done = due_in(world, 1, progress=100, done_at=utcnow())
    paused = factories.make_innovation(
        world.programme, owner=world.innovator, state=InnovationState.ON_HOLD
    )
    factories.make_milestone(paused, due_date=TODAY, owner_id=world.innovator.id)
    db.session.commit()
    run_enqueue()
    assert milestone_keys() == set()
    assert done.id


def test_running_twice_writes_nothing_new(monday, world):
    for days in (7, 1, 0, -1, -10):
        due_in(world, days)
    first = run_enqueue()
    assert first.reminders > 0 and first.notices > 0
    count = db.session.scalar(select(func.count(OutboxMessage.id)))
    second = run_enqueue()
    assert (second.reminders, second.digests, second.notices) == (0, 0, 0)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == count


def test_two_enqueuers_at_once_write_each_message_once(monday, app, world):
    for days in (7, 1, 0, -1, -4, -10):
        due_in(world, days)
    expected_app = app
    barrier = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with expected_app.app_context():
                barrier.wait(timeout=10)
                result = run_enqueue()
                results.append(result.written + result.bundles)
                db.session.remove()
        except Exception as error:  # reported below, not swallowed
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    total = db.session.scalar(select(func.count(OutboxMessage.id)))
    assert sum(results) == total
    assert total == len({m.dedupe_key for m in outbox()})
    assert run_enqueue().written == 0
    # One email a person and day carries them: never two for the same day.
    days = [m.dedupe_key for m in outbox(kind="daily_reminders")]
    assert days and len(days) == len(set(days))


def test_moving_a_due_date_voids_the_old_reminders_and_makes_the_new_ones_due(monday, world):
    milestone = due_in(world, 1)  # due tomorrow: "due_1" today, "due_today" tomorrow
    run_enqueue()
    old = milestone_keys(milestone.id)
    assert any(k.startswith("due_1:") for k in old)

    milestone.due_date = TODAY + timedelta(days=7)
    db.session.commit()
    result = run_enqueue()
    assert result.voided == len(old)
    voided = outbox(status="void")
    assert {m.last_error for m in voided} == {"no_longer_due"}
    new = milestone_keys(milestone.id)
    assert new == {f"due_7:{milestone.id}:{TODAY + timedelta(days=7)}:7:{world.innovator.id}"}

    # Moving it back makes the first date's reminders due again (their keys were freed).
    milestone.due_date = TODAY + timedelta(days=1)
    db.session.commit()
    run_enqueue()
    assert milestone_keys(milestone.id) == old


def test_finishing_a_milestone_voids_its_pending_reminders(monday, world):
    milestone = due_in(world, 0)  # "due_today" now, "overdue" queued for tomorrow
    run_enqueue()
    assert milestone_keys(milestone.id)
    milestone.progress, milestone.done_at = 100, utcnow()
    db.session.commit()
    run_enqueue()
    assert milestone_keys(milestone.id) == set()


def test_opted_out_kinds_are_not_enqueued(monday, world):
    db.session.add(NotificationOptOut(user_id=world.innovator.id, kind="due_1"))
    db.session.commit()
    due_in(world, 1)
    due_in(world, 7)
    run_enqueue()
    kinds = {m.kind for m in outbox(recipient_id=world.innovator.id, status="pending")}
    assert "due_1" not in kinds and "due_7" in kinds


def test_a_switched_off_rule_sends_nothing_of_its_kind(monday, world):
    ensure_default_rules()
    rule = db.session.scalar(
        select(ReminderRule).filter_by(programme_id=world.programme.id, kind="due_7")
    )
    rule.enabled = False
    db.session.commit()
    due_in(world, 7)
    run_enqueue()
    assert outbox(kind="due_7") == []


def test_an_edited_offset_changes_the_day(monday, world):
    ensure_default_rules()
    rule = db.session.scalar(
        select(ReminderRule).filter_by(programme_id=world.programme.id, kind="due_7")
    )
    rule.offset_days = 3
    db.session.commit()
    due_in(world, 7)
    in_three = due_in(world, 3)
    run_enqueue()
    assert {m.milestone_id for m in outbox(kind="due_7")} == {in_three.id}


def test_weekly_digest_on_monday_for_coordinators_and_assigned_mentors(monday, world):
    idle_mentor = factories.make_user(Role.MENTOR, programme=world.programme)
    db.session.commit()
    result = run_enqueue()
    digests = outbox(kind="weekly_digest")
    assert result.digests == len(digests)
    recipients = {m.recipient_id for m in digests if m.programme_id == world.programme.id}
    assert recipients == {world.coordinator.id, world.mentor.id, world.other_mentor.id}
    assert idle_mentor.id not in recipients
    assert {m.due_date for m in digests} == {TODAY}
    assert all(m.next_attempt_at.date() == TODAY for m in digests)


def test_no_digest_on_other_days(monday, world):
    monday.move_to(monday_plus(days=2))
    run_enqueue()
    assert outbox(kind="weekly_digest") == []


def monday_plus(days: int):
    from .conftest import MONDAY_0900_WITA

    return MONDAY_0900_WITA + timedelta(days=days)


def test_stage_moves_and_mentor_assignments_become_notices(monday, world):
    run_enqueue()
    assigned = outbox(kind="mentor_assigned", innovation_id=world.innovation.id)
    # The mentor and the innovator hear of it; the coordinator who assigned does not.
    assert {m.recipient_id for m in assigned} == {world.mentor.id, world.innovator.id}

    db.session.add_all(
        [
            StageTransition(
                innovation_id=world.innovation.id,
                from_stage=None,
                to_stage="creation",
                actor_id=world.coordinator.id,
            ),
            StageTransition(
                innovation_id=world.innovation.id,
                from_stage="creation",
                to_stage="development",
                actor_id=world.coordinator.id,
            ),
        ]
    )
    db.session.commit()
    run_enqueue()
    moved = outbox(kind="stage_moved")
    assert {m.recipient_id for m in moved} == {world.innovator.id, world.mentor.id}
    transition_id = moved[0].context["transition_id"]
    assert db.session.get(StageTransition, transition_id).from_stage == "creation"
    assert all(m.dedupe_key.startswith(f"stage_moved:{transition_id}:") for m in moved)
    assert all(m.next_attempt_at <= utcnow() for m in moved)


def test_old_events_are_not_announced(monday, world):
    db.session.add(
        StageTransition(
            innovation_id=world.innovation.id,
            from_stage="creation",
            to_stage="development",
            created_at=utcnow() - timedelta(days=3),
        )
    )
    db.session.commit()
    monday.shift(timedelta(days=2))
    run_enqueue()
    assert outbox(kind="stage_moved") == []
    assert outbox(kind="mentor_assigned") == []


def test_enqueue_is_set_based(monday, world, count_queries):
    """The number of statements does not grow with the number of milestones."""
    due_in(world, 1)
    with count_queries() as few:
        run_enqueue()
    for i in range(40):
        due_in(world, i % 9 - 2)
    with count_queries() as many:
        run_enqueue()
    assert len(many) <= len(few)
