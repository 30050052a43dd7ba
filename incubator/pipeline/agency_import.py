"""Importing agencies from a CSV or XLSX file: check every row, then all or nothing.

Columns: agency name, region (Kemendagri code such as 53.71, or name such as
"Kota Kupang"). `preview` reads and checks the file without writing; each row
gets a status, or a problem in words a coordinator can fix in the file.
`apply` writes only a preview without problems, in the caller's transaction.
"""

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import Agency, EventKind, Programme, Region, User
from ..translating import lazy_gettext as _l
from . import DomainError
from .agencies import NAME_MAX, add_participations, normalise_name, participant_ids
from .events import record_event
from .regions import programme_region_ids, short_name
from .rules import line_problem
from .tables import TableRow, read_table

HEADER_WORDS = frozenset(
    {
        "agency",
        "agency name",
        "name",
        "nama",
        "nama opd",
        "opd",
        "instansi",
        "perangkat daerah",
        "region",
        "region code",
        "region code or name",
        "wilayah",
        "kode wilayah",
        "kabupaten/kota",
    }
)
REGION_CODE = re.compile(r"^\d{2}(\.\d{1,2})?$")
ABBREVIATIONS = (("kab. ", "kabupaten "), ("kab ", "kabupaten "), ("provinsi ", ""))


class RowStatus(enum.StrEnum):
    NEW = "new"  # a new agency, added to the programme
    EXISTS = "exists"  # the agency exists: it will only be added to the programme
    PARTICIPATING = "participating"  # already takes part: nothing to do
    ERROR = "error"


@dataclass
class ImportRow:
    number: int
    name: str
    region_text: str
    region: Region | None = None
    agency_id: int | None = None
    problem: object = None  # a (lazy) message when status is ERROR
    status: RowStatus = RowStatus.ERROR


@dataclass
class ImportPreview:
    rows: list[ImportRow] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportRow]:
        return [r for r in self.rows if r.status == RowStatus.ERROR]

    def count(self, status: RowStatus) -> int:
        return sum(1 for r in self.rows if r.status == status)


def region_code(text: str) -> str | None:
    """ "53.71" as written, or "53.1" as a spreadsheet shows 53.10: the code, else None."""
    if not REGION_CODE.match(text):
        return None
    head, _, tail = text.partition(".")
    return f"{head}.{tail.ljust(2, '0')}" if tail else head


def _key(text: str) -> str:
    key = " ".join(text.split()).casefold()
    for short, full in ABBREVIATIONS:
        if key.startswith(short):
            key = full + key.removeprefix(short)
    return key


class RegionIndex:
    """Finds a region by code or name among a province's regions (plain data, no queries)."""

    def __init__(self, province: Region, regions: Iterable[Region], allowed_ids: set[int]):
        self.province = province
        self.regions = [province, *regions]
        self.allowed_ids = allowed_ids
        self.by_code = {r.code: r for r in self.regions if r.code}

    def resolve(self, text: str) -> tuple[Region | None, object]:
        """(region, None), or (None, the problem)."""
        if not text:
            return None, _l("The region is empty.")
        code = region_code(text)
        if code is not None:
            candidates = [self.by_code[code]] if code in self.by_code else []
        else:
            key = _key(text)
            candidates = [
                r for r in self.regions if key in {r.name.casefold(), short_name(r.name).casefold()}
            ]
        if not candidates:
            return None, _l(
                "No region of %(province)s has the code or name “%(text)s”.",
                province=self.province.name,
                text=text,
            )
        if len(candidates) > 1:
            choices = ", ".join(f"{r.name} ({r.code})" for r in candidates)
            return None, _l(
                "“%(text)s” could be %(choices)s: write the code or the full name.",
                text=text,
                choices=choices,
            )
        region = candidates[0]
        if region.id not in self.allowed_ids:
            return None, _l(
                "%(region)s does not take part in this programme: "
                "tick it under Regencies and cities first.",
                region=region.name,
            )
        return region, None


def check_rows(
    rows: list[TableRow],
    index: RegionIndex,
    existing: dict[tuple[int, str], int],
    participants: set[int],
) -> ImportPreview:
    """Every row with its status or problem. `existing` maps (region id, lower-cased
    name) to the agency's id; `participants` are the programme's agency ids."""
    preview = ImportPreview()
    seen: dict[tuple[int, str], int] = {}
    for table_row in rows:
        name = normalise_name(table_row.cell(0))
        row = ImportRow(table_row.number, name, table_row.cell(1))
        preview.rows.append(row)
        region, problem = index.resolve(row.region_text)
        if not name:
            row.problem = _l("The agency name is empty.")
        elif len(name) > NAME_MAX:
            row.problem = _l("The agency name is longer than %(n)d characters.", n=NAME_MAX)
        elif line_problem(name) is not None:
            row.problem = line_problem(name)
        elif problem is not None:
            row.problem = problem
        else:
            row.region = region
            key = (region.id, name.lower())
            if key in seen:
                row.problem = _l("The same agency as row %(row)d.", row=seen[key])
                continue
            seen[key] = row.number
            row.agency_id = existing.get(key)
            if row.agency_id is None:
                row.status = RowStatus.NEW
            elif row.agency_id in participants:
                row.status = RowStatus.PARTICIPATING
            else:
                row.status = RowStatus.EXISTS
    return preview


def preview(programme: Programme, filename: str, data: bytes) -> ImportPreview:
    """Read and check the file against the database; writes nothing."""
    if programme.region_id is None:
        raise DomainError(_l("Choose the province this programme covers first."), field="file")
    rows = read_table(filename, data, header_words=HEADER_WORDS)
    province = db.session.get(Region, programme.region_id)
    regions = list(db.session.scalars(select(Region).where(Region.parent_id == province.id)))
    allowed = programme_region_ids(programme.id) | {province.id}
    index = RegionIndex(province, regions, allowed)
    existing = {
        (region_id, name.lower()): agency_id
        for agency_id, name, region_id in db.session.execute(
            select(Agency.id, Agency.name, Agency.region_id).where(
                Agency.region_id.in_([r.id for r in index.regions])
            )
        )
    }
    return check_rows(rows, index, existing, participant_ids(programme.id))


def apply(programme: Programme, checked: ImportPreview, *, actor: User | None) -> dict:
    """Write a preview without problems: new agencies, then the participations."""
    if checked.errors:
        raise DomainError(_l("Fix the rows with a problem first."), field="file")
    new = [r for r in checked.rows if r.status == RowStatus.NEW]
    agencies = [Agency(name=r.name, region_id=r.region.id) for r in new]
    db.session.add_all(agencies)
    db.session.flush()
    joining = [a.id for a in agencies] + [
        r.agency_id for r in checked.rows if r.status == RowStatus.EXISTS
    ]
    if joining:
        add_participations(programme.id, joining)
    counts = {
        "created": len(agencies),
        "added": len(joining) - len(agencies),
        "unchanged": checked.count(RowStatus.PARTICIPATING),
    }
    record_event(programme.id, EventKind.AGENCIES_IMPORTED, actor=actor, **counts)
    db.session.flush()
    return counts
