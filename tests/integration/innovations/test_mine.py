"""My innovations (the innovator's work list) and the coordinators' proposal list."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import Innovation, InnovationState, utcnow
from tests import factories


def test_my_milestones_by_due_date_with_inline_forms(client, world, as_):
    today = date.today()
    later = factories.make_milestone(
        world.innovation, title="Later", due_date=today + timedelta(20)
    )
    sooner = factories.make_milestone(
        world.innovation, title="Sooner", due_date=today + timedelta(2)
    )
    done = factories.make_milestone(world.innovation, title="Finished", progress=100)
    done.done_at = utcnow()
    factories.make_milestone(world.other_innovation, title="Not mine")
    dropped = factories.make_innovation(world.programme, owner=world.innovator, title="Old idea")
    dropped.state = InnovationState.DROPPED
    factories.make_milestone(dropped, title="Dropped work")
    db.session.commit()
    as_(world.innovator)

    page = client.get("/my/innovations")

    assert page.status_code == 200
    text = page.text
    assert text.index(">Sooner<") < text.index(">Later<") < text.index(">Finished<")
    assert "Not mine" not in text and "Dropped work" not in text
    for milestone in (sooner, later, done):
        assert f'name="m{milestone.id}-progress"' in text
    assert world.innovation.title in text and "Old idea" in text  # the list of innovations
    assert "Propose an innovation" in text


def test_my_innovations_is_in_the_innovators_nav(client, world, as_):
    as_(world.innovator)
    assert 'href="/my/innovations"' in client.get("/my/innovations").text
    as_(world.coordinator)
    assert 'href="/my/innovations"' not in client.get("/my/innovations").text


def test_progress_from_my_innovations_comes_back_to_it(client, world, as_):
    milestone = factories.make_milestone(world.innovation, title="Pilot")
    db.session.commit()
    as_(world.innovator)
    page = client.get("/my/innovations").text
    assert f'value="/my/innovations#milestone-{milestone.id}"' in page
    response = client.post(
        f"/innovations/{world.innovation.id}/milestones/{milestone.id}/progress",
        data={
            f"m{milestone.id}-progress": "100",
            "next": f"/my/innovations#milestone-{milestone.id}",
        },
    )
    assert response.headers["Location"] == f"/my/innovations#milestone-{milestone.id}"
    page = client.get("/my/innovations").text
    assert "Done in the last 30 days" in page and 'data-status="done"' in page


def test_innovations_of_a_programme_i_left_are_not_listed(client, world, as_):
    factories.make_milestone(world.foreign_innovation, title="Elsewhere")
    db.session.execute(
        Innovation.__table__.update()
        .where(Innovation.id == world.foreign_innovation.id)
        .values(owner_id=world.innovator.id)
    )
    db.session.commit()
    as_(world.innovator)
    assert "Elsewhere" not in client.get("/my/innovations").text


def test_my_innovations_needs_login(client):
    response = client.get("/my/innovations")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_my_innovations_runs_a_fixed_number_of_queries(client, world, as_, count_queries):
    as_(world.innovator)
    counts = []
    for n in (1, 10):
        for _ in range(n if not counts else n - 1):
            innovation = factories.make_innovation(world.programme, owner=world.innovator)
            for _ in range(3):
                milestone = factories.make_milestone(innovation, owner_id=world.innovator.id)
                factories.add_progress_update(milestone, world.innovator)
        db.session.commit()
        with count_queries() as statements:
            assert client.get("/my/innovations").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


# -- proposals -------------------------------------------------------------------------


def test_coordinator_sees_waiting_proposals(client, world, as_):
    as_(world.innovator)
    client.post(
        f"/programmes/{world.programme.slug}/innovations/propose",
        data={"title": "Kebun Gizi", "category": "other"},
    )
    as_(world.coordinator)
    page = client.get(f"/programmes/{world.programme.slug}/proposals")
    assert page.status_code == 200 and "Kebun Gizi" in page.text
    proposal_id = db.session.scalar(select(Innovation.id).where(Innovation.title == "Kebun Gizi"))
    client.post(f"/innovations/{proposal_id}/accept")
    assert "Kebun Gizi" not in client.get(f"/programmes/{world.programme.slug}/proposals").text


@pytest.mark.parametrize("role", ["innovator", "mentor"])
def test_only_coordinators_see_the_proposal_list(client, world, as_, role):
    as_(getattr(world, role))
    assert client.get(f"/programmes/{world.programme.slug}/proposals").status_code == 403


def test_proposals_of_another_programme_are_not_found(client, world, as_):
    as_(world.coordinator)
    assert client.get(f"/programmes/{world.foreign_programme.slug}/proposals").status_code == 404


def test_proposal_list_runs_a_fixed_number_of_queries(client, world, as_, count_queries):
    as_(world.coordinator)
    counts = []
    for n in (1, 10):
        for _ in range(n if not counts else n - 1):
            owner = factories.make_user("innovator", programme=world.programme)
            agency = factories.make_agency(world.programme.region_id, programme=world.programme)
            factories.make_innovation(
                world.programme, owner=owner, is_proposal=True, agency_id=agency.id
            )
        db.session.commit()
        with count_queries() as statements:
            page = client.get(f"/programmes/{world.programme.slug}/proposals")
        assert page.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1], counts


def test_my_milestones_are_grouped_by_innovation_with_forms_on_demand(client, world, as_):
    today = date.today()
    second = factories.make_innovation(world.programme, owner=world.innovator, title="Second")
    factories.make_milestone(world.innovation, title="A soon", due_date=today + timedelta(1))
    factories.make_milestone(second, title="B middle", due_date=today + timedelta(5))
    factories.make_milestone(world.innovation, title="A later", due_date=today + timedelta(9))
    db.session.commit()
    as_(world.innovator)

    text = client.get("/my/innovations").text.split('id="my-milestones-heading"', 1)[1]

    first_group = text.index(f'id="open-{world.innovation.id}"')
    second_group = text.index(f'id="open-{second.id}"')
    # The most urgent innovation first, its milestones together under its heading.
    assert first_group < text.index(">A soon<") < text.index(">A later<") < second_group
    assert second_group < text.index(">B middle<")
    assert text.count('<details class="progress-edit">') == 3  # closed until asked for
    assert text.count('<details class="progress-edit" open>') == 0


def test_a_team_members_innovations_are_theirs_too(client, world, as_):
    # Owned or on the team: both count, in a programme the person still belongs to.
    teammate = factories.make_user(programme=world.programme)
    shared = factories.make_innovation(world.programme, title="Shared work", team=[teammate])
    factories.make_milestone(shared, title="Team step")
    factories.make_milestone(world.innovation, title="Owner's step")
    db.session.commit()
    as_(teammate)
    text = client.get("/my/innovations").text
    assert "Team step" in text and "Shared work" in text
    assert "Owner's step" not in text
