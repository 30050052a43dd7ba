"""Inviting people: one email with a single-use link valid 7 days, resend, revoke, copy."""

from datetime import timedelta

from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import (
    Invitation,
    Membership,
    OutboxMessage,
    ProgrammeEvent,
    User,
)
from tests import factories
from tests.integration.reminders.conftest import outbox, run_deliver

from .conftest import invitation_path, invite

PASSWORD = "my-own-long-secret"


def counts() -> tuple:
    return tuple(
        db.session.scalar(select(func.count()).select_from(model))
        for model in (User, Membership, Invitation, OutboxMessage, ProgrammeEvent)
    )


def events(programme) -> list[str]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(ProgrammeEvent.kind)
            .where(ProgrammeEvent.programme_id == programme.id)
            .order_by(ProgrammeEvent.id)
        )
    )


def choose_password(client, path, password=PASSWORD):
    return client.post(path, data={"password": password, "confirm": password})


def test_a_new_person_is_invited_sets_a_password_and_lands_on_the_board(
    app, client, world, login, smtp, time_machine
):
    time_machine.move_to("2026-03-02 01:00Z", tick=False)
    login(world.coordinator)
    response = invite(client, world.programme, capacity="3")
    assert response.status_code == 302
    user = db.session.scalar(select(User).where(User.email == "yohana@example.org"))
    assert not user.has_password and user.locale == "id"
    [message] = outbox(kind="invitation")
    assert message.context == {"invitation_id": message.context["invitation_id"], "send": 1}

    # The outbox page shows the message, never its link.
    outbox_page = client.get(f"/programmes/{world.programme.slug}/outbox")
    assert "yohana@example.org" in outbox_page.text and "/invitations/" not in outbox_page.text

    assert run_deliver().sent == 1
    [email] = smtp.messages
    assert email["Content-Language"] == "id"  # Indonesian by default
    assert world.programme.name in str(email["Subject"])
    assert email["List-Unsubscribe"] is None
    text = email.get_body(("plain",)).get_content()
    assert "9 Mar 2026 09.00 WITA" in text  # one date style, 24-hour, the zone named
    path = invitation_path(email)

    invitee = app.test_client()
    page = invitee.get(path + "?lang=en")
    assert page.status_code == 200 and "Join " + world.programme.name in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    landed = choose_password(invitee, path)
    assert landed.status_code == 302
    assert landed.headers["Location"] == f"/programmes/{world.programme.slug}/board"
    assert invitee.get(landed.headers["Location"]).status_code == 200
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert user.check_password(PASSWORD) and user.last_login_at is not None
    assert db.session.get(Invitation, message.context["invitation_id"]).status == "accepted"
    assert events(world.programme) == ["invited", "invitation_accepted"]

    reused = choose_password(app.test_client(), path + "?lang=en", "another-long-secret")
    assert reused.status_code == 410 and "already been used" in reused.text
    db.session.expire_all()
    assert db.session.get(User, user.id).check_password(PASSWORD)


def test_invitation_in_english_when_asked(client, world, login, smtp):
    login(world.coordinator)
    invite(client, world.programme, locale="en", role="mentor")
    run_deliver()
    [email] = smtp.messages
    assert email["Content-Language"] == "en"
    assert str(email["Subject"]).endswith(f"invites you to {world.programme.name}")


def test_duplicate_email_is_refused_and_nothing_is_written(client, world, login):
    login(world.coordinator)
    before = counts()
    response = client.post(
        f"/programmes/{world.programme.slug}/people/invite?lang=en",
        data={"name": "X", "email": world.mentor.email.upper(), "role": "mentor", "locale": "id"},
    )
    assert response.status_code == 422
    assert "is already in this programme" in response.text and 'id="email-error"' in response.text
    assert counts() == before


def test_bad_invite_input_is_refused_next_to_the_field(client, world, login):
    login(world.coordinator)
    before = counts()
    for data, field in (
        ({"email": "not-an-email"}, "email"),
        ({"name": ""}, "name"),
        ({"role": "admin"}, "role"),
        ({"role": "mentor", "capacity": "0"}, "capacity"),
        ({"agency_id": "99999999999999999999"}, "agency_id"),
    ):
        response = invite(client, world.programme, **data)
        assert response.status_code == 422, data
        assert f'id="{field}-error"' in response.text, data
    assert counts() == before


def test_an_existing_account_is_added_without_a_new_password(client, world, login, smtp):
    login(world.coordinator)
    hash_before = world.foreign_coordinator.password_hash
    response = invite(client, world.programme, email=world.foreign_coordinator.email, role="mentor")
    assert response.status_code == 302
    member = db.session.get(Membership, (world.programme.id, world.foreign_coordinator.id))
    assert member.role == "mentor"
    run_deliver()
    [email] = smtp.messages
    assert email["X-Incubator-Kind"] == "added_to_programme"
    assert "/invitations/" not in email.get_body(("plain",)).get_content()
    db.session.expire_all()
    assert db.session.get(User, world.foreign_coordinator.id).password_hash == hash_before
    assert events(world.programme) == ["member_added"]


def _invited(client, world, login, smtp):
    login(world.coordinator)
    invite(client, world.programme)
    run_deliver()
    invitation = db.session.scalar(select(Invitation))
    return invitation, invitation_path(smtp.messages[-1])


def test_resend_gives_a_new_link_and_refuses_the_old(app, client, world, login, smtp):
    invitation, old = _invited(client, world, login, smtp)
    url = f"/programmes/{world.programme.slug}/people/{invitation.user_id}/resend"
    assert client.post(url).status_code == 302
    run_deliver()
    new = invitation_path(smtp.messages[-1])
    assert new != old and len(smtp.messages) == 2
    assert app.test_client().get(old + "?lang=en").status_code == 410
    assert choose_password(app.test_client(), new).status_code == 302
    assert events(world.programme) == ["invited", "invitation_resent", "invitation_accepted"]


def test_an_unsent_older_email_is_not_sent_after_a_resend(client, world, login, smtp):
    login(world.coordinator)
    invite(client, world.programme)
    invitation = db.session.scalar(select(Invitation))
    client.post(f"/programmes/{world.programme.slug}/people/{invitation.user_id}/resend")
    result = run_deliver()
    assert (result.sent, result.voided) == (1, 1)
    assert [m.last_error for m in outbox(kind="invitation", status="void")] == ["replaced"]


def test_revoke_kills_the_link_and_the_pending_membership(app, client, world, login, smtp):
    invitation, path = _invited(client, world, login, smtp)
    url = f"/programmes/{world.programme.slug}/people/{invitation.user_id}/revoke"
    assert client.post(url).status_code == 302
    response = app.test_client().get(path + "?lang=en")
    assert response.status_code == 410 and "withdrawn" in response.text
    assert db.session.get(Membership, (world.programme.id, invitation.user_id)) is None


def test_copy_invitation_link_is_the_emailed_link_shown_to_the_coordinator(
    client, world, login, smtp
):
    invitation, path = _invited(client, world, login, smtp)
    url = f"/programmes/{world.programme.slug}/people/{invitation.user_id}/link"
    assert client.get(url).status_code == 405  # only on request (POST), never a plain page
    response = client.post(url)
    assert response.status_code == 200
    assert f'value="http://incubator.test{path}"' in response.text
    assert response.headers["Cache-Control"] == "no-store"
    assert "invitation_link_copied" in events(world.programme)
    person = client.get(f"/programmes/{world.programme.slug}/people/{invitation.user_id}")
    people = client.get(f"/programmes/{world.programme.slug}/people")
    for page in (person, people):
        assert path not in page.text and "/invitations/" not in page.text


def test_expired_and_tampered_invitation_links_are_refused(
    app, client, world, login, smtp, time_machine
):
    time_machine.move_to("2026-03-02 01:00Z", tick=False)
    invitation, path = _invited(client, world, login, smtp)
    head, _, token = path.rpartition("/")
    tampered = f"{head}/{token[:-2]}xx?lang=en"
    response = choose_password(app.test_client(), tampered)
    assert response.status_code == 400 and "not valid" in response.text
    time_machine.shift(timedelta(days=7, minutes=1))
    response = choose_password(app.test_client(), path + "?lang=en")
    assert response.status_code == 410 and "expired" in response.text
    db.session.expire_all()
    assert not db.session.get(User, invitation.user_id).has_password


def test_invited_person_cannot_log_in_or_reset_before_accepting(client, world, login, smtp):
    invitation, _path = _invited(client, world, login, smtp)
    client.post("/logout")
    response = client.post("/login", data={"email": "yohana@example.org", "password": ""})
    assert response.status_code == 422
    client.post("/forgot-password", data={"email": "yohana@example.org"})
    assert outbox(kind="password_reset") == []


def test_people_may_be_invited_by_coordinators_only(client, world, login):
    before = counts()
    for user in (world.innovator, world.mentor):
        login(user)
        assert invite(client, world.programme).status_code == 403
        client.post("/logout")
    login(world.foreign_coordinator)
    assert invite(client, world.programme).status_code == 404
    assert counts() == before
    assert factories.PASSWORD


def test_inviting_with_an_actor_loaded_long_ago_writes_everything_at_once(world):
    """The inviter's row may have expired (a commit earlier in the request): reading it
    must not flush a half-made invitation."""
    from incubator.pipeline import invitations as pipeline

    db.session.commit()  # expires every loaded object, the coordinator included
    invitee = pipeline.check_invitee(
        world.programme, pipeline.Invitee("Ana", "ana@example.org", "innovator"), agencies=set()
    )
    invitation = pipeline.invite(world.programme, invitee, actor=world.coordinator)
    assert invitation.invited_by_id == world.coordinator.id and invitation.sends == 1
