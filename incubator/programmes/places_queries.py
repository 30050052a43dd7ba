"""Read queries for the regions and agencies pages: a fixed number per page."""

from dataclasses import dataclass

from sqlalchemy import and_, case, func, or_, select

from ..extensions import db
from ..models import Agency, Innovation, Programme, Region, programme_agencies
from ..pipeline.regions import programme_region_ids


@dataclass(frozen=True)
class AgencyRow:
    id: int
    name: str
    region_id: int
    region: str
    taking_part: bool
    innovations_here: int  # in this programme
    innovations_all: int  # in every programme: an agency with any is never deleted


def place_options(programme: Programme) -> list[tuple[int, str]]:
    """(id, label) of the province and its ticked regencies/cities, for a region select."""
    ids = programme_region_ids(programme.id) | (
        {programme.region_id} if programme.region_id else set()
    )
    rows = db.session.execute(
        select(Region.id, Region.name).where(Region.id.in_(ids)).order_by(Region.code, Region.name)
    )
    return [(region_id, name) for region_id, name in rows]


def agency_rows(programme: Programme) -> list[AgencyRow]:
    """Agencies of the programme's places, and any agency taking part elsewhere, in one query."""
    counts = (
        select(
            Innovation.agency_id,
            func.count(Innovation.id).label("total"),
            func.sum(case((Innovation.programme_id == programme.id, 1), else_=0)).label("here"),
        )
        .where(Innovation.agency_id.is_not(None))
        .group_by(Innovation.agency_id)
        .subquery()
    )
    places = list(programme_region_ids(programme.id)) + [programme.region_id or 0]
    taking_part = programme_agencies.c.agency_id.is_not(None)
    rows = db.session.execute(
        select(
            Agency.id,
            Agency.name,
            Agency.region_id,
            Region.name,
            taking_part,
            func.coalesce(counts.c.here, 0),
            func.coalesce(counts.c.total, 0),
        )
        .join(Region, Region.id == Agency.region_id)
        .outerjoin(
            programme_agencies,
            and_(
                programme_agencies.c.agency_id == Agency.id,
                programme_agencies.c.programme_id == programme.id,
            ),
        )
        .outerjoin(counts, counts.c.agency_id == Agency.id)
        .where(or_(Agency.region_id.in_(places), taking_part))
        .order_by(Region.code, Region.name, Agency.name)
    )
    return [AgencyRow(*row) for row in rows]


def merge_targets(programme: Programme, agency: Agency) -> list[tuple[int, str]]:
    """Other agencies of the programme's places, by region, for the merge select."""
    return [
        (row.id, f"{row.name} ({row.region})")
        for row in agency_rows(programme)
        if row.id != agency.id
    ]


def agency_in_programme(programme: Programme, agency_id: int) -> Agency | None:
    """The agency when this programme may reach it (in its places, or taking part)."""
    places = programme_region_ids(programme.id) | {programme.region_id or 0}
    taking_part = select(programme_agencies.c.agency_id).where(
        programme_agencies.c.programme_id == programme.id
    )
    return db.session.scalar(
        select(Agency).where(
            Agency.id == agency_id, or_(Agency.region_id.in_(places), Agency.id.in_(taking_part))
        )
    )
