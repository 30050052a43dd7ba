"""The security log: logins (success and failure, with address), logouts, password
changes, resets and first passwords; organisers read it on a page and in the CLI."""

from datetime import timedelta

from sqlalchemy import select

from incubator.extensions import db
from incubator.models import SecurityEvent, utcnow
from incubator.pipeline import accounts, security_log
from incubator.pipeline.invitations import Invitee, invitation_token, invite
from tests import factories


def entries() -> list[tuple]:
    db.session.expire_all()
    rows = db.session.scalars(select(SecurityEvent).order_by(SecurityEvent.id))
    return [(e.kind, e.user_id, e.email, e.address) for e in rows]


def post_login(client, email, password=factories.PASSWORD, address="203.0.113.7"):
    return client.post(
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_logins_failures_and_logouts_are_recorded_with_the_address(world, client):
    user = world.innovator
    assert post_login(client, "nobody@example.org").status_code == 422
    assert post_login(client, user.email, "wrong-password-here").status_code == 422
    assert post_login(client, user.email).status_code == 302
    client.post("/logout", environ_base={"REMOTE_ADDR": "203.0.113.7"})
    assert entries() == [
        ("login_failed", None, "nobody@example.org", "203.0.113.7"),
        ("login_failed", user.id, user.email, "203.0.113.7"),
        ("login_succeeded", user.id, user.email, "203.0.113.7"),
        ("logout", user.id, user.email, "203.0.113.7"),
    ]


def test_a_deactivated_account_logging_in_is_a_failure(world, client):
    world.mentor.active = False
    db.session.commit()
    assert post_login(client, world.mentor.email).status_code == 422
    assert entries() == [("login_failed", world.mentor.id, world.mentor.email, "203.0.113.7")]


def test_password_change_reset_and_invitation_are_recorded(app, world, client, login):
    login(world.innovator)
    client.post(
        "/account/password",
        data={
            "current_password": factories.PASSWORD,
            "new_password": "kopi-hujan-sepeda",
            "confirm": "kopi-hujan-sepeda",
        },
    )
    other = app.test_client()  # not logged in
    token = accounts.reset_token(world.mentor, utcnow() + timedelta(hours=1))
    other.post(
        f"/reset-password/{token}",
        data={"password": "sepeda-hujan-kopi", "confirm": "sepeda-hujan-kopi"},
    )
    invitation = invite(
        world.programme,
        Invitee("Yohana Bria", "yohana@example.org", "innovator"),
        actor=world.coordinator,
    )
    db.session.commit()
    other.post(
        f"/invitations/{invitation_token(invitation)}",
        data={"password": "layar-tanjung-merah", "confirm": "layar-tanjung-merah"},
    )
    kinds = [(kind, user_id) for kind, user_id, _, _ in entries() if kind.startswith("password")]
    assert kinds == [
        ("password_changed", world.innovator.id),
        ("password_reset", world.mentor.id),
        ("password_set", invitation.user_id),
    ]


def test_organisers_read_the_log_newest_first_page_by_page(world, client, login):
    world.coordinator.is_organiser = True
    for n in range(security_log.PAGE_SIZE + 5):
        security_log.record("login_failed", email=f"guess{n}@example.org", address="198.51.100.9")
    db.session.commit()
    login(world.coordinator)
    first = client.get("/security-log?lang=en")
    assert first.status_code == 200
    text = first.text
    newest = text.index("guess54@example.org")  # the coordinator's own login is newer still
    assert text.index("Logged in") < newest < text.index("guess10@example.org")
    assert "guess3@example.org" not in text and "Older" in text
    older = client.get(
        "/security-log?lang=id&before=" + text.split("before=")[1].split('"')[0]
    ).text
    assert "guess3@example.org" in older and "Gagal masuk" in older and "Log keamanan" in older


def test_people_who_are_not_organisers_may_not_read_the_log(world, client, login):
    for person in (world.coordinator, world.innovator, world.mentor):
        client.post("/logout")
        login(person)
        assert client.get("/security-log").status_code == 403
    client.post("/logout")
    assert client.get("/security-log").status_code == 302  # to the login page


def test_the_cli_prints_the_log(app, world):
    security_log.record("login_failed", email="guess@example.org", address="198.51.100.9")
    security_log.record("login_succeeded", user=world.mentor, address="10.0.0.2")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["security-log", "--limit", "5"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert (
        "login_succeeded" in lines[0] and world.mentor.email in lines[0] and "10.0.0.2" in lines[0]
    )
    assert "login_failed" in lines[1] and "guess@example.org" in lines[1]
