"""Innovation profile: create, propose, accept/decline, edit, hold/drop/reactivate."""

import pytest
from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import (
    ActivityEntry,
    Innovation,
    InnovationState,
    Milestone,
    Stage,
    StageTransition,
    innovation_members,
)
from tests.integration.innovations.conftest import count, fresh, verbs


def team_of(innovation_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(innovation_members.c.user_id).where(
                innovation_members.c.innovation_id == innovation_id
            )
        )
    )


def new_innovation_form(world, agency, **overrides):
    data = {
        "title": "Posyandu Digital",
        "summary": "Records for every child, on a phone.",
        "problem": "Paper cards get lost.",
        "agency_id": str(agency.id),
        "owner_id": str(world.innovator.id),
        "team": [str(world.other_innovator.id)],
        "category": "governance",
        "is_digital": "y",
        "replicates_id": str(world.other_innovation.id),
        "links": "https://example.org/posyandu\nhttp://example.org/video",
    }
    data.update(overrides)
    return data


# -- create ---------------------------------------------------------------------------


def test_coordinator_registers_an_innovation(client, world, as_, agency, templates):
    slug = world.programme.slug
    last_position = db.session.scalar(
        select(func.max(Innovation.position)).where(
            Innovation.programme_id == world.programme.id, Innovation.stage == Stage.CREATION
        )
    )
    as_(world.coordinator)
    assert client.get(f"/programmes/{slug}/innovations/new").status_code == 200

    response = client.post(
        f"/programmes/{slug}/innovations/new", data=new_innovation_form(world, agency)
    )

    assert response.status_code == 302
    innovation = db.session.scalars(
        select(Innovation).where(Innovation.title == "Posyandu Digital")
    ).one()
    assert response.headers["Location"] == f"/innovations/{innovation.id}"
    assert (innovation.stage, innovation.state, innovation.is_proposal) == (
        "creation",
        "active",
        False,
    )
    assert innovation.category == "governance" and innovation.is_digital
    assert innovation.agency_id == agency.id and innovation.owner_id == world.innovator.id
    assert innovation.replicates_id == world.other_innovation.id
    assert innovation.links == ["https://example.org/posyandu", "http://example.org/video"]
    assert innovation.position > last_position
    assert team_of(innovation.id) == {world.innovator.id, world.other_innovator.id}
    transition = db.session.scalars(
        select(StageTransition).where(StageTransition.innovation_id == innovation.id)
    ).one()
    assert (transition.from_stage, transition.to_stage) == (None, "creation")
    titles = set(
        db.session.scalars(select(Milestone.title).where(Milestone.innovation_id == innovation.id))
    )
    assert titles == {"Problem statement", "First version"}
    assert verbs(innovation.id) == ["innovation_created"]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Enter a title."),
        ({"title": "x" * 201}, "title", "Use at most 200 characters."),
        ({"summary": "x" * 5001}, "summary", "Use at most 5000 characters."),
        ({"links": "javascript:alert(1)"}, "links", "http:// or https://"),
        ({"links": "ftp://example.org/file"}, "links", "http:// or https://"),
        ({"links": "\n".join(f"https://e.org/{i}" for i in range(11))}, "links", "at most 10"),
        ({"category": "space"}, "category", "Choose one of the options."),
        ({"agency_id": "abc"}, "agency_id", "Choose one of the options."),
        ({"owner_id": "999999"}, "owner_id", "Choose one of the options."),
        ({"replicates_id": "999999"}, "replicates_id", "Choose one of the options."),
    ],
)
def test_create_refuses_bad_input(client, world, as_, agency, overrides, field, message):
    before = count(Innovation)
    as_(world.coordinator)
    response = client.post(
        f"/programmes/{world.programme.slug}/innovations/new",
        data=new_innovation_form(world, agency, **overrides),
    )
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    error = response.text.split(f'id="{field}-error"', 1)[1][:300]
    assert message in error
    assert count(Innovation) == before


def test_create_cannot_replicate_a_foreign_private_innovation(client, world, as_, agency):
    before = count(Innovation), count(ActivityEntry)
    as_(world.coordinator)
    response = client.post(
        f"/programmes/{world.programme.slug}/innovations/new",
        data=new_innovation_form(world, agency, replicates_id=str(world.foreign_innovation.id)),
    )
    assert response.status_code == 422
    error = response.text.split('id="replicates_id-error"', 1)[1][:300]
    assert "Choose one of the options." in error
    assert (count(Innovation), count(ActivityEntry)) == before


@pytest.mark.parametrize("role", ["innovator", "mentor"])
def test_only_coordinators_create(client, world, as_, role):
    as_(getattr(world, role))
    url = f"/programmes/{world.programme.slug}/innovations/new"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"title": "X"}).status_code == 403


def test_create_in_another_programme_is_not_found(client, world, as_):
    as_(world.coordinator)
    assert (
        client.get(f"/programmes/{world.foreign_programme.slug}/innovations/new").status_code == 404
    )
    assert client.get("/programmes/no-such-programme/innovations/new").status_code == 404


def test_create_needs_login(client, world):
    response = client.get(f"/programmes/{world.programme.slug}/innovations/new")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# -- propose, accept, decline ------------------------------------------------------------


def propose(client, world, **data):
    return client.post(
        f"/programmes/{world.programme.slug}/innovations/propose",
        data={"title": "Ambulans Desa", "category": "public_service", **data},
    )


def proposed_id(client, world) -> int:
    """Propose as the logged-in user; the new proposal's id."""
    propose(client, world)
    return db.session.scalar(select(Innovation.id).where(Innovation.title == "Ambulans Desa"))


def test_innovator_proposes_and_coordinator_accepts(client, world, as_, templates):
    as_(world.innovator)
    assert client.get(f"/programmes/{world.programme.slug}/innovations/propose").status_code == 200
    response = propose(client, world, owner_id=str(world.other_innovator.id))
    assert response.status_code == 302
    proposal = db.session.scalars(
        select(Innovation).where(Innovation.title == "Ambulans Desa")
    ).one()
    assert proposal.is_proposal and proposal.stage == "creation" and proposal.state == "active"
    assert proposal.owner_id == world.innovator.id  # the proposer owns it, whatever is posted
    assert team_of(proposal.id) == {world.innovator.id}
    assert count(Milestone, Milestone.innovation_id == proposal.id) == 0
    assert "waits for a coordinator" in client.get(f"/innovations/{proposal.id}").text

    as_(world.coordinator)
    page = client.get(f"/innovations/{proposal.id}").text
    assert "Accept proposal" in page and "Decline proposal" in page
    assert client.post(f"/innovations/{proposal.id}/accept").status_code == 302

    proposal = fresh(Innovation, proposal.id)
    assert not proposal.is_proposal and proposal.state == "active"
    assert count(Milestone, Milestone.innovation_id == proposal.id) == 2
    assert verbs(proposal.id) == ["innovation_proposed", "proposal_accepted"]
    # A second accept (say, from a page drawn before the first) is a conflict.
    assert client.post(f"/innovations/{proposal.id}/accept").status_code == 409


def test_proposals_stay_private_until_accepted(client, world, as_):
    as_(world.innovator)
    proposal_id = proposed_id(client, world)
    for outsider in (world.other_innovator, world.mentor, world.foreign_coordinator):
        as_(outsider)
        assert client.get(f"/innovations/{proposal_id}").status_code == 404


def test_decline_needs_a_reason_and_drops_the_proposal(client, world, as_):
    as_(world.innovator)
    proposal_id = proposed_id(client, world)
    as_(world.coordinator)

    response = client.post(f"/innovations/{proposal_id}/decline", data={"reason": "  "})
    assert response.status_code == 422
    assert 'id="reason-error"' in response.text
    assert fresh(Innovation, proposal_id).state == "active"

    response = client.post(f"/innovations/{proposal_id}/decline", data={"reason": "Duplicate."})
    assert response.status_code == 302
    proposal = fresh(Innovation, proposal_id)
    assert proposal.state == "dropped" and proposal.is_proposal
    entry = db.session.scalars(
        select(ActivityEntry).where(ActivityEntry.verb == "proposal_declined")
    ).one()
    assert entry.details["reason"] == "Duplicate."
    assert (
        client.post(f"/innovations/{proposal_id}/decline", data={"reason": "x"}).status_code == 409
    )


def test_decline_reason_has_a_limit(client, world, as_):
    as_(world.innovator)
    proposal_id = proposed_id(client, world)
    as_(world.coordinator)
    response = client.post(f"/innovations/{proposal_id}/decline", data={"reason": "x" * 2001})
    assert response.status_code == 422
    error = response.text.split('id="reason-error"', 1)[1][:300]
    assert "Use at most 2000 characters." in error
    assert fresh(Innovation, proposal_id).state == "active"
    assert "proposal_declined" not in verbs(proposal_id)


@pytest.mark.parametrize("role", ["coordinator", "mentor"])
def test_only_innovators_propose(client, world, as_, role):
    as_(getattr(world, role))
    assert client.get(f"/programmes/{world.programme.slug}/innovations/propose").status_code == 403


def test_propose_in_another_programme_is_not_found(client, world, as_):
    as_(world.innovator)
    url = f"/programmes/{world.foreign_programme.slug}/innovations/propose"
    assert client.get(url).status_code == 404


def test_propose_validation_error(client, world, as_):
    before = count(Innovation)
    as_(world.innovator)
    response = propose(client, world, title="")
    assert response.status_code == 422 and 'id="title-error"' in response.text
    assert count(Innovation) == before


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_innovators_and_mentors_cannot_decide(client, world, as_, action):
    as_(world.innovator)
    proposal_id = proposed_id(client, world)
    assert (
        client.post(f"/innovations/{proposal_id}/{action}", data={"reason": "x"}).status_code == 403
    )
    as_(world.foreign_coordinator)
    assert (
        client.post(f"/innovations/{proposal_id}/{action}", data={"reason": "x"}).status_code == 404
    )
    assert client.post(f"/innovations/999999/{action}", data={"reason": "x"}).status_code == 404
    assert fresh(Innovation, proposal_id).is_proposal


def test_accepting_a_non_proposal_is_a_conflict(client, world, as_):
    as_(world.coordinator)
    assert client.post(f"/innovations/{world.innovation.id}/accept").status_code == 409


# -- edit ------------------------------------------------------------------------------


def edit_form(innovation, **overrides):
    data = {
        "title": innovation.title,
        "summary": "",
        "problem": "",
        "agency_id": "0",
        "owner_id": str(innovation.owner_id or 0),
        "team": [str(innovation.owner_id)] if innovation.owner_id else [],
        "category": innovation.category,
        "replicates_id": "0",
        "links": "",
        "version": str(innovation.version),
    }
    data.update(overrides)
    return data


def test_team_innovator_edits_the_profile(client, world, as_):
    innovation = world.innovation
    as_(world.innovator)
    page = client.get(f"/innovations/{innovation.id}/edit")
    assert page.status_code == 200 and innovation.title in page.text

    response = client.post(
        f"/innovations/{innovation.id}/edit",
        data=edit_form(
            innovation,
            title="Sistem Antrian Online",
            summary="Queue numbers by SMS.",
            team=[str(world.innovator.id), str(world.other_innovator.id)],
        ),
    )

    assert response.status_code == 302
    innovation = fresh(Innovation, innovation.id)
    assert innovation.title == "Sistem Antrian Online"
    assert innovation.summary == "Queue numbers by SMS."
    assert team_of(innovation.id) == {world.innovator.id, world.other_innovator.id}
    entry = db.session.scalars(
        select(ActivityEntry).where(ActivityEntry.verb == "innovation_edited")
    ).one()
    assert entry.details["fields"] == ["title", "summary", "team"]


def test_saving_an_unchanged_profile_writes_nothing(client, world, as_):
    as_(world.innovator)
    response = client.post(
        f"/innovations/{world.innovation.id}/edit", data=edit_form(world.innovation)
    )
    assert response.status_code == 302
    assert verbs(world.innovation.id) == []


def test_edit_keeps_data_on_bad_input(client, world, as_):
    innovation = world.innovation
    title, version, team = innovation.title, innovation.version, team_of(innovation.id)
    as_(world.innovator)
    response = client.post(
        f"/innovations/{innovation.id}/edit",
        data=edit_form(innovation, title="New title", links="ftp://example.org"),
    )
    assert response.status_code == 422
    assert "http:// or https://" in response.text.split('id="links-error"', 1)[1][:300]
    assert 'value="New title"' in response.text  # what the user typed is kept on the form
    after = fresh(Innovation, innovation.id)
    assert (after.title, after.version) == (title, version)
    assert team_of(innovation.id) == team
    assert verbs(innovation.id) == []


def test_stale_edit_is_a_conflict(client, world, as_):
    innovation = world.innovation
    stale = edit_form(innovation, title="Mine")
    innovation.summary = "Someone else's change"
    db.session.commit()
    as_(world.innovator)
    response = client.post(f"/innovations/{innovation.id}/edit", data=stale)
    assert response.status_code == 409
    assert "changed this innovation" in response.text
    assert fresh(Innovation, innovation.id).title != "Mine"


@pytest.mark.parametrize("role", ["other_innovator", "mentor"])
def test_outsiders_cannot_edit(client, world, as_, role):
    as_(getattr(world, role))
    url = f"/innovations/{world.innovation.id}/edit"
    assert client.get(url).status_code == 403
    assert client.post(url, data=edit_form(world.innovation, title="Hijacked")).status_code == 403
    assert fresh(Innovation, world.innovation.id).title != "Hijacked"


def test_edit_of_unknown_or_foreign_innovation_is_not_found(client, world, as_):
    as_(world.coordinator)
    assert client.get(f"/innovations/{world.foreign_innovation.id}/edit").status_code == 404
    assert client.get("/innovations/999999/edit").status_code == 404


# -- state -----------------------------------------------------------------------------


def test_hold_drop_and_reactivate(client, world, as_):
    innovation_id = world.innovation.id
    as_(world.coordinator)
    url = f"/innovations/{innovation_id}/state"

    assert client.post(url, data={"state": "on_hold"}).status_code == 302
    assert fresh(Innovation, innovation_id).state == "on_hold"

    response = client.post(url, data={"state": "dropped", "reason": ""})
    assert response.status_code == 422 and 'id="reason-error"' in response.text
    assert fresh(Innovation, innovation_id).state == "on_hold"

    assert client.post(url, data={"state": "dropped", "reason": "No budget"}).status_code == 302
    assert fresh(Innovation, innovation_id).state == "dropped"

    highest = db.session.scalar(
        select(func.max(Innovation.position)).where(
            Innovation.programme_id == world.programme.id, Innovation.stage == Stage.CREATION
        )
    )
    assert client.post(url, data={"state": "active"}).status_code == 302
    innovation = fresh(Innovation, innovation_id)
    assert innovation.state == "active" and innovation.position > highest
    assert verbs(innovation_id) == ["state_changed"] * 3

    # The page was drawn before: reactivating an active card again is a conflict.
    assert client.post(url, data={"state": "active"}).status_code == 409


@pytest.mark.parametrize("state", ["institutionalised", "flying", ""])
def test_state_must_be_one_a_person_may_set(client, world, as_, state):
    as_(world.coordinator)
    response = client.post(f"/innovations/{world.innovation.id}/state", data={"state": state})
    assert response.status_code == 422
    assert 'role="alert">Choose one of the options.</div>' in response.text
    assert fresh(Innovation, world.innovation.id).state == "active"
    assert verbs(world.innovation.id) == []


def test_institutionalised_innovations_keep_their_state(client, world, as_):
    world.innovation.state = InnovationState.INSTITUTIONALISED
    db.session.commit()
    as_(world.coordinator)
    response = client.post(f"/innovations/{world.innovation.id}/state", data={"state": "on_hold"})
    assert response.status_code == 422
    assert "An institutionalised innovation keeps its state." in response.text
    assert fresh(Innovation, world.innovation.id).state == "institutionalised"
    assert verbs(world.innovation.id) == []


@pytest.mark.parametrize("role", ["innovator", "mentor"])
def test_only_coordinators_change_state(client, world, as_, role):
    as_(getattr(world, role))
    url = f"/innovations/{world.innovation.id}/state"
    assert client.post(url, data={"state": "on_hold"}).status_code == 403
    assert fresh(Innovation, world.innovation.id).state == "active"


def test_state_of_foreign_innovation_is_not_found(client, world, as_):
    as_(world.coordinator)
    url = f"/innovations/{world.foreign_innovation.id}/state"
    assert client.post(url, data={"state": "on_hold"}).status_code == 404


# -- who may change the owner and the team (issue 10) ---------------------------------


def _takeover(client, world, member):
    form = {
        "title": world.innovation.title,
        "category": "other",
        "agency_id": "0",
        "replicates_id": "0",
        "owner_id": str(member.id),
        "team": [str(member.id)],
        "version": str(world.innovation.version),
    }
    return client.post(f"/innovations/{world.innovation.id}/edit", data=form)


def test_a_team_member_cannot_take_the_innovation_over(client, world, as_, login):
    db.session.execute(
        innovation_members.insert().values(
            innovation_id=world.innovation.id, user_id=world.other_innovator.id
        )
    )
    db.session.commit()
    as_(world.other_innovator)
    form_page = client.get(f"/innovations/{world.innovation.id}/edit").text
    assert 'name="owner_id"' not in form_page and 'name="team"' not in form_page

    response = _takeover(client, world, world.other_innovator)
    assert response.status_code == 302  # the rest of the profile may still be edited
    innovation = fresh(Innovation, world.innovation.id)
    assert innovation.owner_id == world.innovator.id
    assert team_of(innovation.id) == {world.innovator.id, world.other_innovator.id}

    client.post("/logout")
    as_(world.innovator)  # the owner keeps their innovation
    assert client.get(f"/innovations/{world.innovation.id}/edit").status_code == 200


@pytest.mark.parametrize("who", ["owner", "coordinator"])
def test_the_owner_or_a_coordinator_may_hand_it_over(client, world, as_, who):
    db.session.execute(
        innovation_members.insert().values(
            innovation_id=world.innovation.id, user_id=world.other_innovator.id
        )
    )
    db.session.commit()
    as_(world.innovator if who == "owner" else world.coordinator)
    assert _takeover(client, world, world.other_innovator).status_code == 302
    innovation = fresh(Innovation, world.innovation.id)
    assert innovation.owner_id == world.other_innovator.id
    assert team_of(innovation.id) == {world.other_innovator.id}
