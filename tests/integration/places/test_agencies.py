"""Agency operations: shared agencies, each programme's participants, curation rules."""

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import Agency, Innovation, Membership
from incubator.pipeline import DomainError
from incubator.pipeline.agencies import (
    add_agency,
    delete_agency,
    merge_agencies,
    participant_ids,
    remove_participant,
    rename_agency,
    set_participants,
)
from tests import factories


def test_a_coordinator_adds_an_agency_or_finds_the_existing_one(world, places):
    p, other = world.programme, world.foreign_programme
    health = add_agency(p, name="  Dinas  Kesehatan ", region_id=places.belu.id, actor=None)
    assert health.name == "Dinas Kesehatan" and participant_ids(p.id) == {health.id}
    # Shared: the other programme gets the same agency, whatever the case.
    same = add_agency(other, name="dinas kesehatan", region_id=places.belu.id, actor=None)
    assert same.id == health.id and participant_ids(other.id) == {health.id}
    # Same name, another place: another agency.
    city = add_agency(p, name="Dinas Kesehatan", region_id=places.kota_kupang.id, actor=None)
    assert city.id != health.id


@pytest.mark.parametrize(
    ("name", "region", "field"),
    [(" ", "belu", "name"), ("x" * 201, "belu", "name"), ("Bappeda", "alor", "region_id")],
)
def test_bad_agencies_are_refused(world, places, name, region, field):
    region_id = getattr(places, region).id
    with pytest.raises(DomainError) as refused:
        add_agency(world.programme, name=name, region_id=region_id, actor=None)
    assert refused.value.field == field
    assert db.session.scalar(select(Agency.id)) is None


def test_participation_ends_only_when_no_innovation_of_the_programme_uses_it(world, places):
    p = world.programme
    used = add_agency(p, name="Bappeda", region_id=places.belu.id, actor=None)
    idle = add_agency(p, name="Dinas Sosial", region_id=places.belu.id, actor=None)
    world.innovation.agency_id = used.id
    db.session.flush()
    with force_locale("en"), pytest.raises(DomainError, match="Bappeda has innovations"):
        set_participants(p, {idle.id}, actor=None)
    remove_participant(p, idle, actor=None)
    assert participant_ids(p.id) == {used.id}
    assert db.session.get(Agency, idle.id) is not None  # only the participation went


def test_participants_must_be_in_the_programmes_places(world, places):
    alor = factories.make_agency(places.alor.id, "Dinas Kesehatan Alor")
    with pytest.raises(DomainError):
        set_participants(world.programme, {alor.id}, actor=None)


def test_rename_refuses_a_name_taken_in_the_same_region(world, places):
    p = world.programme
    a = add_agency(p, name="Dinkes", region_id=places.belu.id, actor=None)
    add_agency(p, name="Dinas Kesehatan", region_id=places.belu.id, actor=None)
    with force_locale("en"), pytest.raises(DomainError, match="merge them instead"):
        rename_agency(a, "dinas kesehatan", actor=None)
    rename_agency(a, "Dinas Kesehatan dan KB", actor=None)
    assert a.name == "Dinas Kesehatan dan KB"


def test_merge_moves_innovations_and_participations_then_deletes(world, places):
    p, other = world.programme, world.foreign_programme
    typo = add_agency(p, name="Dinkes Belu", region_id=places.belu.id, actor=None)
    add_agency(other, name="Dinkes Belu", region_id=places.belu.id, actor=None)
    right = add_agency(p, name="Dinas Kesehatan", region_id=places.belu.id, actor=None)
    world.innovation.agency_id = typo.id
    world.foreign_innovation.agency_id = typo.id
    member = db.session.get(Membership, (p.id, world.innovator.id))
    member.agency_id = typo.id
    db.session.flush()
    version = world.innovation.version

    assert merge_agencies(typo, right, actor=None) == 2
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Agency, typo.id) is None
    moved = db.session.get(Innovation, world.innovation.id)
    assert moved.agency_id == right.id and moved.version == version + 1
    assert db.session.get(Innovation, world.foreign_innovation.id).agency_id == right.id
    assert participant_ids(p.id) == {right.id} and participant_ids(other.id) == {right.id}
    assert db.session.get(Membership, (p.id, world.innovator.id)).agency_id == right.id
    with pytest.raises(DomainError):
        merge_agencies(right, right, actor=None)


def test_an_agency_with_innovations_is_never_deleted(world, places):
    used = add_agency(world.programme, name="Bappeda", region_id=places.belu.id, actor=None)
    world.foreign_innovation.agency_id = used.id  # another programme's innovation
    db.session.flush()
    with force_locale("en"), pytest.raises(DomainError, match="never deleted"):
        delete_agency(used, actor=None)
    idle = add_agency(world.programme, name="Dinas Sosial", region_id=places.belu.id, actor=None)
    delete_agency(idle, actor=None)
    db.session.commit()
    assert db.session.get(Agency, idle.id) is None
    assert participant_ids(world.programme.id) == {used.id}
