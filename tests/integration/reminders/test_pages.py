"""The reminder pages: rules, outbox, notification settings, one-click unsubscribe."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import (
    ActivityEntry,
    NotificationOptOut,
    OutboxMessage,
    ReminderRule,
    User,
    utcnow,
)
from incubator.pipeline import tokens
from incubator.pipeline.reminder_rules import ensure_default_rules
from incubator.pipeline.tokens import Purpose, TokenError
from incubator.reminders.tokens import make_token, read_token
from tests.conftest import make_app

from .conftest import due_in, outbox, run_deliver, run_enqueue


def rule(world, kind) -> ReminderRule:
    db.session.expire_all()
    return db.session.scalar(
        select(ReminderRule).filter_by(programme_id=world.programme.id, kind=kind)
    )


def rules_url(world, programme=None):
    return f"/programmes/{(programme or world.programme).slug}/settings/reminders"


# --- rules -----------------------------------------------------------------


def test_coordinator_sees_the_default_rules(client, world, login):
    login(world.coordinator)
    response = client.get(rules_url(world) + "?lang=en")
    assert response.status_code == 200
    for text in ("Due in a week", "Overdue", "Weekly digest", "Stage moved", "08:00"):
        assert text in response.text
    assert rule(world, "overdue").max_repeats == 5


@pytest.mark.parametrize(
    ("who", "status"), [("innovator", 403), ("mentor", 403), ("foreign_coordinator", 404)]
)
def test_only_the_programmes_coordinators_edit_rules(client, world, login, who, status):
    login(getattr(world, who))
    assert client.get(rules_url(world)).status_code == status
    response = client.post(rules_url(world) + "/due_7", data={"due_7-offset_days": "3"})
    assert response.status_code == status


def test_saving_a_rule(client, world, login):
    login(world.coordinator)
    response = client.post(
        rules_url(world) + "/overdue",
        data={
            "overdue-enabled": "y",
            "overdue-offset_days": "2",
            "overdue-repeat_every_days": "4",
            "overdue-max_repeats": "3",
            "overdue-send_hour": "7",
        },
    )
    assert response.status_code == 302
    saved = rule(world, "overdue")
    assert (saved.offset_days, saved.repeat_every_days, saved.max_repeats, saved.send_hour) == (
        2,
        4,
        3,
        7,
    )
    entry = db.session.scalar(select(ActivityEntry).filter_by(verb="reminder_rule_changed"))
    assert entry.details["kind"] == "overdue" and entry.actor_id == world.coordinator.id


def test_switching_a_rule_off_with_htmx_returns_the_fragment(client, world, login):
    login(world.coordinator)
    response = client.post(
        rules_url(world) + "/stage_moved?lang=en",
        data={},  # an unticked checkbox sends nothing
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="rule-stage_moved"' in response.text
    assert "Saved." in response.text
    assert rule(world, "stage_moved").enabled is False


@pytest.mark.parametrize(
    ("kind", "data", "field"),
    [
        ("due_7", {"due_7-offset_days": "-3", "due_7-send_hour": "8"}, "due_7-offset_days"),
        (
            "overdue",
            {
                "overdue-offset_days": "1",
                "overdue-repeat_every_days": "0",
                "overdue-max_repeats": "5",
                "overdue-send_hour": "8",
            },
            "overdue-repeat_every_days",
        ),
        ("due_1", {"due_1-offset_days": "abc", "due_1-send_hour": "8"}, "due_1-offset_days"),
        ("due_1", {"due_1-offset_days": "1", "due_1-send_hour": "24"}, "due_1-send_hour"),
    ],
)
def test_bad_rule_values_are_refused_next_to_the_field(client, world, login, kind, data, field):
    login(world.coordinator)
    ensure_default_rules()
    db.session.commit()
    before = {c: getattr(rule(world, kind), c) for c in ("offset_days", "send_hour", "enabled")}
    response = client.post(rules_url(world) + f"/{kind}?lang=en", data=data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert 'aria-invalid="true"' in response.text
    after = {c: getattr(rule(world, kind), c) for c in ("offset_days", "send_hour", "enabled")}
    assert after == before


def test_a_negative_offset_is_refused_by_htmx_too(client, world, login):
    login(world.coordinator)
    ensure_default_rules()
    db.session.commit()
    response = client.post(
        rules_url(world) + "/due_7?lang=en",
        data={"due_7-enabled": "y", "due_7-offset_days": "-1", "due_7-send_hour": "8"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 422
    assert "Enter a whole number from 1 to 60." in response.text
    assert "<html" not in response.text
    assert rule(world, "due_7").offset_days == 7


def test_an_unknown_kind_is_404(client, world, login):
    login(world.coordinator)
    response = client.post(rules_url(world) + "/due_never?lang=en", data={})
    assert response.status_code == 404
    assert "Unknown reminder kind." in response.text
    assert db.session.scalar(select(func.count(ActivityEntry.id))) == 0


# --- outbox ----------------------------------------------------------------


def failed_message(world) -> OutboxMessage:
    message = OutboxMessage(
        dedupe_key="due_7:test",
        kind="due_7",
        recipient_id=world.innovator.id,
        programme_id=world.programme.id,
        innovation_id=world.innovation.id,
        status="failed",
        attempts=8,
        last_error="550 5.1.1 No such user",
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.commit()
    return message


def test_coordinator_reads_the_outbox_by_status(monday, client, world, login, count_queries):
    due_in(world, 1, title="Uji coba lapangan")
    run_enqueue()
    failed_message(world)
    login(world.coordinator)
    url = f"/programmes/{world.programme.slug}/outbox"
    response = client.get(url + "?lang=en")
    assert response.status_code == 200
    assert "Uji coba lapangan" in response.text and "Due tomorrow" in response.text
    failed = client.get(url + "?status=failed&lang=en")
    assert "550 5.1.1 No such user" in failed.text and "Send again" in failed.text
    run_deliver()
    assert "Uji coba lapangan" in client.get(url + "?status=sent").text

    with count_queries() as few:
        client.get(url)
    for days in range(2, 30):
        due_in(world, -days)
    run_enqueue()
    with count_queries() as many:
        client.get(url)
    assert len(many) == len(few)  # no query per row


def test_outbox_is_for_coordinators_of_the_programme(client, world, login):
    url = f"/programmes/{world.programme.slug}/outbox"
    login(world.innovator)
    assert client.get(url).status_code == 403
    client.post("/logout")
    login(world.foreign_coordinator)
    assert client.get(url).status_code == 404


def test_an_unknown_status_is_400(client, world, login):
    login(world.coordinator)
    response = client.get(f"/programmes/{world.programme.slug}/outbox?status=lost&lang=en")
    assert response.status_code == 400 and "Unknown status." in response.text


def test_retrying_a_failed_message(client, world, login, smtp):
    message = failed_message(world)
    login(world.coordinator)
    url = f"/programmes/{world.programme.slug}/outbox/{message.id}/retry"
    response = client.post(url)
    assert response.status_code == 302
    [again] = outbox(id=message.id)
    assert (again.status, again.attempts, again.last_error) == ("pending", 0, None)
    assert again.next_attempt_at <= utcnow()
    entry = db.session.scalar(select(ActivityEntry).filter_by(verb="outbox_message_retried"))
    assert entry.details["last_error"] == "550 5.1.1 No such user"

    response = client.post(url + "?lang=en")
    assert response.status_code == 409
    assert "Only a message that failed can be sent again." in response.text


def test_retry_refuses_others_and_foreign_messages(client, world, login):
    message = failed_message(world)
    login(world.innovator)
    url = f"/programmes/{world.programme.slug}/outbox/{message.id}/retry"
    assert client.post(url).status_code == 403
    client.post("/logout")
    login(world.foreign_coordinator)
    foreign = f"/programmes/{world.foreign_programme.slug}/outbox/{message.id}/retry"
    assert client.post(foreign).status_code == 404
    assert outbox(id=message.id)[0].status == "failed"


# --- notification settings ---------------------------------------------------


def test_user_sets_time_zone_and_switches_kinds_off(client, world, login):
    login(world.innovator)
    page = client.get("/account/notifications?lang=en")
    assert page.status_code == 200
    assert "Asia/Jayapura" in page.text and "Programme default (Asia/Makassar)" in page.text
    assert "Europe/Amsterdam" in page.text
    kinds = [
        "due_1",
        "due_today",
        "overdue",
        "weekly_digest",
        "mentor_assigned",
        "stage_moved",
        "feedback",
        "feedback_reply",
        "competition_deadline",
    ]
    response = client.post(
        "/account/notifications", data={"timezone": "Asia/Jayapura", "kinds": kinds}
    )
    assert response.status_code == 302
    user = db.session.get(User, world.innovator.id)
    db.session.refresh(user)
    assert user.timezone == "Asia/Jayapura"
    off = set(db.session.scalars(select(NotificationOptOut.kind).filter_by(user_id=user.id)))
    assert off == {"due_7"}

    response = client.post("/account/notifications", data={"timezone": "", "kinds": ["due_7"]})
    assert response.status_code == 302
    db.session.refresh(user)
    assert user.timezone is None
    off = set(db.session.scalars(select(NotificationOptOut.kind).filter_by(user_id=user.id)))
    assert off == set(kinds)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"timezone": "Asia/Atlantis"}, "timezone", "Choose a time zone from the list."),
        ({"timezone": "../../etc/passwd"}, "timezone", "Choose a time zone from the list."),
        (
            {"timezone": "Asia/Jakarta", "kinds": ["due_7", "sms"]},
            "kinds",
            "Unknown reminder kind.",
        ),
    ],
)
def test_bad_settings_are_refused_and_nothing_changes(client, world, login, data, field, message):
    login(world.innovator)
    response = client.post("/account/notifications?lang=en", data=data)
    assert response.status_code == 422
    assert message in response.text and f'id="{field}-error"' in response.text
    user = db.session.get(User, world.innovator.id)
    db.session.refresh(user)
    assert user.timezone is None
    assert db.session.scalar(select(func.count(NotificationOptOut.id))) == 0


def test_switching_a_kind_off_cancels_what_is_queued(monday, client, world, login):
    due_in(world, 7)
    run_enqueue()
    assert outbox(kind="due_7", status="pending")
    login(world.innovator)
    kinds = [
        "due_1",
        "due_today",
        "overdue",
        "weekly_digest",
        "mentor_assigned",
        "stage_moved",
        "feedback",
        "feedback_reply",
    ]
    client.post("/account/notifications", data={"timezone": "", "kinds": kinds})
    assert outbox(kind="due_7", status="pending") == []
    assert [m.last_error for m in outbox(kind="due_7")] == ["opted_out"]


# --- one-click unsubscribe ----------------------------------------------------


def test_unsubscribe_link_shows_a_confirmation_then_unsubscribes(client, world):
    token = make_token(world.innovator, "overdue")
    page = client.get(f"/unsubscribe/{token}?lang=en")
    assert page.status_code == 200 and "Stop receiving “Overdue” emails?" in page.text
    assert db.session.scalar(select(func.count(NotificationOptOut.id))) == 0
    done = client.post(f"/unsubscribe/{token}?lang=en")
    assert done.status_code == 200 and "no longer receive “Overdue” emails" in done.text
    again = client.post(f"/unsubscribe/{token}")
    assert again.status_code == 200
    kinds = list(db.session.scalars(select(NotificationOptOut.kind)))
    assert kinds == ["overdue"]


@pytest.mark.parametrize("mangle", [lambda t: t[:-2] + "xx", lambda t: "x" + t, lambda t: "abc"])
def test_a_tampered_token_is_400_and_changes_nothing(client, world, mangle):
    token = mangle(make_token(world.innovator, "overdue"))
    for method in (client.get, client.post):
        response = method(f"/unsubscribe/{token}?lang=en")
        assert response.status_code == 400
        assert "This unsubscribe link is not valid." in response.text
    assert db.session.scalar(select(func.count(NotificationOptOut.id))) == 0


def test_a_token_for_an_unknown_kind_is_refused(client, world):
    token = make_token(world.innovator, "sms")
    assert client.post(f"/unsubscribe/{token}").status_code == 400


def test_one_click_post_needs_no_csrf_token(database_url, world):
    token = make_token(world.innovator, "due_7")
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post(f"/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    # Everything else still needs the token.
    assert client.post("/login", data={}).status_code == 400
    with app.app_context():
        db.engine.dispose()
    kinds = list(db.session.scalars(select(NotificationOptOut.kind)))
    assert kinds == ["due_7"]


def test_an_unsubscribe_link_is_valid_for_60_days(client, world):
    sent = datetime(2026, 3, 1, 8, tzinfo=UTC)
    token = make_token(world.innovator, "overdue", now=sent)
    with time_machine.travel(sent + timedelta(days=59, hours=23), tick=False):
        assert client.get(f"/unsubscribe/{token}?lang=en").status_code == 200
    with time_machine.travel(sent + timedelta(days=60, minutes=1), tick=False):
        for method in (client.get, client.post):
            response = method(f"/unsubscribe/{token}?lang=en")
            assert response.status_code == 410
            assert "This unsubscribe link has expired." in response.text
    assert db.session.scalar(select(func.count(NotificationOptOut.id))) == 0


def test_a_token_made_for_another_use_is_refused(client, world):
    """Each use signs with its own salt: a reset or invitation link unsubscribes nobody,
    and an unsubscribe link resets no password."""
    expires = utcnow() + timedelta(days=1)
    reset = tokens.issue(
        Purpose.PASSWORD_RESET, world.innovator.id, expires_at=expires, bound_to="x", data="overdue"
    )
    assert client.post(f"/unsubscribe/{reset}").status_code == 400
    with pytest.raises(TokenError, match="invalid"):
        read_token(reset)
    unsubscribe = make_token(world.innovator, "overdue")
    for purpose in (Purpose.PASSWORD_RESET, Purpose.INVITATION):
        with pytest.raises(TokenError, match="invalid"):
            tokens.check(purpose, unsubscribe, lambda _: world.innovator.email)
    assert client.get(f"/reset-password/{unsubscribe}").status_code == 400
    assert db.session.scalar(select(func.count(NotificationOptOut.id))) == 0


def test_a_link_sent_to_an_old_address_stops_working(client, world):
    token = make_token(world.innovator, "overdue")
    world.innovator.email = "new-address@example.org"
    db.session.commit()
    assert client.post(f"/unsubscribe/{token}").status_code == 400


def test_the_unsubscribe_page_sends_no_referrer(client, world):
    token = make_token(world.innovator, "overdue")
    assert client.get(f"/unsubscribe/{token}").headers["Referrer-Policy"] == "no-referrer"


def test_navigation_links(client, world, login):
    login(world.coordinator)
    board = client.get(f"/programmes/{world.programme.slug}/board?lang=en").text
    assert rules_url(world) in board and f"/programmes/{world.programme.slug}/outbox" in board
    assert 'href="/account"' in board  # the profile, with the notification settings
    client.post("/logout")
    login(world.innovator)
    board = client.get(f"/programmes/{world.programme.slug}/board").text
    assert rules_url(world) not in board and 'href="/account"' in board
