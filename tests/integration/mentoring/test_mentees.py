"""The mentor's "My mentees": their innovations, what needs attention first, no N+1."""

from datetime import UTC, date, datetime, timedelta

import pytest

from incubator.extensions import db
from incubator.models import Feedback, InnovationState, MentorAssignment, ProgressUpdate
from tests import factories

NOW = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)  # 10:00 in Asia/Makassar
TODAY = date(2025, 3, 10)


@pytest.fixture
def frozen(time_machine):
    """Time stands at NOW; request it before `world` so every row is written at NOW."""
    time_machine.move_to(NOW, tick=False)


def _mentee(world, title, **fields):
    innovation = factories.make_innovation(
        world.programme, owner=world.innovator, title=title, **fields
    )
    factories.assign_mentor(innovation, world.mentor, by=world.coordinator)
    return innovation


def _progress(milestone, author, days_ago):
    db.session.add(
        ProgressUpdate(
            milestone_id=milestone.id,
            author_id=author.id,
            from_progress=0,
            to_progress=10,
            created_at=NOW - timedelta(days=days_ago),
        )
    )


def _feedback(innovation, author, parent=None):
    feedback = Feedback(
        innovation_id=innovation.id,
        author_id=author.id,
        parent_id=parent.id if parent else None,
        body="Feedback",
    )
    db.session.add(feedback)
    db.session.flush()
    return feedback


@pytest.fixture
def mentees(frozen, world):
    long_ago = NOW - timedelta(days=40)
    overdue_a = _mentee(world, "Overdue A", stage_entered_at=long_ago)
    for days in (3, 10):
        milestone = factories.make_milestone(overdue_a, due_date=TODAY - timedelta(days=days))
        _progress(milestone, world.innovator, days_ago=1)
    overdue_b = _mentee(world, "Overdue B", stage_entered_at=long_ago)
    late = factories.make_milestone(overdue_b, due_date=TODAY - timedelta(days=1))
    _progress(late, world.innovator, days_ago=2)
    # Done late is not overdue; due today is not overdue yet.
    factories.make_milestone(
        overdue_b, due_date=TODAY - timedelta(days=5), progress=100, done_at=NOW
    )
    factories.make_milestone(overdue_b, due_date=TODAY)

    unanswered = _mentee(world, "Unanswered", stage_entered_at=long_ago)
    _progress(factories.make_milestone(unanswered), world.innovator, days_ago=1)
    _feedback(unanswered, world.mentor)
    answered = _feedback(unanswered, world.other_mentor)
    _feedback(unanswered, world.innovator, parent=answered)
    coordinator_note = _feedback(unanswered, world.coordinator)  # not a mentor's
    _feedback(unanswered, world.mentor, parent=coordinator_note)

    stale = _mentee(world, "Stale", stage_entered_at=long_ago)
    _progress(factories.make_milestone(stale), world.innovator, days_ago=20)

    on_track = _mentee(world, "On track", stage_entered_at=long_ago)
    _progress(factories.make_milestone(on_track), world.innovator, days_ago=13)

    # Not listed: dropped, unassigned, another programme's, another mentor's.
    _mentee(world, "Dropped one", state=InnovationState.DROPPED)
    gone = _mentee(world, "Unassigned one")
    db.session.query(MentorAssignment).filter_by(innovation_id=gone.id).update(
        {"unassigned_at": NOW}
    )
    foreign = factories.make_innovation(world.foreign_programme, title="Foreign one")
    factories.assign_mentor(foreign, world.mentor)
    db.session.commit()


def test_mentees_needing_attention_come_first(mentees, world, as_role):
    response = as_role("mentor").get("/mentor?lang=en")
    assert response.status_code == 200
    page = response.text
    order = ["Overdue A", "Overdue B", "Unanswered", "Stale", world.innovation.title, "On track"]
    positions = [page.index(f">{title}</a>") for title in order]
    assert positions == sorted(positions)
    for hidden in ("Dropped one", "Unassigned one", "Foreign one", world.other_innovation.title):
        assert hidden not in page


def test_mentee_badges_say_why(mentees, world, as_role):
    page = as_role("mentor").get("/mentor?lang=en").text

    cards = page.split('<li class="card mb-2 mentee')[1:]

    def card(title):
        [found] = [c for c in cards if f">{title}</a>" in c]
        return found

    assert "2 overdue milestones" in card("Overdue A")
    assert "since 28 Feb 2025" in card("Overdue A")
    assert "1 overdue milestone" in card("Overdue B")
    assert "1 feedback without a reply" in card("Unanswered")
    assert "No progress update for 20 days" in card("Stale")
    assert "On track" in card("On track")
    assert "overdue" not in card("Unanswered")


def test_a_reply_from_outside_the_team_leaves_the_thread_unanswered(frozen, world, as_role):
    """Only the innovation's own owner and team answer a thread: someone who owns
    another innovation does not."""
    owner = factories.make_user(programme=world.programme)
    innovation = factories.make_innovation(world.programme, owner=owner, title="Elsewhere")
    factories.assign_mentor(innovation, world.mentor, by=world.coordinator)
    thread = _feedback(innovation, world.mentor)
    _feedback(innovation, world.innovator, parent=thread)  # owns other innovations
    db.session.commit()

    page = as_role("mentor").get("/mentor?lang=en").text

    [card] = [c for c in page.split('<li class="card mb-2 mentee')[1:] if ">Elsewhere</a>" in c]
    assert "1 feedback without a reply" in card


def test_mentees_page_in_indonesian(mentees, as_role):
    page = as_role("mentor").get("/mentor?lang=id").text
    assert "Pendampingan saya" in page


def test_nav_links_mentors_to_their_mentees(world, as_role):
    board = f"/programmes/{world.programme.slug}/board"
    assert 'href="/mentor"' in as_role("mentor").get(board).text
    assert 'href="/mentor"' not in as_role("innovator").get(board).text
    assert 'href="/mentor"' not in as_role("coordinator").get(board).text


@pytest.mark.parametrize("role", ["coordinator", "innovator"])
def test_only_mentors_have_mentees(world, as_role, role):
    assert as_role(role).get("/mentor").status_code == 403


def test_not_logged_in_goes_to_login(client):
    response = client.get("/mentor")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_empty_state(world, as_role):
    page = as_role("other_mentor").get("/mentor?lang=en").text
    assert world.other_innovation.title in page
    db.session.query(MentorAssignment).filter_by(mentor_id=world.other_mentor.id).delete()
    db.session.commit()
    assert (
        "No innovations are assigned to you yet."
        in as_role("other_mentor").get("/mentor?lang=en").text
    )


def test_mentees_page_runs_a_fixed_number_of_queries(frozen, world, as_role, count_queries):
    client = as_role("mentor")

    def statements() -> int:
        with count_queries() as seen:
            assert client.get("/mentor").status_code == 200
        return len(seen)

    few = statements()
    for n in range(12):
        innovation = _mentee(world, f"Busy {n}", stage_entered_at=NOW - timedelta(days=30))
        milestone = factories.make_milestone(innovation, due_date=TODAY - timedelta(days=n))
        _progress(milestone, world.innovator, days_ago=n * 2)
        _feedback(innovation, world.mentor)
    db.session.commit()
    many = statements()
    assert many == few
    assert "Busy 11" in client.get("/mentor").text
