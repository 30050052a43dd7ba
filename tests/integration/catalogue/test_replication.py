"""Replicate this: the copy, its link to the original, the counts, and the notice."""

from sqlalchemy import select

from incubator.catalogue.queries import catalogue_ref
from incubator.extensions import db
from incubator.models import Innovation, Milestone, OutboxMessage, Role
from incubator.reminders.delivery import deliver
from tests import factories
from tests.integration.catalogue.conftest import fresh, publish


def _original(world):
    """A published innovation of the programme the world's people are not in."""
    owner = factories.make_user(Role.INNOVATOR, programme=world.foreign_programme, name="Ani Owner")
    original = factories.make_innovation(
        world.foreign_programme,
        owner=owner,
        title="Antrian Puskesmas",
        summary="Nomor antrian daring.",
        problem="Antrian tiga jam.",
        stage="institutionalisation",
    )
    keep = factories.make_milestone(original, stage="creation", title="Survei kepuasan")
    skip = factories.make_milestone(original, stage="development", title="Sosialisasi radio")
    publish(original)
    db.session.commit()
    return original, owner, keep, skip


def _replicate(client, original, programme_id, milestones, title="Antrian Puskesmas Belu"):
    return client.post(
        f"/katalog/{catalogue_ref(original)}/replicate",
        data={"programme_id": str(programme_id), "title": title, "milestone_ids": milestones},
    )


def test_a_coordinator_starts_a_linked_innovation_in_creation(world, as_, client):
    original, owner, keep, skip = _original(world)
    as_(world.coordinator)
    form = client.get(f"/katalog/{catalogue_ref(original)}/replicate").get_data(as_text=True)
    assert "Survei kepuasan" in form and "Sosialisasi radio" in form
    response = _replicate(client, original, world.programme.id, [str(keep.id)])
    assert response.status_code == 302
    copy = db.session.scalars(
        select(Innovation).where(Innovation.replicates_id == original.id)
    ).one()
    assert copy.programme_id == world.programme.id and copy.stage == "creation"
    assert not copy.is_proposal and copy.title == "Antrian Puskesmas Belu"
    assert (copy.summary, copy.problem) == ("Nomor antrian daring.", "Antrian tiga jam.")
    titles = set(
        db.session.scalars(select(Milestone.title).where(Milestone.innovation_id == copy.id))
    )
    assert "Survei kepuasan" in titles and "Sosialisasi radio" not in titles

    # The original's public page counts it (not listed: the copy is not public yet) ...
    client.post("/logout")
    page = client.get(f"/katalog/{catalogue_ref(original)}").get_data(as_text=True)
    assert "Replicated 1 time" in page and "Antrian Puskesmas Belu" not in page
    # ... and lists it, linked, once it is published itself; the copy links back.
    publish(fresh(Innovation, copy.id))
    db.session.commit()
    page = client.get(f"/katalog/{catalogue_ref(original)}").get_data(as_text=True)
    assert f'href="/katalog/{catalogue_ref(copy)}">Antrian Puskesmas Belu</a>' in page
    page = client.get(f"/katalog/{catalogue_ref(copy)}").get_data(as_text=True)
    assert f'href="/katalog/{catalogue_ref(original)}">Antrian Puskesmas</a>' in page
    listing = client.get("/katalog").get_data(as_text=True)
    assert "Replicated 1 time" in listing
    # The original's own page (inside its programme) counts it as well.
    as_(world.foreign_coordinator)
    inside = client.get(f"/innovations/{original.id}").get_data(as_text=True)
    assert "Replicated by" in inside and "1 innovation" in inside

    # Its owner and its programme's coordinators are told, once each.
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "replicated"))
    assert sorted(m.recipient_id for m in messages) == sorted(
        [owner.id, world.foreign_coordinator.id]
    )
    db.session.commit()
    assert deliver().sent == 2  # rendered in each recipient's language and sent
    statuses = db.session.scalars(
        select(OutboxMessage.status).where(OutboxMessage.kind == "replicated")
    ).all()
    assert statuses == ["sent", "sent"]


def test_an_innovator_replicates_through_a_proposal(world, as_, client):
    original, _owner, keep, _skip = _original(world)
    as_(world.innovator)
    response = _replicate(client, original, world.programme.id, [str(keep.id)])
    assert response.status_code == 302
    copy = db.session.scalars(
        select(Innovation).where(Innovation.replicates_id == original.id)
    ).one()
    assert copy.is_proposal and copy.owner_id == world.innovator.id
    assert copy.programme_id == world.programme.id
    page = client.get(f"/innovations/{copy.id}").get_data(as_text=True)
    assert f'href="/katalog/{catalogue_ref(original)}">Antrian Puskesmas</a>' in page
    as_(world.coordinator)
    proposals = client.get(f"/programmes/{world.programme.slug}/proposals").get_data(as_text=True)
    assert "Antrian Puskesmas Belu" in proposals


def test_who_may_replicate_and_where(world, as_, client):
    original, *_ = _original(world)
    url = f"/katalog/{catalogue_ref(original)}/replicate"
    assert client.get(url).status_code == 302  # to the login page
    as_(world.mentor)
    assert client.get(url).status_code == 403
    page = client.get(f"/katalog/{catalogue_ref(original)}").get_data(as_text=True)
    assert "Replicate this" not in page
    as_(world.coordinator)
    assert "Replicate this" in client.get(f"/katalog/{catalogue_ref(original)}").get_data(
        as_text=True
    )
    # A programme the person does not coordinate or innovate in: refused, nothing written.
    response = _replicate(client, original, world.foreign_programme.id, [])
    assert response.status_code == 422
    assert "Not a valid choice" in response.get_data(as_text=True) or "Choose one of your" in (
        response.get_data(as_text=True)
    )
    assert _replicate(client, original, world.programme.id, [], title="").status_code == 422
    assert (
        db.session.scalar(select(Innovation.id).where(Innovation.replicates_id == original.id))
        is None
    )
    # Only published innovations can be replicated.
    assert client.get(f"/katalog/{catalogue_ref(world.innovation)}/replicate").status_code == 404


def test_the_dashboard_counts_replications_per_programme(world, as_, client):
    original = world.foreign_innovation
    factories.make_innovation(world.programme, replicates_id=original.id)
    factories.make_innovation(world.programme, replicates_id=original.id)
    factories.make_innovation(world.foreign_programme, replicates_id=world.innovation.id)
    db.session.commit()

    def line(coordinator, programme):
        as_(coordinator)
        page = client.get(f"/programmes/{programme.slug}/dashboard?lang=en").get_data(as_text=True)
        client.post("/logout")
        return page.split('id="replication-line"', 1)[1].split("</p>", 1)[0]

    own = line(world.coordinator, world.programme)
    assert "innovations: 1." in own and "copy another: 2." in own
    foreign = line(world.foreign_coordinator, world.foreign_programme)
    assert "innovations: 2." in foreign and "copy another: 1." in foreign
