"""Numbers the database cannot hold: a 404 in a path, a 400 (or a form error) elsewhere.

Before incubator/numbers.py each of these was an OverflowError (SQLite) or an
"integer out of range" (PostgreSQL), that is a 500.
"""

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import Innovation

BIG = "99999999999999999999"  # beyond BIGINT
JUST_OVER = str(2**31)  # beyond INTEGER, the type of every id
HUGE = "9" * 5000  # Python's int() refuses it (ValueError)

PATHS = [
    f"/innovations/{BIG}",
    f"/innovations/{BIG}/edit",
    f"/innovations/{BIG}/mentors",
    f"/innovations/{BIG}/assessments",
    f"/innovations/{JUST_OVER}",
    f"/feedback/{BIG}",
    f"/feedback/{JUST_OVER}/edit",
    "/programmes/{slug}/cards/" + BIG,
    "/programmes/{slug}/cards/" + JUST_OVER + "/move",
    "/programmes/{slug}/people/" + BIG,
    "/programmes/{slug}/settings/agencies/" + BIG,
]


@pytest.mark.parametrize("path", PATHS)
def test_an_id_beyond_the_database_is_not_found(world, login, path):
    client = login(world.coordinator)
    response = client.get(path.format(slug=world.programme.slug))
    assert response.status_code == 404


@pytest.mark.parametrize("name", ["region", "agency", "mentor", "owner"])
@pytest.mark.parametrize("value", [BIG, JUST_OVER, HUGE, "²"])
def test_a_board_filter_beyond_the_database_is_refused(world, login, name, value):
    client = login(world.coordinator)
    response = client.get(f"/programmes/{world.programme.slug}/board", query_string={name: value})
    assert response.status_code == 400
    assert "Masukkan bilangan bulat" in response.get_data(as_text=True) or (
        "whole number" in response.get_data(as_text=True)
    )


@pytest.mark.parametrize(
    "query",
    [
        {"cursor": f"{BIG}_1"},
        {"cursor": f"1_{BIG}"},
        {"cursor": "²_1"},
        {"lane": BIG},
        {"lane": HUGE},
        {"lane": "-5"},
    ],
)
def test_a_column_page_with_a_cursor_or_lane_out_of_range_is_refused(world, login, query):
    client = login(world.coordinator)
    url = f"/programmes/{world.programme.slug}/board/creation/cards"
    assert client.get(url, query_string=query).status_code == 400


def test_a_column_page_with_numbers_in_range_still_works(world, login):
    client = login(world.coordinator)
    url = f"/programmes/{world.programme.slug}/board/creation/cards"
    assert client.get(url, query_string={"cursor": f"{2**62}_1", "lane": "0"}).status_code == 200


@pytest.mark.parametrize("before", [BIG, JUST_OVER, HUGE, "²"])
def test_the_outbox_before_a_number_out_of_range_is_refused(world, login, before):
    client = login(world.coordinator)
    response = client.get(f"/programmes/{world.programme.slug}/outbox?before={before}")
    assert response.status_code == 400


@pytest.mark.parametrize("field", ["after_id", "before_id", "version"])
@pytest.mark.parametrize("value", [BIG, JUST_OVER, HUGE, "²"])
def test_a_move_with_a_number_out_of_range_is_refused_and_writes_nothing(
    world, login, field, value
):
    client = login(world.coordinator)
    innovation = world.innovation
    data = {"stage": "development", "version": str(innovation.version), field: value}
    response = client.post(
        f"/programmes/{world.programme.slug}/cards/{innovation.id}/move", data=data
    )
    assert response.status_code in (400, 422)
    db.session.expire_all()
    assert db.session.get(Innovation, innovation.id).stage == "creation"


@pytest.mark.parametrize("version", ["²", HUGE, BIG, "-1", "1_0"])
def test_an_edit_with_an_unreadable_version_is_a_bad_request(world, login, version):
    client = login(world.innovator)
    innovation = world.innovation
    before = db.session.scalar(select(Innovation.title).where(Innovation.id == innovation.id))
    response = client.post(
        f"/innovations/{innovation.id}/edit",
        data={"title": "Renamed", "category": "public_service", "version": version},
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Innovation, innovation.id).title == before
