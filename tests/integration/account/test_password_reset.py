"""Forgot password: a single-use link valid one hour, by email through the outbox."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import NotificationOptOut, OutboxMessage, User
from incubator.pipeline.reminder_rules import ALL_KINDS
from tests import factories
from tests.conftest import make_app
from tests.integration.reminders.conftest import outbox, run_deliver

NEW_PASSWORD = "a-fresh-long-secret"


def ask(client, email: str, lang: str = "en"):
    return client.post(f"/forgot-password?lang={lang}", data={"email": email})


def link_in(message) -> str:
    text = message.get_body(("plain",)).get_content()
    [link] = re.findall(r"http://incubator\.test/reset-password/[\w.-]+", text)
    return link.removeprefix("http://incubator.test")


def reset(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"password": password, "confirm": password})


def logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def count_messages() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_login_page_links_to_forgot_password(client):
    assert "Forgot password?" in client.get("/login?lang=en").text
    assert "Lupa kata sandi?" in client.get("/login?lang=id").text


def test_reset_link_arrives_in_the_users_language_works_once_and_ends_sessions(
    app, client, world, smtp, time_machine
):
    time_machine.move_to("2026-03-02 01:00Z", tick=False)
    world.innovator.locale = "en"
    world.innovator.timezone = "Asia/Jayapura"
    # Switching every reminder off does not stop a reset email.
    db.session.add_all(NotificationOptOut(user_id=world.innovator.id, kind=k) for k in ALL_KINDS)
    db.session.commit()
    other_session = app.test_client()
    factories_login(other_session, world.innovator)

    answer = ask(client, world.innovator.email.upper())
    assert answer.status_code == 200
    assert "a link to choose a new password is on its way" in answer.text
    [queued] = outbox(kind="password_reset")
    assert queued.recipient_id == world.innovator.id
    assert set(queued.context) == {"expires_at"}  # the link itself is stored nowhere

    assert run_deliver().sent == 1
    [email] = smtp.messages
    assert email["Subject"] == "Reset your Incubator password"
    assert email["Content-Language"] == "en"
    assert email["List-Unsubscribe"] is None  # asked for, not subscribed to
    text = email.get_body(("plain",)).get_content()
    assert "works once, for 60 minutes, until 2 Mar 2026, 11:00 WIT" in text
    path = link_in(email)

    page = client.get(path + "?lang=en")
    assert page.status_code == 200 and world.innovator.email in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"

    short = reset(client, path, "short")
    assert short.status_code == 422 and 'id="password-error"' in short.text

    done = reset(client, path)
    assert done.status_code == 302 and done.headers["Location"] == "/"
    assert logged_in(client)
    assert not logged_in(other_session)  # the other session has ended
    db.session.expire_all()
    user = db.session.get(User, world.innovator.id)
    assert user.check_password(NEW_PASSWORD)
    hash_after = user.password_hash

    again = reset(client, path + "?lang=en", "yet-another-secret")
    assert again.status_code == 410
    assert "already been used" in again.text
    db.session.expire_all()
    assert db.session.get(User, world.innovator.id).password_hash == hash_after


def factories_login(client, user) -> None:
    response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302


def test_indonesian_email_by_default(client, world, smtp):
    ask(client, world.mentor.email)
    run_deliver()
    [email] = smtp.messages
    assert email["Content-Language"] == "id"
    assert "kata sandi" in str(email["Subject"]).lower()
    assert "Halo" in email.get_body(("plain",)).get_content()


def test_unknown_and_known_addresses_get_the_same_answer(client, world, time_machine):
    time_machine.move_to("2026-03-02 01:00Z", tick=False)  # the CSRF token carries the time
    known = ask(client, world.innovator.email).text.replace(world.innovator.email, "EMAIL")
    unknown = ask(client, "nobody@example.org").text.replace("nobody@example.org", "EMAIL")
    assert known == unknown
    assert [m.recipient_id for m in outbox(kind="password_reset")] == [world.innovator.id]


def test_deactivated_accounts_get_no_email_and_an_empty_form_is_a_422(client, world):
    world.mentor.active = False
    db.session.commit()
    assert ask(client, world.mentor.email).status_code == 200
    assert ask(client, "").status_code == 422
    assert count_messages() == 0


def test_one_email_per_account_in_two_minutes(client, world, time_machine):
    time_machine.move_to("2026-03-02 01:00Z", tick=False)
    for _ in range(3):
        ask(client, world.innovator.email)
    assert len(outbox(kind="password_reset")) == 1
    time_machine.shift(timedelta(minutes=3))
    ask(client, world.innovator.email)
    assert len(outbox(kind="password_reset")) == 2


def test_forgot_password_is_throttled(database_url, world):
    app = make_app(database_url, RATELIMIT_ENABLED=True, RESET_RATE_LIMIT="2 per minute")
    client = app.test_client()
    codes = [ask(client, f"someone{i}@example.org").status_code for i in range(3)]
    assert codes == [200, 200, 429]
    with app.app_context():
        db.engine.dispose()  # this second app's own connections


def _issue_link(client, world, smtp) -> str:
    ask(client, world.innovator.email)
    run_deliver()
    return link_in(smtp.messages[-1])


def test_an_expired_link_is_refused_and_nothing_changes(client, world, smtp, time_machine):
    time_machine.move_to("2026-03-02 01:00Z", tick=False)
    path = _issue_link(client, world, smtp)
    time_machine.shift(timedelta(minutes=61))
    for response in (client.get(path + "?lang=en"), reset(client, path + "?lang=en")):
        assert response.status_code == 410 and "The link has expired." in response.text
    db.session.expire_all()
    assert db.session.get(User, world.innovator.id).check_password(factories.PASSWORD)


@pytest.mark.parametrize("where", ["signature", "payload"])
def test_a_tampered_link_is_refused(client, world, smtp, where):
    path = _issue_link(client, world, smtp)
    head, _, token = path.rpartition("/")
    payload, signature = token.split(".")
    if where == "signature":
        token = payload + "." + signature[::-1]
    else:
        token = payload[::-1] + "." + signature
    response = reset(client, f"{head}/{token}?lang=en")
    assert response.status_code == 400
    assert "The link is not valid" in response.text
    db.session.expire_all()
    assert db.session.get(User, world.innovator.id).check_password(factories.PASSWORD)


def test_a_link_for_another_purpose_is_refused(client, world):
    from datetime import UTC, datetime

    from incubator.pipeline import tokens

    token = tokens.issue(
        tokens.Purpose.INVITATION,
        world.innovator.id,
        expires_at=datetime.now(UTC) + timedelta(hours=1),
        bound_to=world.innovator.password_hash,
    )
    assert client.get(f"/reset-password/{token}").status_code == 400
