"""The People page: the list, roles, removing, deactivating, the event log, permissions."""

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import Membership, MentorAssignment, ProgrammeEvent, Role, User
from tests import factories

from .conftest import invite


def url(world, tail: str = "", programme=None) -> str:
    return f"/programmes/{(programme or world.programme).slug}/people{tail}"


def member(world, user) -> Membership | None:
    db.session.expire_all()
    return db.session.get(Membership, (world.programme.id, user.id))


def test_people_page_lists_role_agency_status_last_login_and_invitation(client, world, login):
    login(world.coordinator)
    invite(client, world.programme, role="mentor", name="Welem Mentor", email="welem@example.org")
    page = client.get(url(world, "?lang=en"))
    assert page.status_code == 200
    for text in (world.innovator.name, world.mentor.email, "Welem Mentor", "Invited", "Active"):
        assert text in page.text
    assert "Waiting to be sent" in page.text  # the invitation's delivery status
    assert "never" in page.text  # last login of someone who never logged in
    assert "invited Welem Mentor as Mentor" in page.text  # the event log
    indonesian = client.get(url(world, "?lang=id"))
    assert "Anggota" in indonesian.text and "Catatan peristiwa" in indonesian.text


def test_search_role_and_status_filters(client, world, login):
    login(world.coordinator)
    invite(client, world.programme, name="Welem Mentor", email="welem@example.org", role="mentor")
    only = client.get(url(world, f"?q={world.mentor.email}")).text
    assert world.mentor.email in only and world.innovator.email not in only
    mentors = client.get(url(world, "?role=mentor")).text
    assert world.mentor.email in mentors and world.innovator.email not in mentors
    invited = client.get(url(world, "?status=invited")).text
    assert "welem@example.org" in invited and world.mentor.email not in invited


def test_the_page_costs_the_same_queries_for_5_or_25_people(client, world, login, count_queries):
    login(world.coordinator)
    invite(client, world.programme, name="First", email="first@example.org")
    client.get(url(world))
    with count_queries() as few:
        client.get(url(world))
    for n in range(20):
        invite(client, world.programme, name=f"Person {n}", email=f"p{n}@example.org")
    with count_queries() as many:
        assert client.get(url(world)).status_code == 200
    assert len(many) == len(few)


def test_role_change_is_logged_and_the_last_coordinator_stays(client, world, login):
    login(world.coordinator)
    response = client.post(url(world, f"/{world.mentor.id}/role"), data={"role": "coordinator"})
    assert response.status_code == 302
    assert member(world, world.mentor).role == "coordinator"
    client.post(url(world, f"/{world.mentor.id}/role"), data={"role": "mentor"})
    demote = client.post(
        url(world, f"/{world.coordinator.id}/role?lang=en"), data={"role": "mentor"}
    )
    assert demote.status_code == 422 and "needs a coordinator" in demote.text
    assert member(world, world.coordinator).role == "coordinator"
    remove = client.post(url(world, f"/{world.coordinator.id}/remove?lang=en"))
    assert remove.status_code == 422 and member(world, world.coordinator) is not None
    kinds = list(db.session.scalars(select(ProgrammeEvent.kind).order_by(ProgrammeEvent.id)))
    assert kinds == ["role_changed", "role_changed"]


def test_removing_ends_mentor_assignments_keeps_history_and_lists_owned_innovations(
    client, world, login
):
    login(world.coordinator)
    assert client.post(url(world, f"/{world.mentor.id}/remove")).status_code == 302
    assert member(world, world.mentor) is None
    assignment = db.session.scalar(
        select(MentorAssignment).where(MentorAssignment.mentor_id == world.mentor.id)
    )
    assert assignment.unassigned_at is not None  # ended, kept
    assert client.post(url(world, f"/{world.innovator.id}/remove")).status_code == 302
    page = client.get(url(world, "?lang=en")).text
    assert "Innovations to give to someone else" in page and world.innovation.title in page
    event = db.session.scalar(
        select(ProgrammeEvent).where(ProgrammeEvent.subject_user_id == world.mentor.id)
    )
    assert event.kind == "member_removed" and event.details["mentor_assignments_ended"] == 1


def test_deactivating_ends_the_persons_sessions_at_once(app, client, world, login):
    theirs = app.test_client()
    theirs.post("/login", data={"email": world.mentor.email, "password": factories.PASSWORD})
    assert theirs.get("/account").status_code == 200
    login(world.coordinator)
    assert client.post(url(world, f"/{world.mentor.id}/deactivate")).status_code == 302
    assert theirs.get("/account").status_code == 302  # logged out
    db.session.expire_all()
    assert not db.session.get(User, world.mentor.id).active
    assert "Deactivated" in client.get(url(world, "?lang=en")).text
    assert client.post(url(world, f"/{world.mentor.id}/reactivate")).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.mentor.id).active


def test_a_coordinator_cannot_deactivate_themself(client, world, login):
    login(world.coordinator)
    response = client.post(url(world, f"/{world.coordinator.id}/deactivate"))
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.get(User, world.coordinator.id).active


ROUTES = [
    ("get", ""),
    ("post", "/invite"),
    ("get", "/import"),
    ("post", "/import"),
    ("post", "/import/confirm"),
    ("get", "/{uid}"),
    ("post", "/{uid}/role"),
    ("post", "/{uid}/remove"),
    ("post", "/{uid}/deactivate"),
    ("post", "/{uid}/reactivate"),
    ("post", "/{uid}/resend"),
    ("post", "/{uid}/revoke"),
    ("post", "/{uid}/link"),
    ("post", "/{uid}/organiser"),
]


@pytest.mark.parametrize(("method", "tail"), ROUTES)
def test_innovators_and_mentors_get_403_other_coordinators_404(client, world, login, method, tail):
    path = url(world, tail.format(uid=world.other_innovator.id))
    for user in (world.innovator, world.mentor):
        login(user)
        assert getattr(client, method)(path).status_code == 403, user
        client.post("/logout")
    login(world.foreign_coordinator)
    assert getattr(client, method)(path).status_code == 404
    assert member(world, world.other_innovator).role == Role.INNOVATOR


def test_unknown_or_huge_person_ids_are_404(client, world, login):
    login(world.coordinator)
    for uid in (world.foreign_coordinator.id, 99999999999999999999):
        assert client.get(url(world, f"/{uid}")).status_code == 404
        assert client.post(url(world, f"/{uid}/remove")).status_code == 404


def test_the_header_links_to_people_for_coordinators_only(client, world, login):
    board = f"/programmes/{world.programme.slug}/board"
    login(world.coordinator)
    assert f'href="{url(world)}"' in client.get(board).text
    client.post("/logout")
    login(world.innovator)
    assert f'href="{url(world)}"' not in client.get(board).text


def test_an_organiser_grants_and_withdraws_the_organiser_right(client, world, login):
    path = url(world, f"/{world.mentor.id}/organiser")
    login(world.coordinator)
    assert client.post(path, data={"organiser": "1"}).status_code == 403  # not an organiser
    assert "Programme organiser" not in client.get(url(world, f"/{world.mentor.id}?lang=en")).text
    world.coordinator.is_organiser = True
    db.session.commit()
    assert (
        "Let them create programmes" in client.get(url(world, f"/{world.mentor.id}?lang=en")).text
    )
    assert client.post(path, data={"organiser": "1"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, world.mentor.id).is_organiser
    assert client.post(path, data={"organiser": "0"}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, world.mentor.id).is_organiser
    own = client.post(url(world, f"/{world.coordinator.id}/organiser"), data={"organiser": "0"})
    assert own.status_code == 422
    kinds = list(db.session.scalars(select(ProgrammeEvent.kind).order_by(ProgrammeEvent.id)))
    assert kinds == ["organiser_granted", "organiser_withdrawn"]
