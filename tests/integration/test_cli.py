"""The flask commands: seed-demo (idempotent, contract data) and users create."""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from incubator.demo import DEMO_PASSWORD, REGENCIES
from incubator.extensions import db
from incubator.models import (
    Innovation,
    Membership,
    MentorAssignment,
    Milestone,
    Programme,
    Region,
    Role,
    Stage,
    User,
    utcnow,
)
from incubator.pipeline.memberships import role_in

TABLES = (User, Region, Innovation, Milestone, MentorAssignment)


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
    regencies = set(db.session.scalars(select(Region.name).where(Region.kind == "regency")))
    assert regencies == set(REGENCIES)

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
