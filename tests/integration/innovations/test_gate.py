"""The gate means something: only coordinators change a milestone's "required" flag,
delete a required milestone or move its due date. The team asks for a new date; a
coordinator approves or declines; every step is in the innovation's history."""

from datetime import date

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import ActivityEntry, DueDateRequest, Milestone
from tests import factories
from tests.integration.innovations.conftest import fresh, verbs

DUE = date(2025, 3, 31)


def form(milestone, **overrides):
    data = {
        "title": milestone.title,
        "description": "",
        "stage": milestone.stage,
        "due_date": milestone.due_date.isoformat(),
        "owner_id": "0",
    }
    if milestone.required:
        data["required"] = "y"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def gated(world):
    milestone = factories.make_milestone(
        world.innovation, title="Problem statement", required=True, due_date=DUE
    )
    db.session.commit()
    return milestone


def edit_url(world, milestone):
    return f"/innovations/{world.innovation.id}/milestones/{milestone.id}/edit"


def test_the_innovator_is_not_offered_the_required_box(client, world, as_, gated):
    as_(world.innovator)
    page = client.get(edit_url(world, gated))
    assert page.status_code == 200
    assert 'name="required"' not in page.text
    assert "a coordinator decides this" in page.text
    assert 'name="due_date"' in page.text and "readonly" in page.text
    assert "Delete milestone" not in page.text and "Ask for a new due date" in page.text


def test_the_innovator_cannot_untick_required(client, world, as_, gated):
    as_(world.innovator)
    response = client.post(edit_url(world, gated), data=form(gated, required="", title="Renamed"))
    assert response.status_code == 403
    assert "Only a coordinator decides whether a milestone is required." in response.text
    assert fresh(Milestone, gated.id).required and fresh(Milestone, gated.id).title != "Renamed"


def test_the_innovator_cannot_make_a_milestone_required(client, world, as_):
    as_(world.innovator)
    url = f"/innovations/{world.innovation.id}/milestones/new"
    data = {"title": "Mine", "stage": "creation", "due_date": "2025-05-01", "owner_id": "0"}
    assert client.post(url, data={**data, "required": "y"}).status_code == 403
    assert client.post(url, data=data).status_code == 302
    assert not db.session.scalars(select(Milestone)).one().required


def test_the_innovator_cannot_move_a_required_due_date(client, world, as_, gated):
    as_(world.innovator)
    response = client.post(edit_url(world, gated), data=form(gated, due_date="2025-06-30"))
    assert response.status_code == 403
    assert "ask for a new date instead" in response.text
    assert fresh(Milestone, gated.id).due_date == DUE


def test_the_innovator_still_edits_the_rest(client, world, as_, gated):
    as_(world.innovator)
    response = client.post(edit_url(world, gated), data=form(gated, title="Problem, sharper"))
    assert response.status_code == 302
    milestone = fresh(Milestone, gated.id)
    assert (milestone.title, milestone.required, milestone.due_date) == (
        "Problem, sharper",
        True,
        DUE,
    )
    free = factories.make_milestone(world.innovation, required=False, due_date=DUE)
    db.session.commit()
    response = client.post(edit_url(world, free), data=form(free, due_date="2025-07-01"))
    assert response.status_code == 302 and fresh(Milestone, free.id).due_date == date(2025, 7, 1)


def test_the_innovator_cannot_delete_a_required_milestone(client, world, as_, gated):
    as_(world.innovator)
    url = f"/innovations/{world.innovation.id}/milestones/{gated.id}/delete"
    response = client.post(url)
    assert response.status_code == 403
    assert "Only a coordinator deletes a required milestone." in response.text
    assert fresh(Milestone, gated.id) is not None


def test_a_coordinator_changes_the_gate_and_the_history_says_so(client, world, as_, gated):
    as_(world.coordinator)
    response = client.post(
        edit_url(world, gated), data=form(gated, required="", due_date="2025-04-15")
    )
    assert response.status_code == 302
    milestone = fresh(Milestone, gated.id)
    assert not milestone.required and milestone.due_date == date(2025, 4, 15)
    entry = db.session.scalars(
        select(ActivityEntry).where(ActivityEntry.verb == "milestone_edited")
    ).one()
    assert entry.details["required_from"] is True and entry.details["required_to"] is False
    assert entry.details["due_to"] == "2025-04-15"
    history = client.get(f"/innovations/{world.innovation.id}?tab=history").text
    assert "It is no longer required to pass the stage gate." in history
    assert "31 Mar 2025 → 15 Apr 2025" in history


def test_a_coordinator_deletes_a_required_milestone(client, world, as_, gated):
    as_(world.coordinator)
    url = f"/innovations/{world.innovation.id}/milestones/{gated.id}/delete"
    assert client.post(url).status_code == 302
    assert fresh(Milestone, gated.id) is None
    history = client.get(f"/innovations/{world.innovation.id}?tab=history").text
    assert "deleted the required milestone &#34;Problem statement&#34;" in history


def request_url(world, milestone):
    return f"/innovations/{world.innovation.id}/milestones/{milestone.id}/due-date-request"


@pytest.mark.parametrize("decision", ["approve", "decline"])
def test_a_new_due_date_is_asked_for_and_decided(client, world, as_, gated, decision):
    as_(world.innovator)
    page = client.get(f"/innovations/{world.innovation.id}/milestones/{gated.id}")
    assert 'action="' + request_url(world, gated) + '"' in page.text
    response = client.post(
        request_url(world, gated), data={"due_date": "2025-05-15", "reason": "The survey slipped."}
    )
    assert response.status_code == 302
    assert fresh(Milestone, gated.id).due_date == DUE  # not before a coordinator says so
    again = client.post(
        request_url(world, gated), data={"due_date": "2025-05-20", "reason": "Once more"}
    )
    assert again.status_code == 409  # one open request at a time (the form is gone, too)
    due_request = db.session.scalars(select(DueDateRequest)).one()

    as_(world.coordinator)
    tab = client.get(f"/innovations/{world.innovation.id}?tab=milestones").text
    assert "New due date asked for" in tab  # the coordinator finds what waits for them
    page = client.get(f"/innovations/{world.innovation.id}/milestones/{gated.id}")
    assert "The survey slipped." in page.text and "Approve the new date" in page.text
    decide = f"{request_url(world, gated)}/{due_request.id}"
    assert client.post(decide, data={"decision": decision}).status_code == 302
    expected = date(2025, 5, 15) if decision == "approve" else DUE
    assert fresh(Milestone, gated.id).due_date == expected
    assert fresh(DueDateRequest, due_request.id).status == decision + "d"
    assert client.post(decide, data={"decision": "approve"}).status_code == 409
    assert verbs(world.innovation.id)[-2:] == ["due_date_requested", f"due_date_{decision}d"]
    history = client.get(f"/innovations/{world.innovation.id}?tab=history").text
    assert "Reason: The survey slipped." in history


def test_a_request_needs_a_reason_and_a_required_milestone(client, world, as_, gated):
    as_(world.innovator)
    response = client.post(request_url(world, gated), data={"due_date": "2025-05-15"})
    assert response.status_code == 422 and 'id="reason-error"' in response.text
    free = factories.make_milestone(world.innovation, required=False)
    db.session.commit()
    response = client.post(
        request_url(world, free), data={"due_date": "2025-05-15", "reason": "why not"}
    )
    assert response.status_code == 422
    assert db.session.scalars(select(DueDateRequest)).first() is None


@pytest.mark.parametrize("role", ["mentor", "other_innovator"])
def test_only_the_team_asks_and_only_coordinators_decide(client, world, as_, gated, role):
    as_(world.innovator)
    client.post(request_url(world, gated), data={"due_date": "2025-05-15", "reason": "r"})
    due_request = db.session.scalars(select(DueDateRequest)).one()
    as_(getattr(world, role))
    data = {"due_date": "2025-05-16", "reason": "r"}
    assert client.post(request_url(world, gated), data=data).status_code == 403
    decide = f"{request_url(world, gated)}/{due_request.id}"
    assert client.post(decide, data={"decision": "approve"}).status_code == 403
    as_(world.innovator)
    assert client.post(decide, data={"decision": "approve"}).status_code == 403
    assert fresh(Milestone, gated.id).due_date == DUE
