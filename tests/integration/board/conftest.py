"""Board fixtures: the factories' world with regions, agencies, mentors and milestones."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from incubator.extensions import db
from incubator.models import Innovation, Region, Stage, utcnow
from tests import factories

HTMX = {"HX-Request": "true"}


@dataclass
class Board:
    world: object
    belu: Region
    sumba: Region
    late: Innovation  # Belu, Dinas Kesehatan, owned by the innovator, overdue milestone
    fresh: Innovation  # Sumba Timur, on track, in Development


@pytest.fixture
def board(world):
    """Cards in two regions with milestones; `world.innovation` becomes `late`."""
    belu = Region(name="Belu", kind="regency")
    sumba = Region(name="Sumba Timur", kind="regency")
    db.session.add_all([belu, sumba])
    db.session.flush()
    health = factories.make_agency(belu.id, "Dinas Kesehatan Belu")
    education = factories.make_agency(sumba.id, "Dinas Pendidikan Sumba Timur")
    late = world.innovation
    late.title = "Sistem Antrian Puskesmas"
    late.agency_id = health.id
    late.stage_entered_at = utcnow() - timedelta(days=21)
    today = date.today()
    factories.make_milestone(
        late, title="Problem statement", required=True, done_at=utcnow(), progress=100
    )
    factories.make_milestone(
        late, title="Uji coba", required=True, due_date=today - timedelta(days=3), progress=40
    )
    factories.make_milestone(late, title="Survey", due_date=today + timedelta(days=20))
    fresh = world.other_innovation
    fresh.title = "Posyandu Digital"
    fresh.agency_id = education.id
    fresh.stage = Stage.DEVELOPMENT
    factories.make_milestone(fresh, title="Quality", due_date=today + timedelta(days=5))
    db.session.commit()
    return Board(world, belu, sumba, late, fresh)


def board_url(world, **args) -> str:
    from urllib.parse import urlencode

    query = f"?{urlencode(args)}" if args else ""
    return f"/programmes/{world.programme.slug}/board{query}"


def move_url(programme, innovation) -> str:
    return f"/programmes/{programme.slug}/cards/{innovation.id}/move"
