"""Renaming, merging and deleting a shared agency: for organisers only."""

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import Agency, Innovation
from incubator.pipeline.agencies import add_agency
from tests.integration.places.conftest import settings_url


@pytest.fixture
def agencies(world, places):
    """Two agencies of Belu taking part; the world's innovation belongs to the first."""
    typo = add_agency(world.programme, name="Dinkes Belu", region_id=places.belu.id, actor=None)
    right = add_agency(
        world.programme, name="Dinas Kesehatan", region_id=places.belu.id, actor=None
    )
    world.innovation.agency_id = typo.id
    db.session.commit()
    return typo, right


def _url(world, agency, action=""):
    return settings_url(world.programme, f"agencies/{agency.id}{action}")


@pytest.mark.parametrize(
    ("method", "action"),
    [("get", ""), ("post", "/rename"), ("post", "/merge"), ("post", "/delete")],
)
def test_a_coordinator_who_is_not_an_organiser_is_refused(
    client, world, as_, agencies, method, action
):
    as_(world.coordinator)
    response = getattr(client, method)(_url(world, agencies[0], action), data={"name": "X"})
    assert response.status_code == 403
    assert db.session.get(Agency, agencies[0].id).name == "Dinkes Belu"


def test_an_organiser_renames(client, world, as_, agencies):
    world.coordinator.is_organiser = True
    db.session.commit()
    as_(world.coordinator)
    page = client.get(settings_url(world.programme)).get_data(as_text=True)
    assert _url(world, agencies[0]) in page  # the "Manage" link
    assert client.get(_url(world, agencies[0])).status_code == 200
    response = client.post(_url(world, agencies[0], "/rename"), data={"name": "Dinas Kesehatan"})
    assert response.status_code == 422
    assert "merge them instead" in response.get_data(as_text=True)
    response = client.post(_url(world, agencies[0], "/rename"), data={"name": "Dinkes Kab. Belu"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Agency, agencies[0].id).name == "Dinkes Kab. Belu"


def test_an_organiser_merges_and_the_innovations_follow(client, world, as_, agencies):
    typo, right = agencies
    typo_id, right_id, innovation_id = typo.id, right.id, world.innovation.id
    world.coordinator.is_organiser = True
    db.session.commit()
    as_(world.coordinator)
    response = client.post(_url(world, typo, "/merge"), data={"target_id": right_id})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Agency, typo_id) is None
    assert db.session.get(Innovation, innovation_id).agency_id == right_id


def test_an_agency_with_innovations_is_never_deleted(client, world, as_, agencies):
    typo, right = agencies
    right_id = right.id
    world.coordinator.is_organiser = True
    db.session.commit()
    as_(world.coordinator)
    response = client.post(_url(world, typo, "/delete"))
    assert response.status_code == 422
    assert "never deleted" in response.get_data(as_text=True)
    assert db.session.scalar(select(Agency.id).where(Agency.id == typo.id)) == typo.id
    assert client.post(_url(world, right, "/delete")).status_code == 302
    assert db.session.scalar(select(Agency.id).where(Agency.id == right_id)) is None


def test_an_agency_out_of_the_programmes_places_is_not_found(client, world, places, as_):
    alor = add_agency(world.foreign_programme, name="Bappeda", region_id=places.belu.id, actor=None)
    alor.region_id = places.alor.id  # another region, taking part only elsewhere
    db.session.commit()
    world.coordinator.is_organiser = True
    db.session.commit()
    as_(world.coordinator)
    assert client.get(_url(world, alor)).status_code == 404
