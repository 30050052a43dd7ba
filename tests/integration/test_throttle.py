"""Login and password-reset throttling: per address (generous, behind a trusted proxy the
client's own address) and per account (five failures in 15 minutes slow that account)."""

from datetime import timedelta

import pytest

from incubator.extensions import db
from incubator.models import Role
from tests import factories
from tests.conftest import make_app

WORKSHOP = 30
INSTANT = "2026-03-02 01:00Z"


@pytest.fixture
def throttled(database_url, time_machine):
    """An app with the production limits (RATELIMIT_ENABLED), the clock stopped so every
    request falls inside the same minute."""
    time_machine.move_to(INSTANT, tick=False)
    made = []

    def _app(**overrides):
        app = make_app(database_url, RATELIMIT_ENABLED=True, **overrides)
        made.append(app)
        return app

    yield _app
    for app in made:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def participants(world):
    people = [
        factories.make_user(Role.INNOVATOR, programme=world.programme, email=f"p{i}@example.org")
        for i in range(WORKSHOP)
    ]
    db.session.commit()
    return [p.email for p in people]


def log_in(client, email, password=factories.PASSWORD, **environ):
    return client.post(
        "/login?lang=en",
        data={"email": email, "password": password},
        environ_base=environ,
    )


def test_a_workshop_of_thirty_logs_in_from_one_address(throttled, participants):
    app = throttled()
    codes = [log_in(app.test_client(), email).status_code for email in participants]
    assert codes == [302] * WORKSHOP


@pytest.mark.parametrize("proxies", [1, 0])
def test_behind_a_trusted_proxy_each_client_has_its_own_address(throttled, participants, proxies):
    # A low per-address limit, so only the address decides: behind one trusted proxy
    # thirty forwarded addresses are thirty clients; untrusted, the header is ignored
    # and they are one (the proxy's), throttled after three.
    app = throttled(TRUSTED_PROXIES=proxies, LOGIN_RATE_LIMIT="3 per minute")
    codes = [
        log_in(
            app.test_client(),
            email,
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i + 1}",
        ).status_code
        for i, email in enumerate(participants)
    ]
    if proxies:
        assert codes == [302] * WORKSHOP
    else:
        assert codes == [302] * 3 + [429] * (WORKSHOP - 3)


def test_six_wrong_passwords_slow_that_account_and_nobody_else(throttled, world, time_machine):
    app = throttled()
    client = app.test_client()
    victim = world.innovator.email
    codes = [log_in(client, victim, "wrong-guess").status_code for _ in range(6)]
    assert codes == [422] * 5 + [429]

    refused = log_in(app.test_client(), victim)  # even the right password, for now
    assert refused.status_code == 429
    wait = int(refused.headers["Retry-After"])
    assert 890 <= wait <= 901
    assert "Please wait 15 minutes, then try again." in refused.text
    assert "/board" not in refused.headers.get("Location", "")

    # Same address, another account: in at once.
    assert log_in(app.test_client(), world.mentor.email).status_code == 302
    # Differently written, the same account.
    assert log_in(app.test_client(), "  " + victim.upper()).status_code == 429

    time_machine.shift(timedelta(seconds=wait))
    assert log_in(app.test_client(), victim).status_code == 302


def test_the_wait_is_said_in_the_readers_language(throttled, world):
    app = throttled(LOGIN_ACCOUNT_RATE_LIMIT="1 per 15 minutes")
    client = app.test_client()
    client.post("/login", data={"email": world.innovator.email, "password": "wrong-guess"})
    response = client.post(
        "/login", data={"email": world.innovator.email, "password": factories.PASSWORD}
    )
    assert response.status_code == 429
    assert 'lang="id"' in response.text
    assert "Tunggu 15 menit" in response.text


def test_successful_logins_do_not_count_against_the_account(throttled, world):
    app = throttled()
    codes = [log_in(app.test_client(), world.innovator.email).status_code for _ in range(8)]
    assert codes == [302] * 8


def ask_reset(client, email):
    return client.post("/forgot-password?lang=en", data={"email": email})


def test_reset_requests_are_limited_per_account_not_per_room(throttled, participants):
    app = throttled()
    # The whole workshop forgot its passwords, from one address: all are answered.
    codes = [ask_reset(app.test_client(), email).status_code for email in participants]
    assert codes == [200] * WORKSHOP
    # One account asked for again and again is slowed, whoever asks.
    codes = [ask_reset(app.test_client(), participants[0]).status_code for _ in range(5)]
    assert codes == [200] * 4 + [429]
    assert ask_reset(app.test_client(), "nobody@example.org").status_code == 200
