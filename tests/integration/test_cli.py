"""The flask commands: seed-demo (idempotent, contract data) and users create."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from incubator.demo import DEMO_PASSWORD, PROVINCE_CODE
from incubator.extensions import db
from incubator.models import (
    EventKind,
    Innovation,
    Membership,
    MentorAssignment,
    Milestone,
    MilestoneTemplate,
    Programme,
    ProgrammeEvent,
    Region,
    Role,
    Stage,
    User,
    programme_regions,
    utcnow,
)
from incubator.pipeline.cohorts import DEFAULT_TEMPLATES
from incubator.pipeline.memberships import role_in

TABLES = (User, Region, Innovation, Milestone, MentorAssignment, ProgrammeEvent, Membership)


def _counts():
    return {m.__tablename__: db.session.scalar(select(func.count()).select_from(m)) for m in TABLES}


def test_seed_demo_loads_the_contract_data_once(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    first = _counts()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0
    assert "already" in result.output
    assert _counts() == first

    assert first["innovations"] >= 30
    stages = set(db.session.scalars(select(Innovation.stage).distinct()))
    assert stages == set(Stage)
    # The article's province and five regencies, by their Kemendagri codes.
    programme = db.session.scalar(select(Programme))
    assert db.session.get(Region, programme.region_id).code == PROVINCE_CODE
    ticked = db.session.execute(
        select(Region.code, Region.name)
        .join(programme_regions, programme_regions.c.region_id == Region.id)
        .order_by(Region.code)
    ).all()
    assert ticked == [
        ("53.03", "Kabupaten Timor Tengah Utara"),
        ("53.04", "Kabupaten Belu"),
        ("53.11", "Kabupaten Sumba Timur"),
        ("53.15", "Kabupaten Manggarai Barat"),
        ("53.20", "Kabupaten Sabu Raijua"),
    ]

    programme = db.session.scalar(select(Programme).where(Programme.slug == "ntt-2022"))
    for email, role in [
        ("coordinator@example.org", Role.COORDINATOR),
        ("mentor@example.org", Role.MENTOR),
        ("innovator@example.org", Role.INNOVATOR),
    ]:
        user = db.session.scalar(select(User).where(User.email == email))
        assert role_in(user.id, programme.id) == role
        assert user.is_organiser is (role == Role.COORDINATOR)
        assert user.check_password(DEMO_PASSWORD)

    innovator = db.session.scalar(select(User).where(User.email == "innovator@example.org"))
    mentor = db.session.scalar(select(User).where(User.email == "mentor@example.org"))
    owned = db.session.scalars(select(Innovation.id).where(Innovation.owner_id == innovator.id))
    mentored = db.session.scalars(
        select(MentorAssignment.innovation_id).where(MentorAssignment.mentor_id == mentor.id)
    )
    assert set(owned) & set(mentored)

    today = utcnow().date()
    dues = set(db.session.scalars(select(Milestone.due_date).where(Milestone.done_at.is_(None))))
    # "today" in the programme's zone may be a day ahead of UTC; accept either.
    assert any(d < today - timedelta(days=1) for d in dues)
    for offset in (0, 1, 7):
        assert {today + timedelta(days=offset), today + timedelta(days=offset + 1)} & dues


def test_seed_demo_if_empty_skips_a_used_database(app, world):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert "not empty" in result.output
    assert db.session.scalar(select(func.count(Innovation.id))) == 3


@pytest.mark.parametrize(
    ("role", "organiser"), [("coordinator", True), ("mentor", False), ("innovator", False)]
)
def test_users_create_prompts_for_password(app, role, organiser):
    """`--role coordinator` makes an organiser; the others get their role in a programme."""
    result = app.test_cli_runner().invoke(
        args=["users", "create", "--role", role, "--email", "New@Example.org", "--name", "Ana"],
        input="a-long-password\na-long-password\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert user.is_organiser is organiser
    assert user.check_password("a-long-password")
    assert db.session.scalar(select(func.count(Membership.user_id))) == 0


def test_users_create_rejects_bad_input_without_writing(app):
    runner = app.test_cli_runner()
    cases = [
        (["--role", "mentor", "--email", "not-an-email", "--name", "Ana"], "a-long-password"),
        (["--role", "mentor", "--email", "ana@example.org", "--name", "Ana"], "short"),
        (["--role", "boss", "--email", "ana@example.org", "--name", "Ana"], "a-long-password"),
    ]
    for args, password in cases:
        result = runner.invoke(args=["users", "create", *args], input=f"{password}\n{password}\n")
        assert result.exit_code != 0
        assert "Traceback" not in result.output
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_users_create_refuses_a_duplicate_email(app):
    runner = app.test_cli_runner()
    args = ["users", "create", "--role", "mentor", "--email", "ana@example.org", "--name", "Ana"]
    assert runner.invoke(args=args, input="a-long-password\na-long-password\n").exit_code == 0
    result = runner.invoke(args=args, input="a-long-password\na-long-password\n")
    assert result.exit_code == 1
    assert "already exists" in result.output


def test_seed_demo_builds_the_programme_through_the_operations(app):
    """The organiser created the programme (the log says so), then added its people."""
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    coordinator = db.session.scalar(select(User).where(User.email == "coordinator@example.org"))
    events = db.session.execute(
        select(ProgrammeEvent.kind, ProgrammeEvent.actor_id).order_by(ProgrammeEvent.id)
    ).all()
    assert events[0] == (EventKind.PROGRAMME_CREATED, coordinator.id)
    assert [kind for kind, _ in events].count(EventKind.MEMBER_ADDED) == 4
    assert {actor for _, actor in events} == {coordinator.id}
    titles = set(db.session.scalars(select(MilestoneTemplate.title)))
    assert titles == {title for rows in DEFAULT_TEMPLATES.values() for title, *_ in rows}
    programme = db.session.scalar(select(Programme))
    assert (programme.cohort_year, programme.wip_limits) == (2022, {"creation": 15})
