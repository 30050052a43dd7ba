"""Importing agencies in the browser's way: upload, preview, confirm; nothing on a bad row."""

import io
import re
import time

from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import Agency
from incubator.pipeline.agencies import participant_ids
from tests import factories
from tests.integration.places.conftest import settings_url

GOOD = b"Nama OPD,Wilayah\nDinas Kesehatan,53.71\nBappeda,Kabupaten Belu\n"
BAD = GOOD + b"Dinas Sosial,Kupang\n,53.04\n"


def _upload(client, world, data: bytes, name="agencies.csv"):
    return client.post(
        settings_url(world.programme, "agencies/import"),
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def _token(page: str) -> str:
    return re.search(r'name="token" type="hidden" value="([^"]+)"', page).group(1)


def _agencies() -> int:
    return db.session.scalar(select(func.count(Agency.id)))


def test_a_bad_file_lists_each_row_and_imports_nothing(client, world, places, as_):
    as_(world.coordinator)
    response = _upload(client, world, BAD)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "2 rows have a problem" in page
    assert "Kabupaten Kupang (53.01)" in page and "Kota Kupang (53.71)" in page
    assert "The agency name is empty." in page
    assert 'name="token"' not in page  # nothing to confirm
    assert _agencies() == 0


def test_a_good_file_is_imported_on_confirmation_only(client, world, places, as_):
    as_(world.coordinator)
    response = _upload(client, world, GOOD)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 new agencies" in page and _agencies() == 0
    token = _token(page)
    confirm = settings_url(world.programme, "agencies/import/confirm")
    response = client.post(confirm, data={"token": token})
    assert response.status_code == 302
    assert _agencies() == 2 and len(participant_ids(world.programme.id)) == 2
    # Confirming the same preview again adds nothing.
    assert client.post(confirm, data={"token": token}).status_code == 302
    assert _agencies() == 2


def test_a_row_that_went_bad_since_the_preview_stops_the_import(client, world, places, as_):
    as_(world.coordinator)
    token = _token(_upload(client, world, GOOD).get_data(as_text=True))
    client.post(settings_url(world.programme, "regions"), data={"regions": []})  # untick Belu
    response = client.post(
        settings_url(world.programme, "agencies/import/confirm"), data={"token": token}
    )
    assert response.status_code == 422
    assert "Kabupaten Belu does not take part" in response.get_data(as_text=True)
    assert _agencies() == 0


def test_a_tampered_or_foreign_token_imports_nothing(client, world, places, as_):
    as_(world.coordinator)
    token = _token(_upload(client, world, GOOD).get_data(as_text=True))
    confirm = settings_url(world.programme, "agencies/import/confirm")
    response = client.post(confirm, data={"token": token[:-2] + "xx"})
    assert response.status_code == 400
    assert "Upload the file again" in response.get_data(as_text=True)
    # Another coordinator of the same programme cannot confirm this one's preview.
    second = factories.make_user("coordinator", programme=world.programme)
    db.session.commit()
    as_(second)
    assert client.post(confirm, data={"token": token}).status_code == 400
    assert _agencies() == 0


def test_a_file_that_is_not_a_table_is_refused(client, world, places, as_):
    as_(world.coordinator)
    response = _upload(client, world, b"hello", name="agencies.pdf")
    assert response.status_code == 422
    assert "Upload a CSV or XLSX file." in response.get_data(as_text=True)
    response = _upload(client, world, b"PK\x03\x04 broken", name="agencies.xlsx")
    assert response.status_code == 422
    assert "The XLSX file cannot be read." in response.get_data(as_text=True)


def test_a_preview_left_for_more_than_an_hour_expires(client, world, places, as_):
    import time_machine

    as_(world.coordinator)
    token = _token(_upload(client, world, GOOD).get_data(as_text=True))
    with time_machine.travel(time.time() + 3700):
        response = client.post(
            settings_url(world.programme, "agencies/import/confirm"), data={"token": token}
        )
    assert response.status_code == 400
    assert _agencies() == 0
