"""The regions and agencies pages: who may use them, what they save, what they refuse."""

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import Agency
from incubator.pipeline.agencies import add_agency, participant_ids
from incubator.pipeline.regions import programme_region_ids
from tests import factories
from tests.integration.places.conftest import settings_url

PAGES = [
    ("get", "regions"),
    ("post", "regions"),
    ("get", "agencies"),
    ("post", "agencies"),
    ("post", "agencies/participants"),
    ("get", "agencies/import"),
    ("post", "agencies/import"),
    ("post", "agencies/import/confirm"),
]


@pytest.mark.parametrize(("method", "page"), PAGES)
def test_innovators_and_mentors_are_refused(client, world, places, as_, method, page):
    for user in (world.innovator, world.mentor):
        as_(user)
        response = getattr(client, method)(settings_url(world.programme, page))
        assert response.status_code == 403, (user.role, page)


@pytest.mark.parametrize(("method", "page"), PAGES)
def test_another_programmes_coordinator_finds_nothing(client, world, places, as_, method, page):
    as_(world.foreign_coordinator)
    response = getattr(client, method)(settings_url(world.programme, page))
    assert response.status_code == 404


def test_ticking_regencies_and_cities(client, world, places, as_):
    as_(world.coordinator)
    page = client.get(settings_url(world.programme, "regions")).get_data(as_text=True)
    assert page.count('name="regions"') == 22
    assert "Kabupaten Kupang" in page and "Kota Kupang" in page and "53.71" in page
    ticked = [places.kab_kupang.id, places.kota_kupang.id]
    response = client.post(settings_url(world.programme, "regions"), data={"regions": ticked})
    assert response.status_code == 302
    assert programme_region_ids(world.programme.id) == set(ticked)


def test_a_region_of_another_province_is_refused(client, world, places, as_):
    from incubator.pipeline.regions import region_by_code

    jakarta = region_by_code("31.71")
    as_(world.coordinator)
    response = client.post(settings_url(world.programme, "regions"), data={"regions": [jakarta.id]})
    assert response.status_code == 422
    assert programme_region_ids(world.programme.id) == {places.kota_kupang.id, places.belu.id}


def test_adding_an_agency(client, world, places, as_):
    as_(world.coordinator)
    url = settings_url(world.programme)
    response = client.post(url, data={"name": "Bappeda", "region_id": places.belu.id})
    assert response.status_code == 302
    agency = db.session.scalar(select(Agency).where(Agency.name == "Bappeda"))
    assert participant_ids(world.programme.id) == {agency.id}
    response = client.post(url, data={"name": "  ", "region_id": places.belu.id})
    assert response.status_code == 422
    assert "Enter the agency&#39;s name." in response.get_data(as_text=True)
    response = client.post(url, data={"name": "Dinas Sosial", "region_id": places.alor.id})
    assert response.status_code == 422  # Alor is not ticked


def test_choosing_participants_keeps_agencies_with_innovations(client, world, places, as_):
    p = world.programme
    used = add_agency(p, name="Bappeda", region_id=places.belu.id, actor=None)
    other = add_agency(
        world.foreign_programme, name="Dinas Sosial", region_id=places.belu.id, actor=None
    )
    world.innovation.agency_id = used.id
    db.session.commit()
    as_(world.coordinator)
    page = client.get(settings_url(p)).get_data(as_text=True)
    assert "Dinas Sosial" in page  # shared: offered to this programme too
    url = settings_url(p, "agencies/participants")
    response = client.post(url, data={"agencies": [used.id, other.id]})
    assert response.status_code == 302
    assert participant_ids(p.id) == {used.id, other.id}
    response = client.post(url, data={"agencies": [other.id]})
    assert response.status_code == 422
    assert "Bappeda has innovations in this programme" in response.get_data(as_text=True)
    assert participant_ids(p.id) == {used.id, other.id}


def test_the_agencies_page_runs_a_fixed_number_of_queries(
    client, world, places, as_, count_queries
):
    as_(world.coordinator)
    counts = []
    for n in (1, 10):
        for i in range(n - (1 if counts else 0)):
            agency = add_agency(
                world.programme, name=f"Dinas {n}-{i}", region_id=places.belu.id, actor=None
            )
            factories.make_innovation(world.programme, agency_id=agency.id)
        db.session.commit()
        with count_queries() as statements:
            assert client.get(settings_url(world.programme)).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
