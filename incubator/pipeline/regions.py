"""The national reference of provinces and regencies/cities, and a programme's choice.

The reference comes from the npm package `idn-area-data` (installed by `npm ci`
with the front-end libraries), which follows the Kemendagri codes: "53" is Nusa
Tenggara Timur, "53.01" Kabupaten Kupang, "53.71" Kota Kupang. Its code is MIT
and its data ODbL 1.0; we read the data from the installed package when loading
instead of keeping a copy, so the repository redistributes none of it.
"""

import csv
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, insert, select

from ..extensions import db
from ..models import EventKind, Programme, Region, RegionKind, User, programme_regions
from ..translating import lazy_gettext as _l
from . import DomainError
from .events import record_event

# Where `npm ci` installs the package's data; `flask regions load --data-dir` overrides it.
REFERENCE_DIR = Path(__file__).resolve().parents[2] / "node_modules" / "idn-area-data" / "data"
CITY_PREFIX = "Kota "
REGENCY_PREFIX = "Kabupaten "


@dataclass(frozen=True)
class ReferenceRegion:
    code: str
    name: str
    kind: RegionKind
    parent_code: str | None = None


@dataclass
class LoadSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


def read_reference(data_dir: Path = REFERENCE_DIR) -> list[ReferenceRegion]:
    """Provinces, then regencies/cities, from the package's provinces.csv and regencies.csv."""
    provinces = _read_csv(data_dir / "provinces.csv", ("code", "name"))
    regencies = _read_csv(data_dir / "regencies.csv", ("code", "province_code", "name"))
    rows = [ReferenceRegion(r["code"], r["name"], RegionKind.PROVINCE) for r in provinces]
    rows += [
        ReferenceRegion(
            r["code"],
            r["name"],
            RegionKind.CITY if r["name"].startswith(CITY_PREFIX) else RegionKind.REGENCY,
            r["province_code"],
        )
        for r in regencies
    ]
    return rows


def _read_csv(path: Path, columns: tuple[str, ...]) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if tuple(reader.fieldnames or ()) != columns:
            raise ValueError(f"{path}: expected columns {columns}, found {reader.fieldnames}")
        return [{k: v.strip() for k, v in row.items()} for row in reader]


def short_name(name: str) -> str:
    """ "Kabupaten Kupang" -> "Kupang", as people often write it."""
    for prefix in (REGENCY_PREFIX, CITY_PREFIX):
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def load_reference(rows: list[ReferenceRegion]) -> LoadSummary:
    """Insert or update every reference region, keyed by code (idempotent).

    A region made before the reference (no code) takes the code of the one
    reference region its name matches ("Belu" -> Kabupaten Belu, 53.04), so its
    agencies and programmes keep working; an ambiguous name ("Kupang") is left alone.
    """
    summary = LoadSummary()
    existing = list(db.session.scalars(select(Region)))
    by_code = {r.code: r for r in existing if r.code}
    uncoded = _uncoded_matches(rows, [r for r in existing if not r.code], existing)
    for ref in rows:  # provinces come first, so a parent always has its id
        region = by_code.get(ref.code) or uncoded.get(ref.code)
        parent_id = by_code[ref.parent_code].id if ref.parent_code else None
        if region is None:
            region = Region(code=ref.code, name=ref.name, kind=ref.kind, parent_id=parent_id)
            db.session.add(region)
            summary.created += 1
        elif (region.code, region.name, region.kind, region.parent_id) == (
            ref.code,
            ref.name,
            ref.kind,
            parent_id,
        ):
            summary.unchanged += 1
        else:
            region.code, region.name, region.kind = ref.code, ref.name, str(ref.kind)
            region.parent_id = parent_id
            summary.updated += 1
        by_code[ref.code] = region
        if ref.kind == RegionKind.PROVINCE:
            db.session.flush()  # the regencies that follow need its id
    db.session.flush()
    return summary


def _uncoded_matches(rows, uncoded: list[Region], existing: list[Region]) -> dict:
    """reference code -> the uncoded region whose name (and parent, if any) match only it."""
    by_id = {r.id: r for r in existing}
    province_names = {ref.code: ref.name.casefold() for ref in rows if not ref.parent_code}
    found = {}
    for region in uncoded:
        key = region.name.strip().casefold()
        is_province = region.kind == RegionKind.PROVINCE
        candidates = [
            ref
            for ref in rows
            if key in {ref.name.casefold(), short_name(ref.name).casefold()}
            and (ref.parent_code is None) == is_province
        ]
        parent = by_id.get(region.parent_id)
        if parent is not None:
            candidates = [
                ref
                for ref in candidates
                if ref.parent_code == parent.code
                or province_names.get(ref.parent_code) == parent.name.strip().casefold()
            ]
        if len(candidates) == 1 and candidates[0].code not in found:
            found[candidates[0].code] = region
    return found


def ensure_reference() -> None:
    """Load the reference unless it is there (seed-demo on a fresh database)."""
    if db.session.scalar(select(Region.id).where(Region.code.is_not(None)).limit(1)) is None:
        load_reference(read_reference())


def region_by_code(code: str) -> Region | None:
    return db.session.scalar(select(Region).where(Region.code == code))


def provinces() -> list[Region]:
    return list(
        db.session.scalars(
            select(Region).where(Region.kind == RegionKind.PROVINCE).order_by(Region.code)
        )
    )


def regencies_of(province_id: int) -> list[Region]:
    """A province's regencies and cities, in code order (regencies first, as Kemendagri lists)."""
    return list(
        db.session.scalars(
            select(Region)
            .where(Region.parent_id == province_id)
            .order_by(Region.code.is_(None), Region.code, Region.name)
        )
    )


def programme_region_ids(programme_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(programme_regions.c.region_id).where(
                programme_regions.c.programme_id == programme_id
            )
        )
    )


def programme_regions_query(programme: Programme):
    """The programme's places: its province and the regencies/cities it ticked."""
    ticked = select(programme_regions.c.region_id).where(
        programme_regions.c.programme_id == programme.id
    )
    return select(Region).where((Region.id == programme.region_id) | Region.id.in_(ticked))


def set_programme_regions(
    programme: Programme, region_ids: set[int], *, actor: User | None
) -> bool:
    """Tick exactly `region_ids` among the province's regencies/cities; True if it changed."""
    if programme.region_id is None:
        raise DomainError(_l("Choose the province this programme covers first."))
    allowed = {r.id for r in regencies_of(programme.region_id)}
    if not region_ids <= allowed:
        raise DomainError(
            _l("Choose regencies and cities of the programme's province."), field="regions"
        )
    before = programme_region_ids(programme.id)
    added, removed = region_ids - before, before - region_ids
    if not added and not removed:
        return False
    if removed:
        db.session.execute(
            delete(programme_regions).where(
                programme_regions.c.programme_id == programme.id,
                programme_regions.c.region_id.in_(removed),
            )
        )
    if added:
        db.session.execute(
            insert(programme_regions),
            [{"programme_id": programme.id, "region_id": r} for r in sorted(added)],
        )
    record_event(
        programme.id,
        EventKind.REGIONS_CHANGED,
        actor=actor,
        added=sorted(added),
        removed=sorted(removed),
    )
    db.session.flush()
    return True
