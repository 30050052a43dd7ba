"""/api/v1/: programmes, innovations with stage, state and milestones, the catalogue.

Lists are cursor-paginated: `limit` (1-100, default 50) and the `next_cursor` of the
previous page as `cursor`. Each route's OpenAPI operation is declared beside it.
"""

import base64
import binascii
from collections import defaultdict

from flask import Blueprint, current_app, jsonify, request, url_for
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from ..board.filters import conditions, parse
from ..catalogue import queries as catalogue
from ..catalogue.filters import read_filters
from ..extensions import csrf, db
from ..models import (
    Agency,
    Document,
    Innovation,
    Membership,
    Milestone,
    Programme,
    Region,
    Stage,
)
from ..numbers import parse_int
from ..pipeline.zones import programme_today
from .auth import ApiError, api_view, load_innovation, load_programme
from .spec import build_spec, operation

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # read-only, and authenticated by a header no other site can send

LIMIT_DEFAULT, LIMIT_MAX = 50, 100


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    return error.get_response()


@bp.errorhandler(404)
def _not_found(error):
    return ApiError(404, "Not found.").get_response()


@bp.errorhandler(405)
def _not_allowed(error):
    return ApiError(405, "Method not allowed: the API only reads.").get_response()


def _page_args() -> tuple[int, int]:
    """(after_id, limit) from the query string; 400 on anything else."""
    limit = parse_int(request.args.get("limit", str(LIMIT_DEFAULT)), low=1, high=LIMIT_MAX)
    if limit is None:
        raise ApiError(400, f"limit must be a whole number from 1 to {LIMIT_MAX}.")
    cursor = request.args.get("cursor")
    if not cursor:
        return 0, limit
    try:
        after = int(base64.urlsafe_b64decode(cursor.encode() + b"==").decode())
    except (ValueError, binascii.Error, UnicodeDecodeError):
        after = -1
    if not 1 <= after < 2**62:
        raise ApiError(400, "cursor is not one this API gave.")
    return after, limit


def _cursor(rows, limit: int) -> str | None:
    if len(rows) < limit:
        return None
    return base64.urlsafe_b64encode(str(rows[-1].id).encode()).decode().rstrip("=")


def _paged(query, id_column, *, after: int, limit: int):
    """Rows after the cursor, one more fetched to know whether a next page exists."""
    rows = list(
        db.session.scalars(query.where(id_column > after).order_by(id_column).limit(limit + 1))
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (_cursor(rows, limit) if more else None)


def _absolute(endpoint: str, **values) -> str:
    return current_app.config["BASE_URL"] + url_for(endpoint, **values)


# -- programmes ---------------------------------------------------------------------------


@bp.get("/programmes")
@operation(
    "List the programmes you belong to",
    schema="ProgrammePage",
    params=["cursor", "limit"],
    token=True,
)
@api_view()
def programmes(user):
    after, limit = _page_args()
    query = (
        select(Programme)
        .join(Membership, Membership.programme_id == Programme.id)
        .where(Membership.user_id == user.id)
    )
    rows, next_cursor = _paged(query, Programme.id, after=after, limit=limit)
    roles = {m.programme_id: m.role for m in _memberships(user)}
    return jsonify(
        {"data": [_programme(p, roles.get(p.id)) for p in rows], "next_cursor": next_cursor}
    )


def _memberships(user):
    return db.session.scalars(select(Membership).where(Membership.user_id == user.id))


def _programme(programme: Programme, role: str | None) -> dict:
    return {
        "slug": programme.slug,
        "name": programme.name,
        "cohort_year": programme.cohort_year,
        "timezone": programme.timezone,
        "archived": programme.archived,
        "your_role": role,
        "innovations_url": _absolute("api.innovations", slug=programme.slug),
    }


@bp.get("/programmes/<slug>")
@operation("One programme", schema="Programme", params=["slug"], token=True)
@api_view(load_programme)
def programme(programme, user):
    roles = {m.programme_id: m.role for m in _memberships(user)}
    return jsonify(_programme(programme, roles.get(programme.id)))


# -- innovations --------------------------------------------------------------------------

STAGE_KEYS = [s.value for s in Stage]


@bp.get("/programmes/<slug>/innovations")
@operation(
    "A programme's innovations, with the board's filters",
    schema="InnovationPage",
    params=[
        "slug",
        "cursor",
        "limit",
        "stage",
        "state",
        "region",
        "agency",
        "mentor",
        "owner",
        "mine",
        "overdue",
        "q",
    ],
    token=True,
)
@api_view(load_programme)
def innovations(programme, user):
    after, limit = _page_args()
    _form, filters = parse(request.args)
    if filters.errors:
        raise ApiError(400, "Some filters are not valid.", fields=filters.errors)
    stage = request.args.get("stage")
    if stage is not None and stage not in STAGE_KEYS:
        raise ApiError(400, f"stage must be one of {', '.join(STAGE_KEYS)}.")
    clauses = conditions(programme.id, filters, user, programme_today(programme))
    if stage:
        clauses.append(Innovation.stage == stage)
    query = (
        select(Innovation)
        .where(*clauses)
        .options(joinedload(Innovation.agency).joinedload(Agency.region))
    )
    rows, next_cursor = _paged(query, Innovation.id, after=after, limit=limit)
    milestones = _milestones([i.id for i in rows])
    return jsonify(
        {
            "data": [_innovation(i, milestones.get(i.id, [])) for i in rows],
            "next_cursor": next_cursor,
        }
    )


@bp.get("/innovations/<int:innovation_id>")
@operation(
    "One innovation with its milestones", schema="Innovation", params=["innovation_id"], token=True
)
@api_view(load_innovation)
def innovation(innovation, user):
    loaded = db.session.scalar(
        select(Innovation)
        .where(Innovation.id == innovation.id)
        .options(joinedload(Innovation.agency).joinedload(Agency.region))
    )
    return jsonify(_innovation(loaded, _milestones([innovation.id]).get(innovation.id, [])))


def _milestones(innovation_ids) -> dict[int, list[Milestone]]:
    grouped = defaultdict(list)
    if innovation_ids:
        for m in db.session.scalars(
            select(Milestone)
            .where(Milestone.innovation_id.in_(innovation_ids))
            .order_by(Milestone.due_date.is_(None), Milestone.due_date, Milestone.id)
        ):
            grouped[m.innovation_id].append(m)
    return grouped


def _innovation(innovation: Innovation, milestones) -> dict:
    agency = innovation.agency
    return {
        "id": innovation.id,
        "title": innovation.title,
        "summary": innovation.summary,
        "problem": innovation.problem,
        "results": innovation.results,
        "stage": innovation.stage,
        "state": innovation.state,
        "is_proposal": innovation.is_proposal,
        "category": innovation.category,
        "is_digital": innovation.is_digital,
        "agency": {"id": agency.id, "name": agency.name, "region": agency.region.name}
        if agency
        else None,
        "replicates_id": innovation.replicates_id,
        "in_catalogue": innovation.is_public,
        "milestones": [
            {
                "id": m.id,
                "stage": m.stage,
                "title": m.title,
                "due_date": m.due_date.isoformat() if m.due_date else None,
                "progress": m.progress,
                "done": m.is_done,
                "required": m.required,
            }
            for m in milestones
        ],
    }


# -- the public catalogue -----------------------------------------------------------------


@bp.get("/catalogue")
@operation(
    "The public catalogue (no token needed)",
    schema="CataloguePage",
    params=["cursor", "limit", "q", "region", "category", "spm", "digital"],
    token=False,
)
@api_view(public=True)
def catalogue_list(user):
    after, limit = _page_args()
    filters = read_filters(request.args)
    query = select(Innovation).where(catalogue.is_public())
    if filters.q or filters.region is not None:
        query = query.outerjoin(Agency, Agency.id == Innovation.agency_id)
    query = _catalogue_filters(query, filters)
    rows, next_cursor = _paged(
        query.options(joinedload(Innovation.agency).joinedload(Agency.region)),
        Innovation.id,
        after=after,
        limit=limit,
    )
    counts = _replication_counts([i.id for i in rows])
    documents = _public_documents([i.id for i in rows])
    return jsonify(
        {
            "data": [_public(i, counts.get(i.id, 0), documents.get(i.id, [])) for i in rows],
            "next_cursor": next_cursor,
        }
    )


def _catalogue_filters(query, filters):
    """The catalogue page's filters (search, region, category, digital) on a query."""
    if filters.q:
        words = filters.q.lower()
        query = query.where(
            or_(
                func.lower(Innovation.title).contains(words, autoescape=True),
                func.lower(Innovation.summary).contains(words, autoescape=True),
                func.lower(Agency.name).contains(words, autoescape=True),
            )
        )
    if filters.region is not None:
        regions = select(Region.id).where(
            or_(Region.id == filters.region, Region.parent_id == filters.region)
        )
        query = query.where(Agency.region_id.in_(regions))
    if filters.category:
        query = query.where(Innovation.category == filters.category)
    if filters.spm:
        query = query.where(Innovation.spm_sector == filters.spm)
    if filters.digital is not None:
        query = query.where(Innovation.is_digital.is_(filters.digital))
    return query


@bp.get("/catalogue/<int:catalogue_id>")
@operation(
    "One innovation of the public catalogue",
    schema="CatalogueEntry",
    params=["catalogue_id"],
    token=False,
)
@api_view(public=True)
def catalogue_entry(user, catalogue_id: int):
    innovation = catalogue.public_innovation(catalogue_id) if catalogue_id < 2**62 else None
    if innovation is None:
        raise ApiError(404, "Not found.")
    counts = _replication_counts([innovation.id])
    documents = _public_documents([innovation.id])
    return jsonify(
        _public(innovation, counts.get(innovation.id, 0), documents.get(innovation.id, []))
    )


def _replication_counts(ids) -> dict[int, int]:
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(Innovation.replicates_id, func.count(Innovation.id))
            .where(Innovation.replicates_id.in_(ids))
            .group_by(Innovation.replicates_id)
        ).all()
    )


def _public_documents(ids) -> dict[int, list[Document]]:
    grouped = defaultdict(list)
    if ids:
        for d in db.session.scalars(
            select(Document)
            .where(Document.innovation_id.in_(ids), Document.is_public.is_(True))
            .order_by(Document.id)
        ):
            grouped[d.innovation_id].append(d)
    return grouped


def _public(innovation: Innovation, replications: int, documents) -> dict:
    """Only what the public page shows: no people, notes, reasons or private files."""
    agency = innovation.agency
    return {
        "id": innovation.id,
        "title": innovation.title,
        "summary": innovation.summary,
        "problem": innovation.problem,
        "results": innovation.results,
        "stage": innovation.stage,
        "state": innovation.state,
        "category": innovation.category,
        "is_digital": innovation.is_digital,
        "agency": agency.name if agency else None,
        "region": agency.region.name if agency else None,
        "replications": replications,
        "url": _absolute("catalogue.detail", ref=catalogue.catalogue_ref(innovation)),
        "documents": [
            {
                "title": d.title,
                "kind": d.kind,
                "content_type": d.content_type,
                "url": _absolute("innovations.download", document_id=d.id),
            }
            for d in documents
        ],
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(build_spec(current_app))
