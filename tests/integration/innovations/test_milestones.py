"""Milestones: team innovators and coordinators add, edit and delete them."""

from datetime import date

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import ActivityEntry, Milestone, ProgressUpdate
from tests import factories
from tests.integration.innovations.conftest import count, fresh, verbs


def milestone_form(**overrides):
    data = {
        "title": "Uji coba di Puskesmas",
        "description": "Two weeks in one clinic.",
        "stage": "creation",
        "due_date": "2025-03-31",
        "owner_id": "0",
        "required": "y",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("role", ["innovator", "coordinator"])
def test_team_innovator_or_coordinator_adds_a_milestone(client, world, as_, role):
    innovation = world.innovation
    as_(getattr(world, role))
    url = f"/innovations/{innovation.id}/milestones/new"
    assert client.get(url).status_code == 200

    # Only coordinators are offered the "required" box (the gate: tests/.../test_gate.py).
    required = "y" if role == "coordinator" else None
    form = milestone_form(owner_id=str(world.innovator.id), required=required)
    response = client.post(url, data={k: v for k, v in form.items() if v is not None})

    assert response.status_code == 302
    assert response.headers["Location"] == f"/innovations/{innovation.id}?tab=milestones"
    milestone = db.session.scalars(
        select(Milestone).where(Milestone.innovation_id == innovation.id)
    ).one()
    assert milestone.title == "Uji coba di Puskesmas"
    assert milestone.due_date == date(2025, 3, 31)
    assert milestone.owner_id == world.innovator.id
    assert milestone.required is (role == "coordinator")
    assert milestone.stage == "creation" and milestone.progress == 0
    assert verbs(innovation.id) == ["milestone_added"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"due_date": "2025-02-31"}, "due_date", "Enter a real date"),
        ({"due_date": "31/02/2025"}, "due_date", "Enter a real date"),
        ({"due_date": ""}, "due_date", "Choose a due date."),
        ({"due_date": "1999-12-31"}, "due_date", "Choose a date between"),
        ({"title": ""}, "title", "Enter a title."),
        ({"title": "t" * 201}, "title", "Use at most 200 characters."),
        ({"description": "d" * 5001}, "description", "Use at most 5000 characters."),
        ({"stage": "orbit"}, "stage", "Choose one of the options."),
        ({"owner_id": "abc"}, "owner_id", "Choose one of the options."),
    ],
)
def test_add_refuses_bad_input(client, world, as_, overrides, field, message):
    as_(world.innovator)
    response = client.post(
        f"/innovations/{world.innovation.id}/milestones/new", data=milestone_form(**overrides)
    )
    assert response.status_code == 422
    error = response.text.split(f'id="{field}-error"', 1)[1][:300]
    assert message in error
    assert count(Milestone) == 0


def test_owner_must_be_on_the_team(client, world, as_):
    as_(world.innovator)
    response = client.post(
        f"/innovations/{world.innovation.id}/milestones/new",
        data=milestone_form(owner_id=str(world.other_innovator.id)),
    )
    assert response.status_code == 422 and 'id="owner_id-error"' in response.text
    assert count(Milestone) == 0


def test_a_one_megabyte_description_is_refused_and_nothing_is_stored(client, world, as_):
    as_(world.innovator)
    response = client.post(
        f"/innovations/{world.innovation.id}/milestones/new",
        data=milestone_form(description="x" * 1_000_000),
    )
    assert response.status_code == 422
    error = response.text.split('id="description-error"', 1)[1][:300]
    assert "Use at most 5000 characters." in error
    assert count(Milestone) == 0


def test_a_one_megabyte_description_in_an_edit_changes_nothing(client, world, as_):
    milestone = factories.make_milestone(world.innovation, description="Short")
    db.session.commit()
    as_(world.innovator)
    response = client.post(
        f"/innovations/{world.innovation.id}/milestones/{milestone.id}/edit",
        data=milestone_form(description="x" * 1_000_000),
    )
    assert response.status_code == 422
    assert fresh(Milestone, milestone.id).description == "Short"


def test_a_body_over_the_request_limit_is_413(client, world, as_):
    as_(world.innovator)
    response = client.post(
        f"/innovations/{world.innovation.id}/milestones/new",
        data=milestone_form(description="x" * 3_000_000),
    )
    assert response.status_code == 413
    assert "Too large" in response.text
    assert count(Milestone) == 0


@pytest.mark.parametrize("role", ["other_innovator", "mentor"])
def test_outsiders_cannot_add(client, world, as_, role):
    as_(getattr(world, role))
    url = f"/innovations/{world.innovation.id}/milestones/new"
    assert client.get(url).status_code == 403
    assert client.post(url, data=milestone_form()).status_code == 403
    assert count(Milestone) == 0


def test_add_to_foreign_or_unknown_innovation_is_not_found(client, world, as_):
    as_(world.coordinator)
    assert (
        client.post(
            f"/innovations/{world.foreign_innovation.id}/milestones/new", data=milestone_form()
        ).status_code
        == 404
    )
    assert client.get("/innovations/999999/milestones/new").status_code == 404


def test_edit_a_milestone(client, world, as_):
    milestone = factories.make_milestone(world.innovation, title="Old", required=False)
    db.session.commit()
    as_(world.coordinator)
    url = f"/innovations/{world.innovation.id}/milestones/{milestone.id}/edit"
    page = client.get(url)
    assert page.status_code == 200 and 'value="Old"' in page.text

    response = client.post(url, data=milestone_form(title="New", due_date="2025-04-30"))

    assert response.status_code == 302
    milestone = fresh(Milestone, milestone.id)
    assert (milestone.title, milestone.due_date, milestone.required) == (
        "New",
        date(2025, 4, 30),
        True,
    )
    entry = db.session.scalars(
        select(ActivityEntry).where(ActivityEntry.verb == "milestone_edited")
    ).one()
    assert set(entry.details["fields"]) == {"title", "description", "due_date", "required"}


def test_edit_with_bad_date_changes_nothing(client, world, as_):
    milestone = factories.make_milestone(world.innovation, title="Keep", due_date=date(2025, 1, 1))
    db.session.commit()
    as_(world.coordinator)
    response = client.post(
        f"/innovations/{world.innovation.id}/milestones/{milestone.id}/edit",
        data=milestone_form(title="Changed", due_date="2025-02-31"),
    )
    assert response.status_code == 422 and 'id="due_date-error"' in response.text
    milestone = fresh(Milestone, milestone.id)
    assert (milestone.title, milestone.due_date) == ("Keep", date(2025, 1, 1))


def test_milestone_of_another_innovation_is_not_found_here(client, world, as_):
    theirs = factories.make_milestone(world.other_innovation)
    db.session.commit()
    as_(world.innovator)
    base = f"/innovations/{world.innovation.id}/milestones/{theirs.id}"
    assert client.get(base + "/edit").status_code == 404
    assert client.post(base + "/delete").status_code == 404
    assert client.get(base).status_code == 404
    assert client.get(f"/innovations/{world.innovation.id}/milestones/999999").status_code == 404
    assert fresh(Milestone, theirs.id) is not None


@pytest.mark.parametrize("role", ["other_innovator", "mentor"])
def test_outsiders_cannot_edit_or_delete(client, world, as_, role):
    milestone = factories.make_milestone(world.innovation, title="Keep")
    db.session.commit()
    as_(getattr(world, role))
    base = f"/innovations/{world.innovation.id}/milestones/{milestone.id}"
    assert client.get(base + "/edit").status_code == 403
    assert client.post(base + "/edit", data=milestone_form(title="X")).status_code == 403
    assert client.post(base + "/delete").status_code == 403
    assert fresh(Milestone, milestone.id).title == "Keep"


def test_delete_a_milestone_with_its_history(client, world, as_):
    milestone = factories.make_milestone(world.innovation, title="Gone soon")
    db.session.add(
        ProgressUpdate(
            milestone_id=milestone.id, author_id=world.innovator.id, from_progress=0, to_progress=5
        )
    )
    db.session.commit()
    as_(world.innovator)
    response = client.post(f"/innovations/{world.innovation.id}/milestones/{milestone.id}/delete")
    assert response.status_code == 302
    assert fresh(Milestone, milestone.id) is None
    assert count(ProgressUpdate) == 0
    entry = db.session.scalars(
        select(ActivityEntry).where(ActivityEntry.verb == "milestone_deleted")
    ).one()
    assert entry.details["title"] == "Gone soon"


def test_delete_needs_post(client, world, as_):
    milestone = factories.make_milestone(world.innovation)
    db.session.commit()
    as_(world.innovator)
    url = f"/innovations/{world.innovation.id}/milestones/{milestone.id}/delete"
    assert client.get(url).status_code == 405


def test_milestone_page_shows_its_whole_history(client, world, as_):
    milestone = factories.make_milestone(world.innovation, title="Survey", progress=60)
    for step in range(8):
        db.session.add(
            ProgressUpdate(
                milestone_id=milestone.id,
                author_id=world.innovator.id,
                from_progress=step * 5,
                to_progress=step * 5 + 5,
                note=f"step {step}",
            )
        )
    db.session.commit()
    as_(world.mentor)  # a mentor reads it, without a form
    page = client.get(f"/innovations/{world.innovation.id}/milestones/{milestone.id}")
    assert page.status_code == 200
    assert all(f"step {step}" in page.text for step in range(8))
    assert "Save progress" not in page.text
