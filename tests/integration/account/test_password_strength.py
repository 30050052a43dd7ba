"""Every way to choose a password applies the strength rule and says why, in the
person's language: change, reset, invitation, and `users create`."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import User, utcnow
from incubator.pipeline import accounts
from incubator.pipeline.invitations import Invitee, invitation_token, invite
from tests import factories


def change(client, new, current=factories.PASSWORD):
    return client.post(
        "/account/password",
        data={"current_password": current, "new_password": new, "confirm": new},
    )


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("aaaaaaaaaa", "Karakter berulang"),
        ("sayang12345", "kata sandi paling umum di Indonesia"),
        ("bismillah2026", "kata sandi paling umum di Indonesia"),
        (factories.PASSWORD, "kata sandi Anda saat ini"),
    ],
)
def test_a_weak_or_unchanged_password_is_refused_with_the_reason(world, login, new, message):
    client = login(world.innovator)
    response = change(client, new)
    assert response.status_code == 422
    assert message in response.text
    db.session.expire_all()
    assert db.session.get(User, world.innovator.id).check_password(factories.PASSWORD)


def test_the_person_s_name_and_programme_are_words_to_avoid(world, login):
    world.innovator.name = "Yohana Bria"
    world.programme.name = "Inovasi Belu"
    db.session.commit()
    client = login(world.innovator)
    for new in ("YohanaBria1990", "inovasi-belu-2026"):
        response = change(client, new)
        assert response.status_code == 422
        assert "nama Anda, alamat email Anda, atau nama program" in response.text


def test_the_reason_is_in_english_for_an_english_reader(world, login):
    world.innovator.locale = "en"
    db.session.commit()
    response = change(login(world.innovator), "indonesia123")
    assert "one of the most common passwords in Indonesia" in response.text


def test_a_strong_new_password_is_accepted(world, login):
    response = change(login(world.innovator), "kopi-hujan-sepeda")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.innovator.id).check_password("kopi-hujan-sepeda")


def test_a_reset_link_refuses_a_common_password(world, client):
    token = accounts.reset_token(world.innovator, utcnow() + timedelta(hours=1))
    response = client.post(
        f"/reset-password/{token}", data={"password": "rahasia2026", "confirm": "rahasia2026"}
    )
    assert response.status_code == 422
    assert "kata sandi paling umum di Indonesia" in response.text
    db.session.expire_all()
    assert db.session.get(User, world.innovator.id).check_password(factories.PASSWORD)


def test_an_invitation_refuses_a_password_made_of_the_name(world, client):
    invitation = invite(
        world.programme,
        Invitee("Yohana Bria", "yohana@example.org", "innovator"),
        actor=world.coordinator,
    )
    db.session.commit()
    path = f"/invitations/{invitation_token(invitation)}"
    response = client.post(path, data={"password": "yohanabria77", "confirm": "yohanabria77"})
    assert response.status_code == 422
    assert "nama Anda, alamat email Anda, atau nama program" in response.text
    db.session.expire_all()
    assert not db.session.get(User, invitation.user_id).has_password
    ok = client.post(path, data={"password": "kopi-hujan-sepeda", "confirm": "kopi-hujan-sepeda"})
    assert ok.status_code == 302


def test_users_create_refuses_a_weak_password_and_says_why(app):
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--role", "mentor", "--email", "ana@example.org", "--name", "Ana"],
        input="sayang123456\nsayang123456\n",
    )
    assert result.exit_code != 0
    assert "most common passwords in Indonesia" in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0
