"""Fixtures for regions and agencies: the world's programme placed in Nusa Tenggara Timur."""

from dataclasses import dataclass

import pytest
from flask_babel import force_locale

from incubator.extensions import db
from incubator.models import Region
from incubator.pipeline.regions import (
    load_reference,
    read_reference,
    region_by_code,
    set_programme_regions,
)

# The English-reading client and `as_` of the innovation pages' tests.
from tests.integration.innovations.conftest import as_, client  # noqa: F401


@pytest.fixture(autouse=True)
def _english(app):
    """The operations' messages are matched in English; the default language is Indonesian."""
    with force_locale("en"):
        yield


@dataclass
class Places:
    ntt: Region
    kota_kupang: Region
    kab_kupang: Region
    belu: Region
    alor: Region  # in the province, not ticked


@pytest.fixture
def places(world) -> Places:
    """The reference loaded; the world's programme covers NTT with Kota Kupang and Belu
    ticked. The foreign programme covers NTT too, with Belu ticked."""
    load_reference(read_reference())
    found = Places(*(region_by_code(c) for c in ("53", "53.71", "53.01", "53.04", "53.05")))
    for programme, ticked in (
        (world.programme, {found.kota_kupang.id, found.belu.id}),
        (world.foreign_programme, {found.belu.id}),
    ):
        programme.region_id = found.ntt.id
        db.session.flush()
        set_programme_regions(programme, ticked, actor=None)
    db.session.commit()
    return found


def settings_url(programme, page: str = "agencies") -> str:
    return f"/programmes/{programme.slug}/settings/{page}"
