"""A duplicate post need not stay: its author deletes it within the edit window; after
it a coordinator hides it, and the innovation's history says who did."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import Feedback

from .helpers import HX, activity, fresh

WRITTEN = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)


@pytest.fixture
def written(world, as_role, time_machine):
    time_machine.move_to(WRITTEN, tick=False)
    client = as_role("mentor")
    client.post(f"/innovations/{world.innovation.id}/feedback", data={"body": "Posted twice"})
    fresh()
    return db.session.scalars(select(Feedback.id)).one()


def _feedback(feedback_id):
    fresh()
    return db.session.get(Feedback, feedback_id)


def test_the_author_deletes_within_the_window(world, client, written, time_machine):
    time_machine.move_to(WRITTEN + timedelta(minutes=10), tick=False)
    page = client.get(f"/innovations/{world.innovation.id}/feedback?lang=en").text
    assert f'action="/feedback/{written}/delete"' in page
    response = client.post(f"/feedback/{written}/delete", headers=HX)
    assert response.status_code == 200 and response.text == ""  # the item goes
    assert _feedback(written) is None
    assert activity("feedback_deleted")[0].details["feedback_id"] == written
    history = client.get(f"/innovations/{world.innovation.id}?tab=history&lang=en").text
    assert "deleted their feedback." in history


def test_after_the_window_the_author_cannot_delete(world, client, written, time_machine):
    time_machine.move_to(WRITTEN + timedelta(minutes=16), tick=False)
    page = client.get(f"/innovations/{world.innovation.id}/feedback?lang=en").text
    assert f"/feedback/{written}/delete" not in page
    assert client.post(f"/feedback/{written}/delete").status_code == 403
    assert _feedback(written) is not None


@pytest.mark.parametrize("role", ["innovator", "other_mentor"])
def test_only_the_author_deletes(as_role, written, role):
    assert as_role(role).post(f"/feedback/{written}/delete").status_code == 403
    assert _feedback(written) is not None


def test_a_coordinator_hides_it_with_a_trace(world, as_role, written, time_machine):
    time_machine.move_to(WRITTEN + timedelta(hours=2), tick=False)
    coordinator = as_role("coordinator")
    page = coordinator.get(f"/innovations/{world.innovation.id}/feedback?lang=en").text
    assert f'action="/feedback/{written}/hide"' in page
    response = coordinator.post(f"/feedback/{written}/hide?lang=en", headers=HX)
    assert response.status_code == 200 and "Hidden by a coordinator." in response.text
    feedback = _feedback(written)
    assert feedback.hidden_at is not None and feedback.hidden_by_id == world.coordinator.id
    page = coordinator.get(f"/innovations/{world.innovation.id}/feedback?lang=en").text
    assert "Posted twice" not in page and "Hidden by a coordinator." in page
    history = coordinator.get(f"/innovations/{world.innovation.id}?tab=history&lang=en").text
    assert "hid a piece of feedback." in history
    assert activity("feedback_hidden")[0].actor_id == world.coordinator.id


@pytest.mark.parametrize("role", ["mentor", "innovator"])
def test_only_coordinators_hide(as_role, written, role):
    assert as_role(role).post(f"/feedback/{written}/hide").status_code == 403
    assert _feedback(written).hidden_at is None
