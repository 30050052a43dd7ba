"""Coordinators assign and unassign mentors; load against capacity; history is kept."""

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import InnovationState, MentorAssignment, Role
from tests import factories

from .helpers import HX, activity, count, fresh


def _url(innovation, suffix=""):
    return f"/innovations/{innovation.id}/mentors{suffix}"


def _active(innovation):
    return count(
        MentorAssignment,
        MentorAssignment.innovation_id == innovation.id,
        MentorAssignment.unassigned_at.is_(None),
    )


def test_coordinator_sees_mentors_load_candidates_and_history(world, as_role):
    client = as_role("coordinator")
    response = client.get(_url(world.innovation) + "?lang=en")
    assert response.status_code == 200
    page = response.text
    assert world.mentor.name in page  # current mentor
    assert "1 of 5" in page  # their load against capacity
    assert world.other_mentor.name in page  # a candidate
    assert 'name="mentor_id"' in page
    assert "Assignment history" in page


@pytest.mark.parametrize("role", ["innovator", "mentor", "other_innovator"])
def test_others_see_mentors_but_no_assign_controls(world, as_role, role):
    response = as_role(role).get(_url(world.innovation) + "?lang=en")
    assert response.status_code == 200
    assert world.mentor.name in response.text
    assert 'name="mentor_id"' not in response.text
    assert "/unassign" not in response.text


def test_search_by_name_narrows_candidates(world, as_role):
    factories.make_user(Role.MENTOR, programme=world.programme, name="Yosef Tallo")
    factories.make_user(Role.MENTOR, programme=world.programme, name="Agnes Bria")
    db.session.commit()
    client = as_role("coordinator")
    page = client.get(_url(world.innovation) + "?q=tall").text
    assert "Yosef Tallo" in page and "Agnes Bria" not in page
    # htmx asks for the result list only.
    fragment = client.get(_url(world.innovation) + "?q=BRIA", headers=HX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and 'id="mentor-candidates"' in fragment.text
    assert "Agnes Bria" in fragment.text and "Yosef Tallo" not in fragment.text


def test_search_treats_like_wildcards_as_text(world, as_role):
    page = as_role("coordinator").get(_url(world.innovation) + "?q=%25").text
    assert world.other_mentor.name not in page


def test_too_long_search_is_422_with_the_message(world, as_role):
    response = as_role("coordinator").get(_url(world.innovation) + "?lang=en&q=" + "x" * 101)
    assert response.status_code == 422
    assert "Use at most 100 characters." in response.text  # the single-line rule's words


def test_mentors_page_not_found_cases(world, as_role):
    client = as_role("coordinator")
    assert client.get(_url(world.foreign_innovation)).status_code == 404
    assert client.get("/innovations/999999/mentors").status_code == 404


def test_assign_writes_assignment_and_activity(world, as_role):
    client = as_role("coordinator")
    client.get("/?lang=en")  # the flash message is written in the language of the POST
    response = client.post(_url(world.innovation), data={"mentor_id": world.other_mentor.id})
    assert response.status_code == 303
    assert _active(world.innovation) == 2
    [entry] = activity("mentor_assigned")
    assert entry.innovation_id == world.innovation.id
    assert entry.details["mentor_id"] == world.other_mentor.id
    page = client.get(response.headers["Location"]).text
    assert f"{world.other_mentor.name} is now a mentor of this innovation." in page


@pytest.mark.parametrize("role", ["innovator", "mentor", "other_mentor"])
def test_only_coordinators_assign(world, as_role, role):
    response = as_role(role).post(_url(world.innovation), data={"mentor_id": world.other_mentor.id})
    assert response.status_code == 403
    assert _active(world.innovation) == 1
    assert activity("mentor_assigned") == []


def test_assign_on_foreign_innovation_is_404(world, as_role):
    before = _active(world.foreign_innovation)
    response = as_role("coordinator").post(
        _url(world.foreign_innovation), data={"mentor_id": world.mentor.id}
    )
    assert response.status_code == 404
    assert _active(world.foreign_innovation) == before
    assert activity("mentor_assigned") == []


@pytest.mark.parametrize(
    "mentor_id",
    ["abc", "", "-1", "99999999", "{innovator}", "{mentor}", "{foreign_coordinator}"],
    ids=["text", "empty", "negative", "unknown", "not-a-mentor", "already", "foreign"],
)
def test_bad_mentor_is_422_and_writes_nothing(world, as_role, mentor_id):
    value = mentor_id.format(
        innovator=world.innovator.id,
        mentor=world.mentor.id,
        foreign_coordinator=world.foreign_coordinator.id,
    )
    response = as_role("coordinator").post(
        _url(world.innovation) + "?lang=en", data={"mentor_id": value}
    )
    assert response.status_code == 422
    error = response.text.split('id="mentor_id-error"', 1)[1][:300]
    expected = (
        f"{world.mentor.name} is already a mentor of this innovation."
        if mentor_id == "{mentor}"
        else "Choose a mentor of this programme."
    )
    assert expected in error
    assert _active(world.innovation) == 1
    assert activity("mentor_assigned") == []


def test_mentor_of_another_programme_cannot_be_assigned(world, as_role):
    outsider = factories.make_user(Role.MENTOR, programme=world.foreign_programme)
    db.session.commit()
    response = as_role("coordinator").post(
        _url(world.innovation) + "?lang=en", data={"mentor_id": outsider.id}
    )
    assert response.status_code == 422
    error = response.text.split('id="mentor_id-error"', 1)[1][:300]
    assert "Choose a mentor of this programme." in error
    assert _active(world.innovation) == 1
    assert activity("mentor_assigned") == []


def test_over_capacity_asks_for_confirmation_then_assigns(world, as_role):
    world.other_mentor.mentor_capacity = 1  # already mentors other_innovation
    db.session.commit()
    client = as_role("coordinator")
    asked = client.post(
        _url(world.innovation) + "?lang=en", data={"mentor_id": world.other_mentor.id}
    )
    assert asked.status_code == 409
    assert 'id="capacity-confirmation"' in asked.text
    assert "already mentors 1 innovation (capacity 1)" in asked.text
    assert 'name="confirm" value="y"' in asked.text
    assert _active(world.innovation) == 1  # nothing written yet

    confirmed = client.post(
        _url(world.innovation), data={"mentor_id": world.other_mentor.id, "confirm": "y"}
    )
    assert confirmed.status_code == 303
    assert _active(world.innovation) == 2
    [entry] = activity("mentor_assigned")
    assert entry.details["over_capacity"] is True


def test_candidates_show_who_is_at_capacity(world, as_role):
    world.other_mentor.mentor_capacity = 1
    db.session.commit()
    page = as_role("coordinator").get(_url(world.innovation) + "?lang=en").text
    assert "1 of 1" in page and "at capacity" in page


def test_load_counts_only_live_innovations(world, as_role):
    world.other_innovation.state = InnovationState.DROPPED
    db.session.commit()
    page = as_role("coordinator").get(_url(world.innovation) + "?lang=en").text
    assert f"{world.other_mentor.name}</span>" in page
    assert "0 of 5" in page


def _assignment(world):
    fresh()
    return db.session.scalars(
        select(MentorAssignment).where(
            MentorAssignment.innovation_id == world.innovation.id,
            MentorAssignment.mentor_id == world.mentor.id,
        )
    ).one()


def test_unassign_keeps_the_row_as_history(world, as_role):
    client = as_role("coordinator")
    assignment = _assignment(world)
    response = client.post(_url(world.innovation, f"/{assignment.id}/unassign"))
    assert response.status_code == 303
    ended = _assignment(world)
    assert ended.unassigned_at is not None
    assert ended.unassigned_by_id == world.coordinator.id
    assert activity("mentor_unassigned")[0].details["mentor_id"] == world.mentor.id
    page = client.get(_url(world.innovation) + "?lang=en").text
    assert "No mentor assigned yet." in page
    assert world.mentor.name in page  # still in the history
    assert "still assigned" not in page
    # The unassigned mentor may no longer write feedback.
    fresh()
    as_role("mentor")
    response = client.post(f"/innovations/{world.innovation.id}/feedback", data={"body": "Hi"})
    assert response.status_code == 403


def test_unassign_twice_is_409(world, as_role):
    client = as_role("coordinator")
    assignment = _assignment(world)
    client.post(_url(world.innovation, f"/{assignment.id}/unassign"))
    again = client.post(_url(world.innovation, f"/{assignment.id}/unassign") + "?lang=en")
    assert again.status_code == 409
    assert "already unassigned" in again.text


def test_unassign_forbidden_and_not_found(world, as_role):
    assignment = _assignment(world)
    path = _url(world.innovation, f"/{assignment.id}/unassign")
    assert as_role("innovator").post(path).status_code == 403
    assert as_role("mentor").post(path).status_code == 403
    client = as_role("coordinator")
    # An assignment of another innovation, through this innovation's URL.
    other = db.session.scalars(
        select(MentorAssignment).where(MentorAssignment.innovation_id == world.other_innovation.id)
    ).one()
    assert client.post(_url(world.innovation, f"/{other.id}/unassign")).status_code == 404
    assert client.post(_url(world.innovation, "/999999/unassign")).status_code == 404
    assert (
        client.post(_url(world.foreign_innovation, f"/{assignment.id}/unassign")).status_code == 404
    )
    assert _assignment(world).unassigned_at is None


def test_reassigning_after_unassign_adds_a_new_history_row(world, as_role):
    client = as_role("coordinator")
    assignment = _assignment(world)
    client.post(_url(world.innovation, f"/{assignment.id}/unassign"))
    response = client.post(_url(world.innovation), data={"mentor_id": world.mentor.id})
    assert response.status_code == 303
    assert count(MentorAssignment, MentorAssignment.innovation_id == world.innovation.id) == 2
    assert _active(world.innovation) == 1


def test_not_logged_in_is_sent_to_login(world, client):
    assert client.get(_url(world.innovation)).status_code == 302
    response = client.post(_url(world.innovation), data={"mentor_id": world.other_mentor.id})
    assert response.status_code == 302
    assert _active(world.innovation) == 1


def test_mentors_page_runs_a_fixed_number_of_queries(world, as_role, count_queries):
    client = as_role("coordinator")

    def statements() -> int:
        with count_queries() as seen:
            assert client.get(_url(world.innovation)).status_code == 200
        return len(seen)

    few = statements()
    for _ in range(8):
        mentor = factories.make_user(Role.MENTOR, programme=world.programme)
        ended = factories.assign_mentor(world.innovation, mentor, by=world.coordinator)
        ended.unassigned_at = ended.assigned_at
        ended.unassigned_by_id = world.coordinator.id
        factories.assign_mentor(world.innovation, mentor, by=world.coordinator)
        factories.assign_mentor(world.other_innovation, mentor)
    db.session.commit()
    assert statements() == few
