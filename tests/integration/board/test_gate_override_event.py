"""A gate override reaches the programme's event log, which coordinators read."""

from sqlalchemy import select

from incubator.extensions import db
from incubator.models import ProgrammeEvent
from tests.integration.board.test_move import post_move


def test_a_gate_override_is_in_the_programme_event_log(client, login, board):
    world = board.world
    client = login(world.coordinator)
    response = post_move(
        client, board, stage="development", reason="Pilot live in 3 villages", after_id=""
    )
    assert response.status_code == 200, response.text[:300]
    db.session.expire_all()
    [event] = db.session.scalars(
        select(ProgrammeEvent).where(ProgrammeEvent.kind == "gate_overridden")
    ).all()
    assert event.programme_id == world.programme.id and event.actor_id == world.coordinator.id
    assert event.details["reason"] == "Pilot live in 3 villages"
    assert event.details["innovation_id"] == board.late.id
    people = client.get(f"/programmes/{world.programme.slug}/people?lang=en")
    assert "past unfinished required milestones. Reason: Pilot live in 3 villages" in people.text


def test_an_ordinary_move_is_not_an_override(client, login, board):
    client = login(board.world.coordinator)
    assert post_move(client, board, innovation=board.fresh, stage="development").status_code == 200
    db.session.expire_all()
    kinds = db.session.scalars(select(ProgrammeEvent.kind)).all()
    assert "gate_overridden" not in kinds
