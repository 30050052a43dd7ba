"""Feedback on an innovation or a milestone, and replies: pages, fragments, rights, bad input."""

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import Feedback
from tests import factories

from .helpers import HX, activity, fresh


def _page(innovation):
    return f"/innovations/{innovation.id}/feedback"


def _milestone_url(innovation, milestone):
    return f"/innovations/{innovation.id}/feedback/milestones/{milestone.id}"


def _all_feedback():
    fresh()
    return list(db.session.scalars(select(Feedback).order_by(Feedback.id)))


def _give(world, **fields):
    feedback = Feedback(
        innovation_id=world.innovation.id,
        author_id=fields.pop("author", world.mentor).id,
        body=fields.pop("body", "Please add **baseline** data."),
        **fields,
    )
    db.session.add(feedback)
    db.session.commit()
    return feedback


# --- the page -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["coordinator", "innovator", "mentor", "other_mentor"])
def test_feedback_page_shows_rendered_threads_to_the_programme(world, as_role, role):
    milestone = factories.make_milestone(world.innovation, title="Problem statement")
    _give(world)
    _give(world, milestone_id=milestone.id, body="Milestone _note_")
    response = as_role(role).get(_page(world.innovation) + "?lang=en")
    assert response.status_code == 200
    assert "<strong>baseline</strong>" in response.text
    assert "<em>note</em>" in response.text
    assert "Problem statement" in response.text
    assert "On milestones" in response.text


def test_feedback_page_as_htmx_fragment(world, as_role):
    _give(world)
    response = as_role("mentor").get(_page(world.innovation), headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="feedback-panel"' in response.text
    assert "<strong>baseline</strong>" in response.text


def test_forms_follow_the_rights(world, as_role):
    factories.make_milestone(world.innovation)
    _give(world)
    db.session.commit()
    mentor_page = as_role("mentor").get(_page(world.innovation)).text
    assert f'action="{_page(world.innovation)}"' in mentor_page  # may give feedback
    assert "/replies" in mentor_page
    innovator_page = as_role("innovator").get(_page(world.innovation)).text
    assert f'action="{_page(world.innovation)}"' not in innovator_page  # only replies
    assert "/replies" in innovator_page
    outsider_page = as_role("other_innovator").get(_page(world.innovation)).text
    assert '<form method="post" action="/feedback' not in outsider_page
    assert "/replies" not in outsider_page


def test_feedback_page_not_found(world, as_role):
    client = as_role("coordinator")
    assert client.get(_page(world.foreign_innovation)).status_code == 404
    assert client.get("/innovations/999999/feedback").status_code == 404


def test_proposal_feedback_is_hidden_from_outsiders(world, as_role):
    world.innovation.is_proposal = True
    db.session.commit()
    assert as_role("other_innovator").get(_page(world.innovation)).status_code == 404


# --- giving feedback ------------------------------------------------------------------


def test_mentor_gives_feedback_on_the_innovation(world, as_role):
    response = as_role("mentor").post(_page(world.innovation), data={"body": "Good *start*"})
    assert response.status_code == 303
    [feedback] = _all_feedback()
    assert response.headers["Location"] == f"{_page(world.innovation)}#feedback-{feedback.id}"
    assert feedback.author_id == world.mentor.id and feedback.milestone_id is None
    [entry] = activity("feedback_given")
    assert entry.details["feedback_id"] == feedback.id
    assert entry.innovation_id == world.innovation.id


def test_coordinator_gives_feedback_with_htmx_and_gets_the_thread(world, as_role):
    response = as_role("coordinator").post(
        _page(world.innovation), data={"body": "Nice **work**"}, headers=HX
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'class="feedback-thread"' in response.text
    assert "<strong>work</strong>" in response.text
    assert len(_all_feedback()) == 1


def test_feedback_on_a_milestone(world, as_role):
    milestone = factories.make_milestone(world.innovation, title="Uji coba")
    db.session.commit()
    client = as_role("mentor")
    response = client.post(_milestone_url(world.innovation, milestone), data={"body": "Check it"})
    assert response.status_code == 303
    [feedback] = _all_feedback()
    assert feedback.milestone_id == milestone.id
    assert activity("feedback_given")[0].details["milestone_title"] == "Uji coba"
    fragment = client.post(
        _milestone_url(world.innovation, milestone), data={"body": "And this"}, headers=HX
    )
    assert fragment.status_code == 200
    assert f'id="milestone-feedback-{milestone.id}"' in fragment.text
    assert "Check it" in fragment.text and "And this" in fragment.text


def test_next_returns_to_a_local_page_only(world, as_role):
    client = as_role("mentor")
    local = client.post(
        _page(world.innovation), data={"body": "a", "next": f"/innovations/{world.innovation.id}"}
    )
    assert local.headers["Location"].startswith(f"/innovations/{world.innovation.id}#feedback-")
    external = client.post(
        _page(world.innovation), data={"body": "b", "next": "https://evil.example/"}
    )
    assert external.headers["Location"].startswith(_page(world.innovation) + "#")


def test_milestone_of_another_innovation_is_404(world, as_role):
    elsewhere = factories.make_milestone(world.other_innovation)
    db.session.commit()
    url = f"/innovations/{world.innovation.id}/feedback/milestones/{elsewhere.id}"
    client = as_role("mentor")
    assert client.post(url, data={"body": "x"}).status_code == 404
    missing = f"/innovations/{world.innovation.id}/feedback/milestones/999999"
    assert client.post(missing, data={"body": "x"}).status_code == 404
    assert _all_feedback() == []


@pytest.mark.parametrize("role", ["innovator", "other_mentor", "other_innovator"])
def test_only_assigned_mentors_and_coordinators_give_feedback(world, as_role, role):
    milestone = factories.make_milestone(world.innovation)
    db.session.commit()
    client = as_role(role)
    assert client.post(_page(world.innovation), data={"body": "x"}).status_code == 403
    url = _milestone_url(world.innovation, milestone)
    assert client.post(url, data={"body": "x"}).status_code == 403
    assert _all_feedback() == []


def test_feedback_on_foreign_innovation_is_404(world, as_role):
    response = as_role("coordinator").post(_page(world.foreign_innovation), data={"body": "x"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write something first."),
        ("   \n  ", "Write something first."),
        ("x" * 10_001, "Keep it under 10000 characters."),
        ("x" * 1_000_000, "Keep it under 10000 characters."),
    ],
    ids=["empty", "blank", "just-too-long", "one-megabyte"],
)
def test_bad_feedback_is_422_next_to_the_field_and_stores_nothing(world, as_role, body, message):
    milestone = factories.make_milestone(world.innovation)
    db.session.commit()
    client = as_role("mentor")
    response = client.post(_page(world.innovation) + "?lang=en", data={"body": body})
    assert response.status_code == 422
    assert f'id="feedback-body-{world.innovation.id}-error"' in response.text
    assert message in response.text
    htmx = client.post(
        _milestone_url(world.innovation, milestone) + "?lang=en", data={"body": body}, headers=HX
    )
    assert htmx.status_code == 422
    assert "<html" not in htmx.text
    assert f'id="milestone-feedback-body-{milestone.id}-error"' in htmx.text
    assert _all_feedback() == []
    assert activity("feedback_given") == []


def test_validation_message_in_indonesian(world, as_role):
    response = as_role("mentor").post(_page(world.innovation) + "?lang=id", data={"body": ""})
    assert response.status_code == 422
    assert "Tulis sesuatu terlebih dahulu." in response.text


def test_failed_form_keeps_other_forms_empty(world, as_role):
    milestone = factories.make_milestone(world.innovation)
    db.session.commit()
    response = as_role("mentor").post(
        _milestone_url(world.innovation, milestone), data={"body": "x" * 10_001}
    )
    assert response.status_code == 422
    # The failed text is shown once: in its own form, not copied into the others.
    assert response.text.count("x" * 10_001) == 1


# --- replies --------------------------------------------------------------------------


def test_innovator_replies_and_thread_shows_it(world, as_role):
    feedback = _give(world)
    client = as_role("innovator")
    response = client.post(f"/feedback/{feedback.id}/replies", data={"body": "Done, see link"})
    assert response.status_code == 303
    reply = _all_feedback()[-1]
    assert reply.parent_id == feedback.id and reply.author_id == world.innovator.id
    assert activity("feedback_replied")[0].details["parent_id"] == feedback.id
    page = client.get(_page(world.innovation)).text
    assert "Done, see link" in page


def test_reply_with_htmx_returns_the_item(world, as_role):
    feedback = _give(world)
    response = as_role("mentor").post(
        f"/feedback/{feedback.id}/replies", data={"body": "Follow-up"}, headers=HX
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<li") or 'class="feedback-item' in response.text
    assert f'id="feedback-{feedback.id}"' in response.text
    assert "Follow-up" in response.text


def test_reply_to_a_reply_joins_the_same_thread(world, as_role):
    root = _give(world)
    reply = _give(world, author=world.innovator, parent_id=root.id, body="First reply")
    as_role("mentor").post(f"/feedback/{reply.id}/replies", data={"body": "Second"})
    last = _all_feedback()[-1]
    assert last.parent_id == root.id


def test_reply_on_milestone_feedback_stays_on_the_milestone(world, as_role):
    milestone = factories.make_milestone(world.innovation)
    db.session.commit()
    root = _give(world, milestone_id=milestone.id)
    as_role("innovator").post(f"/feedback/{root.id}/replies", data={"body": "ok"})
    assert _all_feedback()[-1].milestone_id == milestone.id


@pytest.mark.parametrize("role", ["other_innovator", "other_mentor"])
def test_outsiders_cannot_reply(world, as_role, role):
    feedback = _give(world)
    response = as_role(role).post(f"/feedback/{feedback.id}/replies", data={"body": "x"})
    assert response.status_code == 403
    assert len(_all_feedback()) == 1


def test_reply_not_found_cases(world, as_role):
    foreign = Feedback(
        innovation_id=world.foreign_innovation.id,
        author_id=world.foreign_coordinator.id,
        body="secret",
    )
    db.session.add(foreign)
    db.session.commit()
    client = as_role("coordinator")
    assert client.post(f"/feedback/{foreign.id}/replies", data={"body": "x"}).status_code == 404
    assert client.post("/feedback/999999/replies", data={"body": "x"}).status_code == 404
    assert client.get(f"/feedback/{foreign.id}", headers=HX).status_code == 404
    assert len(_all_feedback()) == 1


def test_empty_reply_is_422(world, as_role):
    feedback = _give(world)
    client = as_role("innovator")
    response = client.post(f"/feedback/{feedback.id}/replies?lang=en", data={"body": " "})
    assert response.status_code == 422
    assert f'id="reply-body-{feedback.id}-error"' in response.text
    htmx = client.post(f"/feedback/{feedback.id}/replies", data={"body": ""}, headers=HX)
    assert htmx.status_code == 422 and "<html" not in htmx.text
    assert len(_all_feedback()) == 1


def test_show_feedback_redirects_or_returns_the_item(world, as_role):
    feedback = _give(world)
    client = as_role("innovator")
    page = client.get(f"/feedback/{feedback.id}")
    assert page.status_code == 302
    assert page.headers["Location"].endswith(f"{_page(world.innovation)}#feedback-{feedback.id}")
    fragment = client.get(f"/feedback/{feedback.id}", headers=HX)
    assert fragment.status_code == 200 and "<strong>baseline</strong>" in fragment.text


def test_thread_loads_in_a_fixed_number_of_queries(world, as_role, count_queries):
    client = as_role("coordinator")
    milestone = factories.make_milestone(world.innovation)
    _give(world, author=world.mentor)
    db.session.commit()

    def queries_for_page():
        with count_queries() as statements:
            assert client.get(_page(world.innovation)).status_code == 200
        return len(statements)

    few = queries_for_page()
    authors = [factories.make_user("mentor", programme=world.programme) for _ in range(6)]
    for n, author in enumerate(authors):
        root = _give(world, author=author, milestone_id=milestone.id if n % 2 else None)
        _give(world, author=world.innovator, parent_id=root.id, body="reply")
        factories.make_milestone(world.innovation)
    db.session.commit()
    assert queries_for_page() == few
