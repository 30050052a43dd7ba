"""Authors edit their feedback within 15 minutes of writing it, and only then."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import Feedback

from .helpers import HX, activity, fresh

WRITTEN = datetime(2025, 3, 10, 2, 0, tzinfo=UTC)


@pytest.fixture
def written(world, as_role, time_machine):
    """The mentor wrote feedback at WRITTEN (time frozen there); returns its id."""
    time_machine.move_to(WRITTEN, tick=False)
    client = as_role("mentor")
    client.post(f"/innovations/{world.innovation.id}/feedback", data={"body": "First *draft*"})
    fresh()
    return db.session.scalars(select(Feedback.id)).one()


def _feedback(feedback_id):
    fresh()
    return db.session.get(Feedback, feedback_id)


def test_author_edits_within_the_window(client, written, time_machine):
    time_machine.move_to(WRITTEN + timedelta(minutes=14, seconds=59), tick=False)
    page = client.get(f"/feedback/{written}/edit?lang=en")
    assert page.status_code == 200
    assert "First *draft*" in page.text  # the Markdown source, to edit
    response = client.post(f"/feedback/{written}/edit", data={"body": "Final **text**"})
    assert response.status_code == 303
    feedback = _feedback(written)
    assert feedback.body == "Final **text**"
    assert feedback.edited_at == WRITTEN + timedelta(minutes=14, seconds=59)
    assert activity("feedback_edited")[0].details["feedback_id"] == written
    thread = client.get(f"/innovations/{feedback.innovation_id}/feedback?lang=en").text
    assert "<strong>text</strong>" in thread and "(edited)" in thread


def test_edit_link_shows_only_inside_the_window(world, client, written, time_machine):
    url = f"/innovations/{world.innovation.id}/feedback"
    assert f"/feedback/{written}/edit" in client.get(url).text
    time_machine.move_to(WRITTEN + timedelta(minutes=16), tick=False)
    assert f"/feedback/{written}/edit" not in client.get(url).text


def test_edit_after_the_window_is_403_and_unchanged(client, written, time_machine):
    time_machine.move_to(WRITTEN + timedelta(minutes=15, seconds=1), tick=False)
    assert client.get(f"/feedback/{written}/edit").status_code == 403
    response = client.post(f"/feedback/{written}/edit?lang=en", data={"body": "Too late"})
    assert response.status_code == 403
    assert "first 15 minutes" in response.text
    assert _feedback(written).body == "First *draft*"
    assert _feedback(written).edited_at is None


@pytest.mark.parametrize("role", ["coordinator", "innovator", "other_mentor"])
def test_only_the_author_edits(as_role, written, role):
    client = as_role(role)
    assert client.get(f"/feedback/{written}/edit").status_code == 403
    assert client.post(f"/feedback/{written}/edit", data={"body": "Mine now"}).status_code == 403
    assert _feedback(written).body == "First *draft*"


def test_edit_not_found(world, client, written):
    assert client.get("/feedback/999999/edit").status_code == 404
    foreign = Feedback(
        innovation_id=world.foreign_innovation.id, author_id=world.mentor.id, body="x"
    )
    db.session.add(foreign)
    db.session.commit()
    # Even its author cannot reach feedback in a programme they are not in.
    assert client.post(f"/feedback/{foreign.id}/edit", data={"body": "y"}).status_code == 404


@pytest.mark.parametrize("body", ["", "x" * 10_001], ids=["empty", "too-long"])
def test_bad_edit_is_422_and_unchanged(client, written, body):
    response = client.post(f"/feedback/{written}/edit?lang=en", data={"body": body})
    assert response.status_code == 422
    assert f'id="edit-body-{written}-error"' in response.text
    htmx = client.post(f"/feedback/{written}/edit", data={"body": body}, headers=HX)
    assert htmx.status_code == 422 and "<html" not in htmx.text
    assert f'id="edit-body-{written}-error"' in htmx.text
    assert _feedback(written).body == "First *draft*"


def test_inline_edit_with_htmx(client, written):
    form = client.get(f"/feedback/{written}/edit", headers=HX)
    assert form.status_code == 200
    assert "<html" not in form.text
    assert f'id="edit-body-{written}"' in form.text
    saved = client.post(f"/feedback/{written}/edit", data={"body": "Inline _edit_"}, headers=HX)
    assert saved.status_code == 200
    assert "<em>edit</em>" in saved.text and f'id="edit-body-{written}"' not in saved.text


def test_editing_a_reply(world, as_role, written):
    client = as_role("innovator")
    client.post(f"/feedback/{written}/replies", data={"body": "Thanks"})
    fresh()
    reply_id = db.session.scalars(select(Feedback.id).where(Feedback.parent_id == written)).one()
    response = client.post(f"/feedback/{reply_id}/edit", data={"body": "Thanks a lot"}, headers=HX)
    assert response.status_code == 200
    assert f'id="feedback-{written}"' in response.text  # the whole thread item comes back
    assert "Thanks a lot" in response.text
