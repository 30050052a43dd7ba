"""An outbox message opens: its rendered text, status and attempts; an invitation
(a secret link) is shown without its link."""

from sqlalchemy import select

from incubator.extensions import db
from incubator.models import OutboxMessage
from incubator.pipeline.invitations import Invitee, invite

from .conftest import due_in, outbox, run_enqueue


def page(client, world, message):
    return client.get(f"/programmes/{world.programme.slug}/outbox/{message.id}?lang=en")


def test_a_reminder_opens_with_its_text_status_and_attempts(monday, client, world, login):
    due_in(world, 1, title="Uji coba lapangan")
    run_enqueue()
    [message] = outbox(kind="due_1")
    login(world.coordinator)
    listing = client.get(f"/programmes/{world.programme.slug}/outbox?lang=en").text
    assert f'href="/programmes/{world.programme.slug}/outbox/{message.id}"' in listing
    response = page(client, world, message)
    assert response.status_code == 200
    assert "Uji coba lapangan" in response.text  # the rendered email
    assert "Attempts" in response.text and "Pending" in response.text
    assert "/unsubscribe/" not in response.text  # a one-click link is not for others


def test_an_invitation_is_shown_without_its_secret_link(client, world, login):
    invite(
        world.programme,
        Invitee(name="Dewi Lestari", email="dewi@example.org", role="innovator"),
        actor=world.coordinator,
    )
    db.session.commit()
    message = db.session.scalars(select(OutboxMessage).filter_by(kind="invitation")).one()
    login(world.coordinator)
    response = page(client, world, message)
    assert response.status_code == 200
    assert "Dewi Lestari" in response.text and "[link hidden]" in response.text
    body = response.text.split('class="outbox-text', 1)[1].split("</pre>", 1)[0]
    assert "http://" not in body and "https://" not in body


def test_only_the_programmes_coordinators_open_a_message(monday, client, world, login):
    due_in(world, 1)
    run_enqueue()
    [message] = outbox(kind="due_1")
    login(world.innovator)
    assert page(client, world, message).status_code == 403
    client.post("/logout")
    login(world.foreign_coordinator)
    assert page(client, world, message).status_code == 404
    client.post("/logout")
    login(world.coordinator)
    assert client.get(f"/programmes/{world.programme.slug}/outbox/999999").status_code == 404
