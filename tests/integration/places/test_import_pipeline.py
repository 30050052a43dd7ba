"""Importing agencies against the database: preview writes nothing, apply all or nothing."""

import pytest
from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import Agency
from incubator.pipeline import DomainError
from incubator.pipeline.agencies import add_agency, participant_ids
from incubator.pipeline.agency_import import RowStatus, apply, preview

GOOD = b"Agency,Region\nDinas Kesehatan,53.71\nBappeda,Kabupaten Belu\nDinas Sosial,Belu\n"


def _agencies() -> int:
    return db.session.scalar(select(func.count(Agency.id)))


def test_preview_then_apply(world, places):
    shared = add_agency(
        world.foreign_programme, name="Bappeda", region_id=places.belu.id, actor=None
    )
    db.session.commit()
    checked = preview(world.programme, "agencies.csv", GOOD)
    assert [r.status for r in checked.rows] == [RowStatus.NEW, RowStatus.EXISTS, RowStatus.NEW]
    assert _agencies() == 1  # nothing written by the preview

    counts = apply(world.programme, checked, actor=world.coordinator)
    db.session.commit()
    assert counts == {"created": 2, "added": 1, "unchanged": 0}
    assert _agencies() == 3
    assert shared.id in participant_ids(world.programme.id)
    assert len(participant_ids(world.programme.id)) == 3
    again = preview(world.programme, "agencies.csv", GOOD)
    assert {r.status for r in again.rows} == {RowStatus.PARTICIPATING}


def test_a_file_with_a_bad_row_imports_nothing(world, places):
    bad = GOOD + b"Dinas Pariwisata,Kupang\n"
    checked = preview(world.programme, "agencies.csv", bad)
    assert [(r.number, r.status) for r in checked.errors] == [(5, RowStatus.ERROR)]
    with pytest.raises(DomainError):
        apply(world.programme, checked, actor=world.coordinator)
    assert _agencies() == 0 and participant_ids(world.programme.id) == set()
