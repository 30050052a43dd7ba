"""Read queries of the public catalogue. Only what a visitor may read leaves here:
published innovations (coordinator AND owner agreed), their public documents, the
stages they entered with dates; never people, reasons, notes or private documents."""

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload

from ..extensions import db
from ..models import Agency, Document, Innovation, Programme, Region, StageTransition
from ..numbers import parse_id

PER_PAGE = 12
SORTS = ("replicated", "newest")


def is_public():
    """The SQL twin of Innovation.is_public."""
    return and_(
        Innovation.published_at.is_not(None),
        Innovation.consent_at.is_not(None),
        Innovation.is_proposal.is_(False),
    )


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def catalogue_ref(innovation: Innovation) -> str:
    """The stable part of a catalogue URL: the id (what counts) and the title's slug."""
    slug = slugify(innovation.title)
    return f"{innovation.id}-{slug}" if slug else str(innovation.id)


def replication_count():
    copy = aliased(Innovation)
    return (
        select(func.count(copy.id))
        .where(copy.replicates_id == Innovation.id)
        .correlate(Innovation)
        .scalar_subquery()
    )


@dataclass(frozen=True)
class Filters:
    q: str = ""
    region: int | None = None
    category: str = ""
    spm: str = ""
    digital: bool | None = None
    sort: str = "replicated"
    page: int = 1


@dataclass
class Listing:
    rows: list  # (Innovation, replications)
    total: int
    page: int
    pages: int


def search(filters: Filters) -> Listing:
    """One page of the catalogue: three queries whatever the page size."""
    replications = replication_count().label("replications")
    query = (
        select(Innovation, replications)
        .outerjoin(Agency, Agency.id == Innovation.agency_id)
        .outerjoin(Region, Region.id == Agency.region_id)
        .where(is_public())
    )
    if filters.q:
        pattern = f"%{_escape_like(filters.q.lower())}%"
        query = query.where(
            or_(
                func.lower(Innovation.title).like(pattern, escape="\\"),
                func.lower(Innovation.summary).like(pattern, escape="\\"),
                func.lower(Agency.name).like(pattern, escape="\\"),
            )
        )
    if filters.region is not None:
        query = query.where(or_(Region.id == filters.region, Region.parent_id == filters.region))
    if filters.category:
        query = query.where(Innovation.category == filters.category)
    if filters.spm:
        query = query.where(Innovation.spm_sector == filters.spm)
    if filters.digital is not None:
        query = query.where(Innovation.is_digital.is_(filters.digital))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(filters.page, pages)
    if filters.sort == "newest":
        order = (Innovation.published_at.desc(), Innovation.id.desc())
    else:
        order = (replications.desc(), Innovation.published_at.desc(), Innovation.id.desc())
    rows = db.session.execute(
        query.options(contains_eager(Innovation.agency).contains_eager(Agency.region))
        .order_by(*order)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return Listing(rows=[(row[0], row[1]) for row in rows], total=total, page=page, pages=pages)


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def region_options() -> list[tuple[int, str]]:
    """Regions (regency/city) with at least one published innovation, by name."""
    rows = db.session.execute(
        select(Region.id, Region.name)
        .join(Agency, Agency.region_id == Region.id)
        .join(Innovation, Innovation.agency_id == Agency.id)
        .where(is_public())
        .distinct()
        .order_by(Region.name)
    )
    return [(rid, name) for rid, name in rows]


@dataclass
class PublicPage:
    innovation: Innovation
    region: Region | None
    stages: list  # (stage, entered_at)
    documents: list[Document]
    replications: list[Innovation]  # the public ones, linked
    replication_total: int  # all of them, across programmes
    original: Innovation | None  # what it replicates, when that is public


# "<id>-<title slug>"; the slug may be old or missing (the page redirects to the current one).
REF = re.compile(r"^([1-9][0-9]*)(?:-[a-z0-9-]*)?$")


def public_innovation_by_ref(ref: str) -> Innovation | None:
    """The published innovation a catalogue reference names, or None (unknown, private,
    malformed, or an id no row can have: all alike to a visitor)."""
    match = REF.match(ref)
    innovation_id = parse_id(match.group(1)) if match else None
    return public_innovation(innovation_id) if innovation_id else None


def public_innovation(innovation_id: int) -> Innovation | None:
    return db.session.scalar(
        select(Innovation)
        .where(Innovation.id == innovation_id, is_public())
        .options(
            joinedload(Innovation.agency).joinedload(Agency.region),
            joinedload(Innovation.programme).joinedload(Programme.region),
        )
    )


def public_page(innovation: Innovation) -> PublicPage:
    entered = db.session.execute(
        select(StageTransition.to_stage, func.min(StageTransition.created_at))
        .where(StageTransition.innovation_id == innovation.id)
        .group_by(StageTransition.to_stage)
    ).all()
    order = {"creation": 0, "development": 1, "institutionalisation": 2}
    stages = sorted(entered, key=lambda row: order.get(row[0], 9))
    documents = list(
        db.session.scalars(
            select(Document)
            .where(Document.innovation_id == innovation.id, Document.is_public.is_(True))
            .order_by(Document.kind, Document.created_at)
        )
    )
    total = db.session.scalar(
        select(func.count(Innovation.id)).where(Innovation.replicates_id == innovation.id)
    )
    replications = list(
        db.session.scalars(
            select(Innovation)
            .where(Innovation.replicates_id == innovation.id, is_public())
            .options(joinedload(Innovation.agency).joinedload(Agency.region))
            .order_by(Innovation.published_at)
        )
    )
    original = None
    if innovation.replicates_id:
        original = db.session.scalar(
            select(Innovation).where(Innovation.id == innovation.replicates_id, is_public())
        )
    region = innovation.agency.region if innovation.agency else innovation.programme.region
    return PublicPage(
        innovation=innovation,
        region=region,
        stages=stages,
        documents=documents,
        replications=replications,
        replication_total=total or 0,
        original=original,
    )


def sitemap_rows() -> list:
    return db.session.execute(
        select(Innovation.id, Innovation.title, Innovation.updated_at)
        .where(is_public())
        .order_by(Innovation.id)
    ).all()
