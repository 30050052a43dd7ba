"""Two coordinators move the same card at the same moment: exactly one wins.

PostgreSQL only (real row locks between two connections); runs when
TEST_DATABASE_URL is set.
"""

import threading

import pytest
from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import (
    ActivityEntry,
    Innovation,
    Milestone,
    Stage,
    StageTransition,
    User,
)
from incubator.pipeline import Conflict, stages
from tests import factories
from tests.conftest import make_app, truncate_all

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg_app(postgres_url):
    app = make_app(postgres_url)
    with app.app_context():
        truncate_all(app)
        yield app
        db.session.remove()
        db.engine.dispose()


def _race(app, card_id: int, actor_ids: list[int], move) -> dict[int, str]:
    """Two sessions load the card, wait until both hold it, then `move(n, innovation, actor)`
    and commit; returns "won" or "conflict" for each of them."""
    loaded = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def attempt(n: int) -> None:
        with app.app_context():
            try:
                innovation = db.session.get(Innovation, card_id)
                actor = db.session.get(User, actor_ids[n])
                loaded.wait(timeout=10)  # both hold the same version before either writes
                move(n, innovation, actor)
                db.session.commit()
                outcomes[n] = "won"
            except Conflict:
                db.session.rollback()
                outcomes[n] = "conflict"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_two_coordinators_move_the_same_card_at_once(pg_app):
    world = factories.make_world()
    second = factories.make_user("coordinator", programme=world.programme)
    factories.make_templates(world.programme, Stage.DEVELOPMENT, [("Quality", 30, True)])
    db.session.commit()
    card_id, version = world.innovation.id, world.innovation.version
    actors = [world.coordinator.id, second.id]

    def move(n, innovation, actor):
        stages.move_card(
            innovation,
            actor=actor,
            to_stage=Stage.DEVELOPMENT,
            expected_version=version,
            reason=f"move {n}",
        )

    outcomes = _race(pg_app, card_id, actors, move)

    assert sorted(outcomes.values()) == ["conflict", "won"]
    winner = next(n for n, outcome in outcomes.items() if outcome == "won")
    db.session.expire_all()
    card = db.session.get(Innovation, card_id)
    assert card.stage == Stage.DEVELOPMENT and card.version == version + 1
    transitions = db.session.scalars(select(StageTransition)).all()
    assert [(t.actor_id, t.reason) for t in transitions] == [(actors[winner], f"move {winner}")]
    assert db.session.scalar(select(func.count(ActivityEntry.id))) == 1
    assert (
        db.session.scalar(
            select(func.count(Milestone.id)).where(Milestone.innovation_id == card_id)
        )
        == 1
    )


def test_a_move_and_a_reorder_of_the_same_card_at_once(pg_app):
    """Different intents, same card: the loser is told, the winner's move is whole."""
    world = factories.make_world()
    db.session.commit()
    card_id, version = world.innovation.id, world.innovation.version
    coordinator_id = world.coordinator.id
    other_id = world.other_innovation.id

    def move(n, innovation, actor):
        if n == 0:
            stages.move_card(
                innovation,
                actor=actor,
                to_stage=Stage.DEVELOPMENT,
                expected_version=version,
            )
        else:
            stages.move_card(
                innovation,
                actor=actor,
                to_stage=Stage.CREATION,
                expected_version=version,
                slot=stages.ordering.Slot(after_id=other_id),
            )

    outcomes = _race(pg_app, card_id, [coordinator_id, coordinator_id], move)

    assert sorted(outcomes.values()) == ["conflict", "won"]
    db.session.expire_all()
    card = db.session.get(Innovation, card_id)
    assert card.version == version + 1
    moved = outcomes[0] == "won"
    assert card.stage == (Stage.DEVELOPMENT if moved else Stage.CREATION)
    assert db.session.scalar(select(func.count(StageTransition.id))) == (1 if moved else 0)
