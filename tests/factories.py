"""Test data builders (the CTFd `gen_*` idea): small, explicit, flushed not committed."""

from dataclasses import dataclass
from datetime import date, timedelta
from itertools import count

from werkzeug.security import generate_password_hash

from incubator.extensions import db
from incubator.models import (
    Agency,
    Innovation,
    Membership,
    MentorAssignment,
    Milestone,
    MilestoneTemplate,
    Programme,
    ProgressUpdate,
    Region,
    Role,
    Stage,
    User,
    programme_agencies,
)

PASSWORD = "correct-horse-battery"
# Hashing is slow on purpose (about 0.1 s to check the app's scrypt:32768:8:1). Test
# users share one hash with a small work factor, so each login through the real form
# costs milliseconds; the app still checks it with the same code.
_PASSWORD_HASH = generate_password_hash(PASSWORD, method="scrypt:1024:8:1")
_seq = count(1)


def make_user(role: Role | str = Role.INNOVATOR, *, programme=None, **fields) -> User:
    """An account; with `programme`, a member of it in `role` (roles live on memberships)."""
    n = next(_seq)
    user = User(
        email=fields.pop("email", f"user{n}@example.org"),
        name=fields.pop("name", f"Test {str(role).title()} {n}"),
        **fields,
    )
    user.password_hash = _PASSWORD_HASH
    db.session.add(user)
    db.session.flush()
    if programme is not None:
        add_member(programme, user, role)
    return user


def add_member(programme: Programme, user: User, role: Role | str) -> Membership:
    membership = Membership(programme_id=programme.id, user_id=user.id, role=str(role))
    db.session.add(membership)
    db.session.flush()
    return membership


def make_programme(**fields) -> Programme:
    n = next(_seq)
    region = Region(name=fields.pop("region_name", f"Region {n}"), kind="regency")
    db.session.add(region)
    db.session.flush()
    programme = Programme(
        slug=fields.pop("slug", f"programme-{n}"),
        name=fields.pop("name", f"Programme {n}"),
        region_id=region.id,
        timezone=fields.pop("timezone", "Asia/Makassar"),
        **fields,
    )
    db.session.add(programme)
    db.session.flush()
    return programme


def make_agency(region_id: int, name: str | None = None, *, programme=None) -> Agency:
    """An agency; taking part in `programme` when given (innovations may then use it)."""
    agency = Agency(name=name or f"Agency {next(_seq)}", region_id=region_id)
    db.session.add(agency)
    db.session.flush()
    if programme is not None:
        db.session.execute(
            programme_agencies.insert().values(programme_id=programme.id, agency_id=agency.id)
        )
    return agency


def make_innovation(programme: Programme, *, owner: User | None = None, team=(), **fields):
    n = next(_seq)
    innovation = Innovation(
        programme_id=programme.id,
        title=fields.pop("title", f"Innovation {n}"),
        owner_id=owner.id if owner else None,
        stage=fields.pop("stage", Stage.CREATION),
        position=fields.pop("position", n * 1024),
        **fields,
    )
    members = list(team) or ([owner] if owner else [])
    innovation.team = members
    db.session.add(innovation)
    db.session.flush()
    return innovation


def make_milestone(innovation: Innovation, **fields) -> Milestone:
    milestone = Milestone(
        innovation_id=innovation.id,
        stage=fields.pop("stage", innovation.stage),
        title=fields.pop("title", f"Milestone {next(_seq)}"),
        due_date=fields.pop("due_date", date.today() + timedelta(days=7)),
        **fields,
    )
    db.session.add(milestone)
    db.session.flush()
    return milestone


def add_progress_update(milestone: Milestone, author: User, to_progress: int = 5):
    """A row of the milestone's progress history (its progress itself is not changed)."""
    update = ProgressUpdate(
        milestone_id=milestone.id, author_id=author.id, from_progress=0, to_progress=to_progress
    )
    db.session.add(update)
    return update


def make_templates(programme: Programme, stage, rows) -> list[MilestoneTemplate]:
    """Milestone templates of one stage from (title, offset_days, required) rows, in order."""
    templates = [
        MilestoneTemplate(
            programme_id=programme.id,
            stage=stage,
            title=title,
            offset_days=offset,
            required=required,
            position=i,
        )
        for i, (title, offset, required) in enumerate(rows)
    ]
    db.session.add_all(templates)
    db.session.flush()
    return templates


def assign_mentor(innovation: Innovation, mentor: User, by: User | None = None):
    assignment = MentorAssignment(
        innovation_id=innovation.id, mentor_id=mentor.id, assigned_by_id=by.id if by else None
    )
    db.session.add(assignment)
    db.session.flush()
    return assignment


@dataclass
class World:
    """One programme with a coordinator, an innovator who owns `innovation`, its
    assigned mentor, and outsiders: another innovator and mentor in the same
    programme, and a second programme the others cannot see."""

    programme: Programme
    coordinator: User
    innovator: User
    mentor: User
    other_innovator: User
    other_mentor: User
    innovation: Innovation
    other_innovation: Innovation
    foreign_programme: Programme
    foreign_innovation: Innovation
    foreign_coordinator: User


def make_world() -> World:
    programme = make_programme()
    coordinator = make_user(Role.COORDINATOR, programme=programme)
    innovator = make_user(Role.INNOVATOR, programme=programme)
    mentor = make_user(Role.MENTOR, programme=programme)
    other_innovator = make_user(Role.INNOVATOR, programme=programme)
    other_mentor = make_user(Role.MENTOR, programme=programme)
    innovation = make_innovation(programme, owner=innovator)
    assign_mentor(innovation, mentor, by=coordinator)
    other_innovation = make_innovation(programme, owner=other_innovator)
    assign_mentor(other_innovation, other_mentor, by=coordinator)
    foreign = make_programme()
    foreign_coordinator = make_user(Role.COORDINATOR, programme=foreign)
    foreign_innovation = make_innovation(foreign, owner=foreign_coordinator)
    db.session.commit()
    return World(
        programme=programme,
        coordinator=coordinator,
        innovator=innovator,
        mentor=mentor,
        other_innovator=other_innovator,
        other_mentor=other_mentor,
        innovation=innovation,
        other_innovation=other_innovation,
        foreign_programme=foreign,
        foreign_innovation=foreign_innovation,
        foreign_coordinator=foreign_coordinator,
    )


def make_competition(programme: Programme | None = None, **fields):
    """A small competition template: a 20-word summary (weight 40) and a background
    section expecting documents (weight 60); a team decree and a video required; 12
    months' implementation before the closing date. Chosen by `programme` when given."""
    from incubator.models import (
        CompetitionRequiredDocument,
        CompetitionSection,
        CompetitionTemplate,
        DocumentKind,
        programme_competitions,
    )

    template = CompetitionTemplate(
        name=fields.pop("name", f"Competition {next(_seq)}"),
        year=fields.pop("year", 2026),
        closing_date=fields.pop("closing_date", date.today() + timedelta(days=30)),
        min_implementation_months=fields.pop("min_implementation_months", 12),
        requires_video=fields.pop("requires_video", True),
        description="",
        **fields,
    )
    db.session.add(template)
    db.session.flush()
    db.session.add_all(
        [
            CompetitionSection(
                template_id=template.id,
                position=1,
                title_id="Ringkasan",
                title_en="Summary",
                question_id="Apa inovasi ini?",
                question_en="What is the innovation?",
                word_limit=20,
                weight=40,
                expects_documents=False,
                prefill="summary",
            ),
            CompetitionSection(
                template_id=template.id,
                position=2,
                title_id="Latar Belakang",
                title_en="Background",
                question_id="Mengapa?",
                question_en="Why?",
                word_limit=None,
                weight=60,
                expects_documents=True,
                prefill="problem",
            ),
            CompetitionRequiredDocument(template_id=template.id, kind=DocumentKind.TEAM_DECREE),
        ]
    )
    if programme is not None:
        db.session.execute(
            programme_competitions.insert().values(
                programme_id=programme.id, template_id=template.id
            )
        )
    db.session.flush()
    return template


def make_entry(innovation: Innovation, template, by: User | None = None):
    """The innovation's entry for `template`, opened through the operation."""
    from incubator.pipeline.competitions import open_entry

    programme = db.session.get(Programme, innovation.programme_id)
    actor = by or db.session.get(User, innovation.owner_id)
    return open_entry(innovation, template, programme, actor)


def next_number() -> int:
    return next(_seq)
