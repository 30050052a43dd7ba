"""The national reference of regions: loaded from idn-area-data, keyed by Kemendagri code."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from incubator.extensions import db
from incubator.models import Region
from incubator.pipeline.regions import (
    load_reference,
    read_reference,
    regencies_of,
    region_by_code,
)


@pytest.fixture
def reference():
    return read_reference()


def test_the_reference_has_every_province_and_ntt_its_22_regencies_and_cities(app, reference):
    summary = load_reference(reference)
    db.session.commit()
    assert summary.created == len(reference) and summary.updated == 0
    provinces = db.session.scalar(select(func.count()).where(Region.kind == "province"))
    assert provinces == 38
    ntt = region_by_code("53")
    assert ntt.name == "Nusa Tenggara Timur" and ntt.parent_id is None
    places = regencies_of(ntt.id)
    assert len(places) == 22
    by_code = {r.code: (r.name, r.kind) for r in places}
    # Two places share "Kupang": only the kind and the code tell them apart.
    assert by_code["53.01"] == ("Kabupaten Kupang", "regency")
    assert by_code["53.71"] == ("Kota Kupang", "city")
    assert by_code["53.04"] == ("Kabupaten Belu", "regency")
    assert [r.code for r in places][-1] == "53.71"  # regencies first, then the city


def test_loading_twice_changes_nothing(app, reference):
    load_reference(reference)
    db.session.commit()
    again = load_reference(reference)
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(reference))


def test_regions_made_before_the_reference_take_their_codes(app, reference):
    ntt = Region(name="Nusa Tenggara Timur", kind="province")
    db.session.add(ntt)
    db.session.flush()
    belu = Region(name="Belu", kind="regency", parent_id=ntt.id)
    kupang = Region(name="Kupang", kind="regency", parent_id=ntt.id)  # Kota or Kabupaten?
    db.session.add_all([belu, kupang])
    db.session.commit()
    ids = (ntt.id, belu.id, kupang.id)

    summary = load_reference(reference)
    db.session.commit()

    assert summary.updated == 2 and summary.created == len(reference) - 2
    assert (ntt.code, belu.code, belu.name) == ("53", "53.04", "Kabupaten Belu")
    assert (ntt.id, belu.id, kupang.id) == ids
    assert kupang.code is None and kupang.name == "Kupang"  # ambiguous: left as it was


def test_a_code_names_one_place_only(app, reference):
    load_reference(reference)
    db.session.commit()
    ntt = region_by_code("53")
    # The same name is fine with another code; the same code is not.
    db.session.add(Region(name="Kota Kupang", kind="city", parent_id=ntt.id))
    db.session.flush()
    db.session.add(Region(name="Kota Kupang Baru", kind="city", code="53.71"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_load_command(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["regions", "load"])
    assert result.exit_code == 0, result.output
    assert "552 created" in result.output
    result = runner.invoke(args=["regions", "load", "--data-dir", str(tmp_path)])
    assert result.exit_code == 1
    assert "npm ci" in result.output
