"""The permission matrix: every role x action x relation to the object.

Relations: "own" is the user's innovation (team member, or assigned mentor),
"other" an innovation in the same programme they have no part in, "foreign" an
innovation of a programme they are not a member of. Coordinators own nothing:
for them "own" and "other" are both innovations of their programme.
"""

import shutil
from datetime import timedelta

import pytest
from flask_login import login_user
from werkzeug.exceptions import Conflict

from incubator.auth import policy as policy_module
from incubator.auth.door import check
from incubator.auth.policy import (
    PROGRAMME_ACTIONS,
    Action,
    can,
    programme_permissions,
)
from incubator.extensions import db
from incubator.models import Feedback, Programme, Role, innovation_members, utcnow
from tests import factories

A = Action
C, INN, M = "coordinator", "innovator", "mentor"


@pytest.fixture
def database_url(tmp_path, sqlite_template) -> str:
    """SQLite only: the policy decides in Python from the memberships it reads in one
    statement, so its thousand rows would prove nothing more on PostgreSQL. There, the
    pages' role checks go through it over HTTP (tests/integration/test_pages.py and each
    feature's 403 and 404 tests)."""
    path = tmp_path / "test.db"
    shutil.copy(sqlite_template, path)
    return f"sqlite:///{path}"


# action -> {role: (own, other, foreign)}
MATRIX = {
    # World's people are not organisers: see test_only_organisers_create_programmes.
    A.CREATE_PROGRAMME: {C: (0, 0, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.EDIT_PROGRAMME: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.ARCHIVE_PROGRAMME: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.VIEW_PROGRAMME: {C: (1, 1, 0), INN: (1, 1, 0), M: (1, 1, 0)},
    A.MANAGE_PROGRAMME: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.VIEW_OUTBOX: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.RETRY_MESSAGE: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.EXPORT: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.VIEW_DASHBOARD: {C: (1, 1, 0), INN: (0, 0, 0), M: (1, 1, 0)},
    A.CREATE_INNOVATION: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.PROPOSE_INNOVATION: {C: (0, 0, 0), INN: (1, 1, 0), M: (0, 0, 0)},
    A.DECIDE_PROPOSAL: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.VIEW_INNOVATION: {C: (1, 1, 0), INN: (1, 1, 0), M: (1, 1, 0)},
    A.EDIT_INNOVATION: {C: (1, 1, 0), INN: (1, 0, 0), M: (0, 0, 0)},
    # The world's innovator owns "own"; a team member who is not the owner: see below.
    A.CHANGE_TEAM: {C: (1, 1, 0), INN: (1, 0, 0), M: (0, 0, 0)},
    A.CHANGE_STATE: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.MOVE_CARD: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.MANAGE_MILESTONES: {C: (1, 1, 0), INN: (1, 0, 0), M: (0, 0, 0)},
    A.RECORD_PROGRESS: {C: (1, 1, 0), INN: (1, 0, 0), M: (0, 0, 0)},
    # The gate: only coordinators change it; the team asks for a new due date.
    A.MANAGE_GATE: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.REQUEST_DUE_DATE: {C: (0, 0, 0), INN: (1, 0, 0), M: (0, 0, 0)},
    A.ASSIGN_MENTOR: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.GIVE_FEEDBACK: {C: (1, 1, 0), INN: (0, 0, 0), M: (1, 0, 0)},
    A.REPLY_FEEDBACK: {C: (1, 1, 0), INN: (1, 0, 0), M: (1, 0, 0)},
    A.HIDE_FEEDBACK: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.RAPID_ASSESS: {C: (0, 0, 0), INN: (0, 0, 0), M: (1, 0, 0)},
    A.VIEW_MENTEES: {C: (0, 0, 0), INN: (0, 0, 0), M: (1, 1, 0)},
    A.VIEW_PEOPLE: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.INVITE_PEOPLE: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.MANAGE_PEOPLE: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.MANAGE_PLACES: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    # Renaming, merging, deleting a shared agency: organisers only (none in the world).
    A.CURATE_AGENCIES: {C: (0, 0, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    # Giving the organiser right: organisers only (none in the world); see below.
    A.GRANT_ORGANISER: {C: (0, 0, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    # Private documents: the innovation's people, not the rest of the programme.
    A.VIEW_DOCUMENTS: {C: (1, 1, 0), INN: (1, 0, 0), M: (1, 0, 0)},
    A.MANAGE_DOCUMENTS: {C: (1, 1, 0), INN: (1, 0, 0), M: (0, 0, 0)},
    A.PUBLISH: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    # The owner consents (world's innovator owns "own"); see test_replicating_is_account_level.
    A.CONSENT: {C: (0, 0, 0), INN: (1, 0, 0), M: (0, 0, 0)},
    A.REPLICATE: {C: (0, 0, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    # The security log: organisers only (none in the world); see below.
    A.VIEW_SECURITY_LOG: {C: (0, 0, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    # Competition templates are shared: account-level, see test_coordinators_manage_competitions.
    A.MANAGE_COMPETITIONS: {C: (0, 0, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    # Entries: the team writes, assigned mentors review, coordinators read all;
    # anyone else in the programme does not see them (the door answers 404).
    A.VIEW_ENTRIES: {C: (1, 1, 0), INN: (0, 0, 0), M: (0, 0, 0)},
    A.VIEW_ENTRY: {C: (1, 1, 0), INN: (1, 0, 0), M: (1, 0, 0)},
    A.EDIT_ENTRY: {C: (0, 0, 0), INN: (1, 0, 0), M: (0, 0, 0)},
    A.REVIEW_ENTRY: {C: (0, 0, 0), INN: (0, 0, 0), M: (1, 0, 0)},
    # The review's threads: the team and assigned mentors answer; the team resolves.
    A.REPLY_ENTRY_COMMENT: {C: (0, 0, 0), INN: (1, 0, 0), M: (1, 0, 0)},
    A.RESOLVE_ENTRY_COMMENT: {C: (0, 0, 0), INN: (1, 0, 0), M: (0, 0, 0)},
}


def test_matrix_covers_every_action():
    assert set(MATRIX) | {A.EDIT_FEEDBACK} == set(Action)


def _subjects(world, role):
    user = {C: world.coordinator, INN: world.innovator, M: world.mentor}[role]
    return user, world.innovation, world.other_innovation, world.foreign_innovation


CASES = [
    (action, role, relation, expected[i])
    for action, by_role in MATRIX.items()
    for role, expected in by_role.items()
    for i, relation in enumerate(("own", "other", "foreign"))
]


@pytest.mark.parametrize(("action", "role", "relation", "expected"), CASES)
def test_policy_matrix(world, action, role, relation, expected):
    user, own, other, foreign = _subjects(world, role)
    innovation = {"own": own, "other": other, "foreign": foreign}[relation]
    target = (
        db.session.get(Programme, innovation.programme_id)
        if action in PROGRAMME_ACTIONS
        else innovation
    )
    assert can(user, action, target) is bool(expected)


def test_inactive_user_may_do_nothing(world):
    world.coordinator.active = False
    assert not can(world.coordinator, A.VIEW_PROGRAMME, world.programme)
    assert not can(world.coordinator, A.MOVE_CARD, world.innovation)


def test_unassigned_mentor_loses_feedback_right(world):
    from incubator.models import MentorAssignment

    assignment = db.session.scalars(
        db.select(MentorAssignment).filter_by(mentor_id=world.mentor.id)
    ).one()
    assert can(world.mentor, A.GIVE_FEEDBACK, world.innovation)
    assignment.unassigned_at = utcnow()
    db.session.flush()
    assert not can(world.mentor, A.GIVE_FEEDBACK, world.innovation)


@pytest.mark.parametrize(
    ("author", "minutes_ago", "expected"),
    [("mentor", 5, True), ("mentor", 16, False), ("coordinator", 5, False)],
)
def test_feedback_edit_window(world, author, minutes_ago, expected):
    feedback = Feedback(
        innovation_id=world.innovation.id,
        author_id=world.mentor.id,
        body="Good",
        created_at=utcnow() - timedelta(minutes=minutes_ago),
    )
    db.session.add(feedback)
    db.session.flush()
    user = world.mentor if author == "mentor" else world.coordinator
    assert can(user, A.EDIT_FEEDBACK, feedback) is expected


def test_editable_feedback_agrees_with_can(world):
    from incubator.auth.policy import editable_feedback

    items = [
        Feedback(
            innovation_id=world.innovation.id,
            author_id=author.id,
            body="x",
            created_at=utcnow() - timedelta(minutes=minutes),
        )
        for author in (world.mentor, world.coordinator)
        for minutes in (1, 14, 16)
    ]
    db.session.add_all(items)
    db.session.flush()
    for user in (world.mentor, world.coordinator, world.innovator, world.foreign_coordinator):
        expected = {f.id for f in items if can(user, A.EDIT_FEEDBACK, f)}
        assert editable_feedback(user, world.innovation, items) == expected
    assert len(editable_feedback(world.mentor, world.innovation, items)) == 2


def test_only_the_owner_of_a_team_may_change_its_owner_and_team(world):
    """A team member edits the profile, but cannot take the innovation over."""
    db.session.execute(
        innovation_members.insert().values(
            innovation_id=world.innovation.id, user_id=world.other_innovator.id
        )
    )
    db.session.flush()
    assert can(world.other_innovator, A.EDIT_INNOVATION, world.innovation)
    assert not can(world.other_innovator, A.CHANGE_TEAM, world.innovation)
    assert can(world.innovator, A.CHANGE_TEAM, world.innovation)


def test_proposals_are_hidden_from_outsiders(world):
    world.innovation.is_proposal = True
    db.session.flush()
    assert can(world.innovator, A.VIEW_INNOVATION, world.innovation)
    assert can(world.coordinator, A.VIEW_INNOVATION, world.innovation)
    assert not can(world.other_innovator, A.VIEW_INNOVATION, world.innovation)
    assert not can(world.mentor, A.VIEW_INNOVATION, world.innovation)


def test_loader_hides_foreign_objects_with_404(app, world):
    from flask_login import login_user
    from werkzeug.exceptions import Forbidden, NotFound

    from incubator.auth.door import load_innovation

    with app.test_request_context():
        login_user(world.coordinator)
        with pytest.raises(NotFound):
            load_innovation(world.foreign_innovation.id)
        with pytest.raises(NotFound):
            load_innovation(999_999)
        with pytest.raises(NotFound):
            load_innovation(world.innovation.id, programme=world.foreign_programme)
    with app.test_request_context():
        login_user(world.innovator)
        with pytest.raises(Forbidden):
            load_innovation(world.other_innovation.id, A.EDIT_INNOVATION)
        assert load_innovation(world.innovation.id, A.EDIT_INNOVATION) == world.innovation


@pytest.mark.parametrize("action", sorted(policy_module.TEAM_ACTIONS) + [A.VIEW_INNOVATION])
def test_bulk_check_agrees_with_can(world, action):
    """List pages check many innovations at once; the answer must be `can`'s."""
    innovations = [world.innovation, world.other_innovation, world.foreign_innovation]
    users = [
        world.coordinator,
        world.innovator,
        world.other_innovator,
        world.mentor,
        world.foreign_coordinator,
    ]
    for user in users:
        expected = {i.id for i in innovations if can(user, action, i)}
        assert policy_module.allowed_innovation_ids(user, action, innovations) == expected


@pytest.mark.parametrize("role", [C, INN, M])
def test_programme_permissions_agree_with_can(world, role):
    user, *_ = _subjects(world, role)
    for programme in (world.programme, world.foreign_programme):
        expected = {a for a in PROGRAMME_ACTIONS if can(user, a, programme)}
        assert programme_permissions(user, programme) == expected


@pytest.mark.parametrize("action", list(MATRIX))
def test_roles_are_per_programme(world, action):
    """One person mentors the innovation in the world's programme and coordinates the
    foreign one: each programme answers as the matrix says for that role."""
    person = factories.make_user(Role.MENTOR, programme=world.programme)
    factories.add_member(world.foreign_programme, person, Role.COORDINATOR)
    factories.assign_mentor(world.innovation, person, by=world.coordinator)
    for innovation, role in ((world.innovation, M), (world.foreign_innovation, C)):
        target = (
            db.session.get(Programme, innovation.programme_id)
            if action in PROGRAMME_ACTIONS
            else innovation
        )
        assert can(person, action, target) is bool(MATRIX[action][role][0]), role


def test_account_level_questions_need_a_role_somewhere(world):
    assert can(world.mentor, A.VIEW_MENTEES)
    assert not can(world.coordinator, A.VIEW_MENTEES)
    factories.add_member(world.foreign_programme, world.coordinator, Role.MENTOR)
    assert can(world.coordinator, A.VIEW_MENTEES)
    assert not can(world.coordinator, A.MOVE_CARD)  # a programme action needs its programme


def test_roles_are_read_once_per_request(app, world, count_queries):
    for loaded in (world.coordinator, world.innovation, world.foreign_innovation):
        db.session.refresh(loaded)
    with app.test_request_context(), count_queries() as statements:
        for _ in range(3):
            assert can(world.coordinator, A.MOVE_CARD, world.innovation)
            assert not can(world.coordinator, A.MOVE_CARD, world.foreign_innovation)
    assert len(statements) == 1


@pytest.mark.parametrize("role", [C, INN, M])
def test_only_organisers_create_programmes(world, role):
    user, *_ = _subjects(world, role)
    assert not can(user, A.CREATE_PROGRAMME)
    user.is_organiser = True
    assert can(user, A.CREATE_PROGRAMME)  # whatever their roles in programmes
    user.active = False
    assert not can(user, A.CREATE_PROGRAMME)


@pytest.mark.parametrize("role", [C, INN, M])
def test_only_organisers_read_the_security_log(world, role):
    user, *_ = _subjects(world, role)
    assert not can(user, A.VIEW_SECURITY_LOG)
    user.is_organiser = True
    assert can(user, A.VIEW_SECURITY_LOG)
    user.active = False
    assert not can(user, A.VIEW_SECURITY_LOG)


@pytest.mark.parametrize("action", list(MATRIX))
def test_an_archived_programme_can_be_read_and_restored_only(app, world, action):
    world.programme.archived = True
    db.session.flush()
    for role in (C, INN, M):
        user, own, *_ = _subjects(world, role)
        target = world.programme if action in PROGRAMME_ACTIONS else own
        allowed = bool(MATRIX[action][role][0])
        expected = allowed and action in policy_module.READ_ONLY_ACTIONS
        assert can(user, action, target) is expected, role
        if allowed and not expected:  # refused only because of the archive: 409, not 403
            assert policy_module.refused_by_archive(user, action, target)
            with app.test_request_context():
                login_user(user)
                with pytest.raises(Conflict) as refused:
                    check(action, target)
                assert refused.value.description == str(policy_module.ARCHIVED_MESSAGE)


def test_curating_shared_agencies_needs_the_organiser_right(world):
    """Renaming, merging or deleting an agency changes every programme using it: the
    account-level organiser right, exercised as a coordinator of the programme."""
    assert not can(world.coordinator, A.CURATE_AGENCIES, world.programme)
    for user in (world.coordinator, world.innovator, world.mentor):
        user.is_organiser = True
    db.session.flush()
    assert can(world.coordinator, A.CURATE_AGENCIES, world.programme)
    assert not can(world.coordinator, A.CURATE_AGENCIES, world.foreign_programme)
    assert not can(world.innovator, A.CURATE_AGENCIES, world.programme)
    assert not can(world.mentor, A.CURATE_AGENCIES, world.programme)
    assert can(world.coordinator, A.MANAGE_PLACES, world.programme)
    assert not can(world.innovator, A.MANAGE_PLACES, world.programme)


def test_organisers_grant_their_right_where_they_coordinate(world):
    assert not can(world.coordinator, A.GRANT_ORGANISER, world.programme)
    for user in (world.coordinator, world.innovator, world.mentor):
        user.is_organiser = True
    db.session.flush()
    assert can(world.coordinator, A.GRANT_ORGANISER, world.programme)
    assert not can(world.coordinator, A.GRANT_ORGANISER, world.foreign_programme)
    assert not can(world.innovator, A.GRANT_ORGANISER, world.programme)
    assert not can(world.mentor, A.GRANT_ORGANISER, world.programme)


def test_replicating_is_account_level(world):
    """ "Replicate this" asks about the person, not the original's programme."""
    assert can(world.coordinator, A.REPLICATE)
    assert can(world.innovator, A.REPLICATE)
    assert not can(world.mentor, A.REPLICATE)
    assert not can(None, A.REPLICATE)


def test_coordinators_manage_competitions(world):
    """Templates are shared data: whoever coordinates a programme manages them."""
    assert can(world.coordinator, A.MANAGE_COMPETITIONS)
    assert not can(world.innovator, A.MANAGE_COMPETITIONS)
    assert not can(world.mentor, A.MANAGE_COMPETITIONS)
    assert not can(None, A.MANAGE_COMPETITIONS)
