"""Read queries for innovation pages: each loads what the page shows, in a fixed
number of queries whatever the number of milestones or entries."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, func, or_, select, union
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import (
    ActivityEntry,
    Agency,
    Document,
    DueDateRequest,
    DueDateRequestStatus,
    Innovation,
    InnovationState,
    MentorAssignment,
    Milestone,
    MilestoneTemplate,
    Programme,
    ProgressUpdate,
    Region,
    Stage,
    User,
    innovation_members,
    programme_members,
    sdg_goals,
)
from ..pipeline.innovations import agencies_query, innovators_query, replicable_query
from ..pipeline.publication import is_suggested

DUE_SOON_DAYS = 7
TIMELINE_LIMIT = 200
HISTORY_PER_MILESTONE = 5


def milestone_status(milestone: Milestone, today: date) -> str | None:
    """done, overdue, due_today, due_soon or None: what makes a milestone stand out."""
    if milestone.done_at is not None:
        return "done"
    if milestone.due_date is None:
        return None
    if milestone.due_date < today:
        return "overdue"
    if milestone.due_date == today:
        return "due_today"
    if milestone.due_date <= today + timedelta(days=DUE_SOON_DAYS):
        return "due_soon"
    return None


@dataclass
class Profile:
    """What the header and Overview tab show about one innovation."""

    innovation: Innovation
    programme: Programme
    agency: Agency | None
    owner: User | None
    team: list[User]
    replicates: Innovation | None
    replicated_by: int
    milestone_counts: dict = field(default_factory=dict)
    mentors: list[User] = field(default_factory=list)  # assigned now, by name
    sdgs: list[int] = field(default_factory=list)


def profile(innovation: Innovation) -> Profile:
    loaded = db.session.scalars(
        select(Innovation)
        .where(Innovation.id == innovation.id)
        .options(
            joinedload(Innovation.programme),
            joinedload(Innovation.agency).joinedload(Agency.region),
            joinedload(Innovation.owner),
            joinedload(Innovation.replicates),
            selectinload(Innovation.team),
        )
    ).one()
    replicated_by = db.session.scalar(
        select(func.count(Innovation.id)).where(Innovation.replicates_id == innovation.id)
    )
    done = func.count(Milestone.done_at)
    total, finished = db.session.execute(
        select(func.count(Milestone.id), done).where(
            Milestone.innovation_id == innovation.id, Milestone.stage == innovation.stage
        )
    ).one()
    mentors = db.session.scalars(
        select(User)
        .join(MentorAssignment, MentorAssignment.mentor_id == User.id)
        .where(
            MentorAssignment.innovation_id == innovation.id,
            MentorAssignment.unassigned_at.is_(None),
        )
        .order_by(User.name)
    ).all()
    return Profile(
        mentors=list(mentors),
        innovation=loaded,
        programme=loaded.programme,
        agency=loaded.agency,
        owner=loaded.owner,
        team=sorted(loaded.team, key=lambda u: u.name),
        replicates=loaded.replicates,
        replicated_by=replicated_by or 0,
        milestone_counts={"total": total, "done": finished},
        sdgs=sdg_goals(innovation.id),
    )


def pending_due_date_requests(milestone_ids: list[int]) -> set[int]:
    """Which of these milestones wait for a coordinator's answer on a new due date."""
    if not milestone_ids:
        return set()
    return set(
        db.session.scalars(
            select(DueDateRequest.milestone_id).where(
                DueDateRequest.milestone_id.in_(milestone_ids),
                DueDateRequest.status == DueDateRequestStatus.PENDING,
            )
        )
    )


def milestones(innovation_id: int) -> list[Milestone]:
    """An innovation's milestones, by stage then due date, with their owners."""
    rows = db.session.scalars(
        select(Milestone)
        .where(Milestone.innovation_id == innovation_id)
        .options(joinedload(Milestone.owner))
        .order_by(Milestone.due_date.is_(None), Milestone.due_date, Milestone.id)
    ).all()
    order = {stage.value: stage.index for stage in Stage}
    return sorted(rows, key=lambda m: order.get(m.stage, 99))


@dataclass
class Publication:
    """Who published the innovation in the catalogue and who agreed, with when."""

    published_by: User | None
    consent_by: User | None
    suggested: bool


def publication(innovation: Innovation) -> Publication:
    ids = {i for i in (innovation.published_by_id, innovation.consent_by_id) if i}
    people = (
        {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    )
    return Publication(
        published_by=people.get(innovation.published_by_id),
        consent_by=people.get(innovation.consent_by_id),
        suggested=is_suggested(innovation),
    )


def documents(innovation_id: int) -> list[Document]:
    """An innovation's documents, newest first, with their milestone and uploader."""
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.innovation_id == innovation_id)
            .options(joinedload(Document.milestone), joinedload(Document.uploaded_by))
            .order_by(Document.created_at.desc(), Document.id.desc())
        )
    )


def milestone_of(innovation_id: int, milestone_id: int) -> Milestone | None:
    return db.session.scalar(
        select(Milestone).where(
            Milestone.id == milestone_id, Milestone.innovation_id == innovation_id
        )
    )


def load_owner(milestone: Milestone) -> None:
    """Load the owner onto a milestone the session holds (one statement at most: none
    when the owner is in the session already), leaving its other values as they are."""
    owner = db.session.get(User, milestone.owner_id) if milestone.owner_id else None
    set_committed_value(milestone, "owner", owner)


def progress_history(milestone_ids, per_milestone: int | None = HISTORY_PER_MILESTONE):
    """Latest progress updates per milestone, newest first, in one statement: rows (not
    ORM objects) with the author's name. For one milestone a LIMIT, for several a rank
    over ids alone, so only the updates shown are read whole."""
    ids = list(milestone_ids)
    if not ids:
        return {}
    newest_first = (ProgressUpdate.created_at.desc(), ProgressUpdate.id.desc())
    query = (
        select(
            ProgressUpdate.id,
            ProgressUpdate.milestone_id,
            ProgressUpdate.from_progress,
            ProgressUpdate.to_progress,
            ProgressUpdate.note,
            ProgressUpdate.evidence_url,
            ProgressUpdate.document_id,
            ProgressUpdate.created_at,
            User.name.label("author_name"),
        )
        .outerjoin(User, User.id == ProgressUpdate.author_id)
        .order_by(*newest_first)
    )
    if len(ids) == 1:
        query = query.where(ProgressUpdate.milestone_id == ids[0]).limit(per_milestone)
    elif per_milestone is None:
        query = query.where(ProgressUpdate.milestone_id.in_(ids))
    else:
        rank = func.row_number().over(
            partition_by=ProgressUpdate.milestone_id, order_by=newest_first
        )
        ranked = (
            select(ProgressUpdate.id, rank.label("rank"))
            .where(ProgressUpdate.milestone_id.in_(ids))
            .subquery()
        )
        query = query.join(ranked, ranked.c.id == ProgressUpdate.id).where(
            ranked.c.rank <= per_milestone
        )
    history = defaultdict(list)
    for update in db.session.execute(query):
        history[update.milestone_id].append(update)
    return history


def update_counts(milestone_ids) -> dict[int, int]:
    if not milestone_ids:
        return {}
    return dict(
        db.session.execute(
            select(ProgressUpdate.milestone_id, func.count(ProgressUpdate.id))
            .where(ProgressUpdate.milestone_id.in_(list(milestone_ids)))
            .group_by(ProgressUpdate.milestone_id)
        ).all()
    )


def update_count(milestone_id: int) -> int:
    """One milestone's count of updates (a plain equality: cheaper than `update_counts`)."""
    return db.session.connection().scalar(_update_count_statement(), {"id": milestone_id})


@cache
def _update_count_statement():
    # Built once, run on the connection: every progress save asks it, and building the
    # statement and passing it through the ORM cost more than counting.
    return (
        select(func.count())
        .select_from(ProgressUpdate)
        .where(ProgressUpdate.milestone_id == bindparam("id"))
    )


def timeline(innovation_id: int, limit: int = TIMELINE_LIMIT) -> list[ActivityEntry]:
    return list(
        db.session.scalars(
            select(ActivityEntry)
            .where(ActivityEntry.innovation_id == innovation_id)
            .options(joinedload(ActivityEntry.actor))
            .order_by(ActivityEntry.created_at.desc(), ActivityEntry.id.desc())
            .limit(limit)
        )
    )


def _mine_filter(user: User):
    """Innovations the user works on, in programmes they still belong to. The ids they
    own and the ids of their teams are one UNION, each read by its index: written as
    `owner_id = ? OR id IN (team)`, PostgreSQL could not tell how few that was and read
    every milestone of the database to find an innovator's 40 (22 ms at 10,000)."""
    mine = union(
        select(Innovation.id).where(Innovation.owner_id == user.id),
        select(innovation_members.c.innovation_id).where(innovation_members.c.user_id == user.id),
    )
    programmes = select(programme_members.c.programme_id).where(
        programme_members.c.user_id == user.id
    )
    return (Innovation.id.in_(mine), Innovation.programme_id.in_(programmes))


def my_innovations(user: User) -> list[Innovation]:
    return list(
        db.session.scalars(
            select(Innovation)
            .where(*_mine_filter(user))
            .options(joinedload(Innovation.programme))
            .order_by(Innovation.state, Innovation.title, Innovation.id)
        )
    )


def my_milestones(user: User, done_since: datetime) -> tuple[list[Milestone], list[Milestone]]:
    """(open milestones by due date, milestones done since `done_since`) of the
    user's active or on-hold innovations."""
    base = (
        select(Milestone)
        .join(Milestone.innovation)
        .where(
            *_mine_filter(user),
            Innovation.state.in_([InnovationState.ACTIVE, InnovationState.ON_HOLD]),
        )
        .options(contains_eager(Milestone.innovation))  # the owner is not shown there
    )
    open_ = db.session.scalars(
        base.where(Milestone.done_at.is_(None)).order_by(
            Milestone.due_date.is_(None), Milestone.due_date, Milestone.id
        )
    ).all()
    done = db.session.scalars(
        base.where(Milestone.done_at >= done_since)
        .order_by(Milestone.done_at.desc(), Milestone.id)
        .limit(50)
    ).all()
    return list(open_), list(done)


def pending_proposals(programme: Programme) -> list[Innovation]:
    return list(
        db.session.scalars(
            select(Innovation)
            .where(
                Innovation.programme_id == programme.id,
                Innovation.is_proposal.is_(True),
                Innovation.state == InnovationState.ACTIVE,
            )
            .options(joinedload(Innovation.owner), joinedload(Innovation.agency))
            .order_by(Innovation.created_at, Innovation.id)
        )
    )


def templates_by_stage(programme: Programme) -> dict[str, list[MilestoneTemplate]]:
    rows = db.session.scalars(
        select(MilestoneTemplate)
        .where(MilestoneTemplate.programme_id == programme.id)
        .order_by(MilestoneTemplate.position, MilestoneTemplate.id)
    )
    grouped = {stage.value: [] for stage in Stage}
    for template in rows:
        grouped.setdefault(template.stage, []).append(template)
    return grouped


# -- options for the forms' selects: (id, label) rows --------------------------------


def agency_options(programme_id: int) -> list[tuple[int, str]]:
    rows = db.session.execute(
        agencies_query(programme_id)  # already joined to Region
        .with_only_columns(Agency.id, Agency.name, Region.name)
        .order_by(Region.name, Agency.name)
    ).all()
    return [(a_id, f"{name} ({region})") for a_id, name, region in rows]


def innovator_options(programme_id: int) -> list[tuple[int, str]]:
    rows = db.session.execute(
        innovators_query(programme_id).with_only_columns(User.id, User.name).order_by(User.name)
    ).all()
    return [(uid, name) for uid, name in rows]


def replicable_options(programme_id: int, innovation_id: int | None) -> list[tuple[int, str]]:
    rows = db.session.execute(
        replicable_query(programme_id, innovation_id)
        .with_only_columns(Innovation.id, Innovation.title)
        .order_by(Innovation.title, Innovation.id)
    ).all()
    return [(iid, title) for iid, title in rows]


def team_options(innovation: Innovation) -> list[tuple[int, str]]:
    members = select(innovation_members.c.user_id).where(
        innovation_members.c.innovation_id == innovation.id
    )
    rows = db.session.execute(
        select(User.id, User.name)
        .where(or_(User.id.in_(members), User.id == innovation.owner_id))
        .order_by(User.name)
    ).all()
    return [(uid, name) for uid, name in rows]
