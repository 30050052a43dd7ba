"""The dashboard's figures: each one SQL aggregate over the programme, never a loop
over its innovations. The number of queries is fixed (tests/integration/reports
checks it equal for 10 and 1,000 innovations).

Scope: the programme's registered innovations (proposals left out), narrowed by
region, agency and SPM sector, and for a mentor to the innovations they mentor now.
The period narrows the funnel and time in stage to stage entries within it; the
other figures describe today.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import (
    exists,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement
from sqlalchemy.types import Float

from ..extensions import db
from ..models import (
    Agency,
    Feedback,
    Innovation,
    InnovationState,
    Membership,
    MentorAssignment,
    Milestone,
    Programme,
    ProgressUpdate,
    Region,
    Role,
    Stage,
    StageTransition,
    User,
    innovation_sdgs,
    programme_agencies,
)
from ..models.base import UTCDateTime
from ..models.sql import group_text
from .filters import DashboardFilters

LONGEST = 10  # the longest-waiting cards listed
STALLED_SHOWN = 100  # the stalled list stops here; the count does not


class elapsed_days(FunctionElement):  # noqa: N801
    """Days (with fractions) from `earlier` to `later`, two timestamps."""

    type = Float()
    inherit_cache = True
    name = "elapsed_days"


@compiles(elapsed_days)
def _elapsed_days(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 86400.0)"


@compiles(elapsed_days, "sqlite")
def _elapsed_days_sqlite(element, compiler, **kw):
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(julianday({later}) - julianday({earlier}))"


@dataclass
class StageTime:
    stays: int = 0
    median: float | None = None
    p90: float | None = None


@dataclass
class Dashboard:
    by_stage_state: dict  # {stage: {state: count}}
    totals_by_state: dict
    total: int
    funnel: dict  # {stage: innovations that entered it}
    stage_times: dict  # {stage: StageTime}
    longest: list  # rows: id, title, stage, days, owner, agency
    stalled: list  # rows: id, title, stage, idle days, owner, mentors
    stalled_count: int
    overdue_by_agency: list  # (agency name, region name, count)
    overdue_by_region: list  # (region name, count)
    overdue_total: int
    mentors: list  # rows: id, name, capacity, load_all, load_here, waiting
    waiting_total: int
    coverage_agencies: list  # (agency name, region name, active innovations)
    by_sector: list  # (sector key or None, innovations)
    by_sdg: list  # (goal, innovations)
    stall_days: int
    today: date
    mentor_view: bool = False
    # Replication: copies made of this programme's innovations (anywhere), and the
    # innovations in this programme that copy another.
    replications_of_its: int = 0
    replications_in_it: int = 0
    notes: dict = field(default_factory=dict)

    @property
    def covered(self) -> int:
        return sum(1 for _name, _region, count in self.coverage_agencies if count)

    @property
    def coverage_share(self) -> int | None:
        if not self.coverage_agencies:
            return None
        return round(100 * self.covered / len(self.coverage_agencies))

    @property
    def uncovered(self) -> list:
        return [(name, region) for name, region, count in self.coverage_agencies if not count]


def scope(programme: Programme, filters: DashboardFilters, mentor_id: int | None) -> list:
    """WHERE clauses on Innovation for the innovations the figures count."""
    clauses = [Innovation.programme_id == programme.id, Innovation.is_proposal.is_(False)]
    if filters.region:
        clauses.append(
            Innovation.agency_id.in_(
                select(Agency.id).where(Agency.region_id == filters.region).correlate(None)
            )
        )
    if filters.agency:
        clauses.append(Innovation.agency_id == filters.agency)
    if filters.sector:
        clauses.append(Innovation.spm_sector == filters.sector)
    if mentor_id is not None:
        # An alias: queries that count MentorAssignment rows themselves use this scope too.
        mine = aliased(MentorAssignment)
        clauses.append(
            exists().where(
                mine.innovation_id == Innovation.id,
                mine.mentor_id == mentor_id,
                mine.unassigned_at.is_(None),
            )
        )
    return clauses


def _period(filters: DashboardFilters, column, zone_start) -> list:
    """Conditions keeping `column` (a UTC timestamp) inside the period's local days."""
    conditions = []
    if filters.start:
        conditions.append(column >= zone_start(filters.start))
    if filters.end:
        conditions.append(column < zone_start(filters.end + timedelta(days=1)))
    return conditions


def build(
    programme: Programme,
    filters: DashboardFilters,
    *,
    today: date,
    now: datetime,
    zone,
    mentor_id: int | None = None,
) -> Dashboard:
    """Every figure of the dashboard: twelve queries, whatever the programme's size."""

    def zone_start(day: date) -> datetime:
        return datetime.combine(day, time(0), tzinfo=zone)

    where = scope(programme, filters, mentor_id)
    by_stage_state, totals, total = _stage_state(where)
    stall_cutoff = now - timedelta(days=programme.stall_days)
    stalled, stalled_count = _stalled(where, stall_cutoff, now)
    by_agency, by_region, overdue_total = _overdue(where, today)
    mentors, waiting_total = _mentors(programme, where, mentor_id)
    of_its, in_it = _replications(programme)
    return Dashboard(
        by_stage_state=by_stage_state,
        totals_by_state=totals,
        total=total,
        funnel=_funnel(where, _period(filters, StageTransition.created_at, zone_start)),
        stage_times=_stage_times(where, filters, zone_start, now),
        longest=_longest(where, now),
        stalled=stalled,
        stalled_count=stalled_count,
        overdue_by_agency=by_agency,
        overdue_by_region=by_region,
        overdue_total=overdue_total,
        mentors=mentors,
        waiting_total=waiting_total,
        coverage_agencies=_coverage(programme, filters, where),
        by_sector=_by_sector(where),
        by_sdg=_by_sdg(where),
        stall_days=programme.stall_days,
        today=today,
        mentor_view=mentor_id is not None,
        replications_of_its=of_its,
        replications_in_it=in_it,
    )


def _replications(programme: Programme) -> tuple[int, int]:
    """Both replication counts in one query (the whole programme, whatever the filters)."""
    original = aliased(Innovation)
    of_its = (
        select(func.count(Innovation.id))
        .join(original, original.id == Innovation.replicates_id)
        .where(original.programme_id == programme.id)
        .scalar_subquery()
    )
    in_it = (
        select(func.count(Innovation.id))
        .where(Innovation.programme_id == programme.id, Innovation.replicates_id.is_not(None))
        .scalar_subquery()
    )
    row = db.session.execute(select(of_its, in_it)).one()
    return row[0] or 0, row[1] or 0


def _stage_state(where: list):
    rows = db.session.execute(
        select(Innovation.stage, Innovation.state, func.count(Innovation.id))
        .where(*where)
        .group_by(Innovation.stage, Innovation.state)
    )
    table = {stage.value: {state.value: 0 for state in InnovationState} for stage in Stage}
    totals = {state.value: 0 for state in InnovationState}
    total = 0
    for stage, state, count in rows:
        if stage in table and state in totals:
            table[stage][state] = count
            totals[state] += count
            total += count
    return table, totals, total


def _funnel(where: list, period: list) -> dict:
    rows = db.session.execute(
        select(StageTransition.to_stage, func.count(func.distinct(StageTransition.innovation_id)))
        .join(Innovation, Innovation.id == StageTransition.innovation_id)
        .where(*where, *period)
        .group_by(StageTransition.to_stage)
    )
    funnel = {stage.value: 0 for stage in Stage}
    funnel.update({stage: count for stage, count in rows if stage in funnel})
    return funnel


def _stage_times(where: list, filters: DashboardFilters, zone_start, now: datetime) -> dict:
    """Median and 90th percentile days per stage over stays: from entering a stage to
    the next move, or to now for the stay an active (or on-hold) card is in. Computed
    as percentile_cont does (linear between the two nearest ranks), from the at most
    four ranked rows per stage that the interpolation needs."""
    following = (
        func.lead(StageTransition.created_at)
        .over(
            partition_by=StageTransition.innovation_id,
            order_by=(StageTransition.created_at, StageTransition.id),
        )
        .label("left_at")
    )
    transitions = (
        select(
            StageTransition.to_stage.label("stage"),
            StageTransition.created_at.label("entered_at"),
            following,
            Innovation.state.label("state"),
        )
        .join(Innovation, Innovation.id == StageTransition.innovation_id)
        .where(*where)
        .subquery()
    )
    open_counts = transitions.c.state.in_([InnovationState.ACTIVE, InnovationState.ON_HOLD])
    ended = func.coalesce(transitions.c.left_at, literal(now, UTCDateTime()))
    stays = (
        select(
            transitions.c.stage,
            elapsed_days(ended, transitions.c.entered_at).label("days"),
        )
        .where(
            or_(transitions.c.left_at.is_not(None), open_counts),
            *_period(filters, transitions.c.entered_at, zone_start),
        )
        .subquery()
    )
    ranked = select(
        stays.c.stage,
        stays.c.days,
        func.row_number().over(partition_by=stays.c.stage, order_by=stays.c.days).label("rank"),
        func.count().over(partition_by=stays.c.stage).label("n"),
    ).subquery()
    # 0-based positions (n-1)*q for q = 0.5 and 0.9, and the ranks either side of them.
    half_low = (ranked.c.n - 1) // 2
    ninety_low = (ranked.c.n - 1) * 9 // 10
    wanted = ranked.c.rank - 1
    rows = db.session.execute(
        select(ranked.c.stage, ranked.c.rank, ranked.c.n, ranked.c.days).where(
            or_(
                wanted == half_low,
                wanted == half_low + 1,
                wanted == ninety_low,
                wanted == ninety_low + 1,
            )
        )
    )
    picked: dict = defaultdict(dict)
    counts: dict = {}
    for stage, rank, n, days in rows:
        picked[stage][rank - 1] = float(days)
        counts[stage] = n
    times = {stage.value: StageTime() for stage in Stage}
    for stage, n in counts.items():
        if stage in times:
            times[stage] = StageTime(
                stays=n,
                median=_interpolate(picked[stage], n, 0.5),
                p90=_interpolate(picked[stage], n, 0.9),
            )
    return times


def _interpolate(values: dict, n: int, q: float) -> float:
    position = (n - 1) * q
    low = int(position)
    fraction = position - low
    lower = values[low]
    upper = values.get(low + 1, lower)
    return round(lower + (upper - lower) * fraction, 1)


def _longest(where: list, now: datetime) -> list:
    owner = User
    rows = db.session.execute(
        select(
            Innovation.id,
            Innovation.title,
            Innovation.stage,
            Innovation.stage_entered_at,
            owner.name,
            Agency.name,
        )
        .outerjoin(owner, owner.id == Innovation.owner_id)
        .outerjoin(Agency, Agency.id == Innovation.agency_id)
        .where(*where, Innovation.state == InnovationState.ACTIVE)
        .order_by(Innovation.stage_entered_at, Innovation.id)
        .limit(LONGEST)
    )
    return [
        {
            "id": row[0],
            "title": row[1],
            "stage": row[2],
            "days": max((now - row[3]).days, 0),
            "owner": row[4] or "",
            "agency": row[5] or "",
        }
        for row in rows
    ]


def _mentor_names():
    mentor = User.__table__.alias("mentor_user")
    return (
        select(group_text(mentor.c.name, literal(", ")))
        .select_from(MentorAssignment)
        .join(mentor, mentor.c.id == MentorAssignment.mentor_id)
        .where(
            MentorAssignment.innovation_id == Innovation.id,
            MentorAssignment.unassigned_at.is_(None),
        )
        .scalar_subquery()
    )


def _stalled(where: list, cutoff: datetime, now: datetime):
    """Active cards that neither moved nor had a progress update since `cutoff`."""
    last_progress = (
        select(func.max(ProgressUpdate.created_at))
        .join(Milestone, Milestone.id == ProgressUpdate.milestone_id)
        .where(Milestone.innovation_id == Innovation.id)
        .scalar_subquery()
    )
    progressed = exists().where(
        Milestone.innovation_id == Innovation.id,
        ProgressUpdate.milestone_id == Milestone.id,
        ProgressUpdate.created_at >= cutoff,
    )
    rows = db.session.execute(
        select(
            Innovation.id,
            Innovation.title,
            Innovation.stage,
            Innovation.stage_entered_at,
            last_progress,
            User.name,
            _mentor_names(),
            func.count().over().label("total"),
        )
        .outerjoin(User, User.id == Innovation.owner_id)
        .where(
            *where,
            Innovation.state == InnovationState.ACTIVE,
            Innovation.stage_entered_at < cutoff,
            not_(progressed),
        )
        .order_by(Innovation.stage_entered_at, Innovation.id)
        .limit(STALLED_SHOWN)
    )
    stalled, total = [], 0
    for row in rows:
        latest = max(row[3], row[4]) if row[4] else row[3]
        stalled.append(
            {
                "id": row[0],
                "title": row[1],
                "stage": row[2],
                "idle_days": max((now - latest).days, 0),
                "owner": row[5] or "",
                "mentors": row[6] or "",
            }
        )
        total = row[7]
    return stalled, total


def _overdue(where: list, today: date):
    """Open milestones past due on active cards, counted per agency (and region)."""
    rows = db.session.execute(
        select(Region.name, Agency.name, func.count(Milestone.id))
        .select_from(Milestone)
        .join(Innovation, Innovation.id == Milestone.innovation_id)
        .outerjoin(Agency, Agency.id == Innovation.agency_id)
        .outerjoin(Region, Region.id == Agency.region_id)
        .where(
            *where,
            Innovation.state == InnovationState.ACTIVE,
            Milestone.done_at.is_(None),
            Milestone.due_date < today,
        )
        .group_by(Region.name, Agency.name)
    )
    by_agency, regions, total = [], defaultdict(int), 0
    for region, agency, count in rows:
        by_agency.append((agency or "", region or "", count))
        regions[region or ""] += count
        total += count
    by_agency.sort(key=lambda row: (-row[2], row[0]))
    by_region = sorted(regions.items(), key=lambda row: (-row[1], row[0]))
    return by_agency, by_region, total


def _mentors(programme: Programme, where: list, mentor_id: int | None):
    """Each mentor of the programme: capacity, mentees everywhere and here, and their
    feedback threads still waiting for a reply (on innovations in scope). One
    statement: the three counts are grouped once per mentor in subqueries joined to
    the programme's mentors (not counted again for every mentor)."""
    mentors_here = select(Membership.user_id).where(
        Membership.programme_id == programme.id, Membership.role == Role.MENTOR
    )
    if mentor_id is not None:
        mentors_here = mentors_here.where(Membership.user_id == mentor_id)
    counted = Innovation.__table__.alias("counted")
    everywhere = (
        select(MentorAssignment.mentor_id.label("mentor_id"), func.count().label("n"))
        .join(counted, counted.c.id == MentorAssignment.innovation_id)
        .where(
            MentorAssignment.mentor_id.in_(mentors_here),
            MentorAssignment.unassigned_at.is_(None),
            counted.c.state.in_([InnovationState.ACTIVE, InnovationState.ON_HOLD]),
        )
        .group_by(MentorAssignment.mentor_id)
        .subquery("everywhere")
    )
    here = (
        select(MentorAssignment.mentor_id.label("mentor_id"), func.count().label("n"))
        .join(Innovation, Innovation.id == MentorAssignment.innovation_id)
        .where(
            MentorAssignment.mentor_id.in_(mentors_here),
            MentorAssignment.unassigned_at.is_(None),
            *where,
        )
        .group_by(MentorAssignment.mentor_id)
        .subquery("here")
    )
    reply = Feedback.__table__.alias("reply")
    waiting = (
        select(Feedback.author_id.label("author_id"), func.count().label("n"))
        .join(Innovation, Innovation.id == Feedback.innovation_id)
        .where(
            Feedback.author_id.in_(mentors_here),
            Feedback.parent_id.is_(None),
            ~exists().where(reply.c.parent_id == Feedback.id),
            *where,
        )
        .group_by(Feedback.author_id)
        .subquery("waiting")
    )
    query = (
        select(
            User.id,
            User.name,
            User.mentor_capacity,
            func.coalesce(everywhere.c.n, 0),
            func.coalesce(here.c.n, 0),
            func.coalesce(waiting.c.n, 0),
        )
        .join(Membership, Membership.user_id == User.id)
        .outerjoin(everywhere, everywhere.c.mentor_id == User.id)
        .outerjoin(here, here.c.mentor_id == User.id)
        .outerjoin(waiting, waiting.c.author_id == User.id)
        .where(Membership.programme_id == programme.id, Membership.role == Role.MENTOR)
        .order_by(User.name, User.id)
    )
    if mentor_id is not None:
        query = query.where(User.id == mentor_id)
    mentors = [
        {
            "id": row[0],
            "name": row[1],
            "capacity": row[2],
            "load_all": row[3],
            "load_here": row[4],
            "waiting": row[5],
            "over": row[3] > row[2],
        }
        for row in db.session.execute(query)
    ]
    return mentors, sum(m["waiting"] for m in mentors)


def _coverage(programme: Programme, filters: DashboardFilters, where: list) -> list:
    """The programme's agencies (narrowed by region/agency) with their active innovations."""
    active = (
        select(func.count(Innovation.id))
        .where(*where, Innovation.agency_id == Agency.id, Innovation.state == "active")
        .scalar_subquery()
    )
    query = (
        select(Agency.name, Region.name, active)
        .join(programme_agencies, programme_agencies.c.agency_id == Agency.id)
        .join(Region, Region.id == Agency.region_id)
        .where(programme_agencies.c.programme_id == programme.id)
        .order_by(Agency.name, Agency.id)
    )
    if filters.region:
        query = query.where(Agency.region_id == filters.region)
    if filters.agency:
        query = query.where(Agency.id == filters.agency)
    return [(name, region, count) for name, region, count in db.session.execute(query)]


def _by_sector(where: list) -> list:
    """Innovations per SPM sector (None: not chosen yet), largest first."""
    rows = db.session.execute(
        select(Innovation.spm_sector, func.count(Innovation.id))
        .where(*where)
        .group_by(Innovation.spm_sector)
    )
    return sorted(rows, key=lambda row: (-row[1], row[0] or "~"))


def _by_sdg(where: list) -> list:
    """Innovations linked to each SDG goal, in goal order."""
    rows = db.session.execute(
        select(innovation_sdgs.c.goal, func.count(Innovation.id))
        .join(Innovation, Innovation.id == innovation_sdgs.c.innovation_id)
        .where(*where)
        .group_by(innovation_sdgs.c.goal)
        .order_by(innovation_sdgs.c.goal)
    )
    return [tuple(row) for row in rows]
