"""The column counts the database keeps (`column_counts`, triggers of migration j01) stay
equal to counting the cards, whatever writes them: the app's own changes, bulk statements,
deletes, a programme deleted with its cards, and on PostgreSQL concurrent moves in opposite
directions. The board's column heads read them, so a count that drifted would show."""

import re
import threading

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import delete, func, insert, inspect, select, update

from incubator.extensions import db
from incubator.models import ColumnCount, Innovation, InnovationState, Programme, Stage
from incubator.pipeline import innovations as pipeline
from incubator.pipeline import stages
from tests import factories
from tests.conftest import make_app, truncate_all


def counted() -> dict[tuple, int]:
    """(programme, state, stage) -> cards, proposals aside, counted from the cards."""
    rows = db.session.execute(
        select(Innovation.programme_id, Innovation.state, Innovation.stage, func.count())
        .where(Innovation.is_proposal.is_(False))
        .group_by(Innovation.programme_id, Innovation.state, Innovation.stage)
    )
    return {(p, state, stage): n for p, state, stage, n in rows}


def kept() -> dict[tuple, int]:
    """The same, as the database keeps it (a row at 0 is a column that had cards)."""
    rows = db.session.execute(select(ColumnCount))
    found = {(c.programme_id, c.state, c.stage): c.count for (c,) in rows}
    assert all(n >= 0 for n in found.values()), found
    return {key: n for key, n in found.items() if n}


def assert_kept() -> None:
    db.session.commit()
    assert kept() == counted()


def test_counts_follow_every_change_the_app_makes(app):
    world = factories.make_world()
    assert (
        kept()
        == counted()
        == {
            (world.programme.id, "active", "creation"): 2,
            (world.foreign_programme.id, "active", "creation"): 1,
        }
    )

    created = pipeline.create_innovation(world.programme, world.coordinator, title="Jemput Bola")
    proposal = pipeline.propose_innovation(world.programme, world.innovator, title="Usulan")
    declined = pipeline.propose_innovation(world.programme, world.innovator, title="Ditolak")
    assert_kept()  # proposals are not on the board
    assert kept()[(world.programme.id, "active", "creation")] == 3

    pipeline.accept_proposal(proposal, world.coordinator)
    pipeline.decline_proposal(declined, world.coordinator, "Belum siap")
    assert_kept()
    assert kept()[(world.programme.id, "active", "creation")] == 4

    stages.move_card(
        created,
        actor=world.coordinator,
        to_stage=Stage.DEVELOPMENT,
        expected_version=created.version,
        reason="Gate override for the test",
    )
    pipeline.change_state(world.innovation, world.coordinator, InnovationState.ON_HOLD)
    pipeline.change_state(world.other_innovation, world.coordinator, "dropped", "Tidak jalan")
    assert_kept()
    assert kept() == {
        (world.programme.id, "active", "creation"): 1,
        (world.programme.id, "active", "development"): 1,
        (world.programme.id, "on_hold", "creation"): 1,
        (world.programme.id, "dropped", "creation"): 1,
        (world.foreign_programme.id, "active", "creation"): 1,
    }

    pipeline.change_state(world.innovation, world.coordinator, InnovationState.ACTIVE)
    db.session.delete(created)
    assert_kept()
    assert kept()[(world.programme.id, "active", "creation")] == 2
    assert (world.programme.id, "active", "development") not in kept()


def test_counts_follow_bulk_statements_and_deletes(app):
    world = factories.make_world()
    programme, foreign = world.programme.id, world.foreign_programme.id
    db.session.execute(
        insert(Innovation),
        [
            {
                "programme_id": programme,
                "title": f"Impor {n}",
                "stage": stage,
                "position": n,
                "is_proposal": n % 5 == 0,
            }
            for n, stage in enumerate(["creation", "development", "institutionalisation"] * 10)
        ],
    )
    assert_kept()
    db.session.execute(
        update(Innovation)
        .where(Innovation.programme_id == programme, Innovation.stage == "development")
        .values(stage="institutionalisation", state="institutionalised")
    )
    assert_kept()
    db.session.execute(
        update(Innovation).where(Innovation.title.like("Impor 1%")).values(programme_id=foreign)
    )
    db.session.execute(update(Innovation).where(Innovation.is_proposal).values(is_proposal=False))
    assert_kept()
    # A write that changes nothing the counts see (a reorder, a rename) leaves them alone.
    db.session.execute(update(Innovation).values(position=Innovation.position + 1))
    db.session.execute(update(Innovation).values(stage=Innovation.stage))
    assert_kept()
    db.session.execute(delete(Innovation).where(Innovation.stage == "creation"))
    assert_kept()

    db.session.delete(db.session.get(Programme, foreign))
    assert_kept()
    assert {key[0] for key in kept()} == {programme}
    assert db.session.scalar(select(func.count()).where(ColumnCount.programme_id == foreign)) == 0


def test_the_migration_counts_the_cards_already_there(app):
    world = factories.make_world()
    pipeline.propose_innovation(world.programme, world.innovator, title="Usulan")
    pipeline.change_state(world.innovation, world.coordinator, InnovationState.ON_HOLD)
    db.session.commit()
    expected, programme_id = counted(), world.programme.id
    db.session.remove()
    downgrade(revision="f01")
    db.engine.dispose()
    assert "column_counts" not in inspect(db.engine).get_table_names()

    upgrade()
    db.engine.dispose()
    assert kept() == expected
    assert expected[(programme_id, "on_hold", "creation")] == 1
    factories.make_innovation(db.session.get(Programme, programme_id))  # and they follow

    assert_kept()


def test_the_board_heads_show_the_kept_counts(app, client, login):
    world = factories.make_world()
    for n in range(3):
        factories.make_innovation(world.programme, stage=Stage.DEVELOPMENT, title=f"Card {n}")
    db.session.commit()
    login(world.coordinator)
    # A card leaves the board behind the app's back (a script, say): the heads follow.
    db.session.execute(
        update(Innovation).where(Innovation.title == "Card 0").values(state="on_hold")
    )
    db.session.commit()
    page = client.get(f"/programmes/{world.programme.slug}/board").get_data(as_text=True)
    heads = dict(re.findall(r'id="head-(\w+)".*?data-count="(\d+)"', page, re.S))
    assert heads == {"creation": "2", "development": "2", "institutionalisation": "0"}
    on_hold = client.get(f"/programmes/{world.programme.slug}/board?state=on_hold")
    heads = dict(
        re.findall(r'id="head-(\w+)".*?data-count="(\d+)"', on_hold.get_data(as_text=True), re.S)
    )
    assert heads == {"creation": "0", "development": "1", "institutionalisation": "0"}


@pytest.mark.postgres
def test_concurrent_moves_in_opposite_directions_keep_the_counts(postgres_url):
    """Two coordinators keep moving cards between the same two columns, one each way, at
    the same time: every move goes through (no deadlock between the two count rows) and
    the counts end where the cards are."""
    app = make_app(postgres_url)
    with app.app_context():
        truncate_all(app)
        world = factories.make_world()
        forward = [world.innovation.id, world.other_innovation.id]
        back = [
            factories.make_innovation(world.programme, stage=Stage.DEVELOPMENT).id for _ in range(2)
        ]
        db.session.commit()
        programme_id = world.programme.id
        db.session.remove()

    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def keep_moving(cards: list[int], there: str, here: str) -> None:
        with app.app_context():
            try:
                start.wait(timeout=10)
                for round_ in range(100):
                    target = there if round_ % 2 == 0 else here
                    for card_id in cards:
                        db.session.execute(
                            update(Innovation)
                            .where(Innovation.id == card_id)
                            .values(stage=target, version=Innovation.version + 1)
                        )
                    db.session.commit()
            except BaseException as error:  # noqa: BLE001 - reported by the test below
                failures.append(error)
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=keep_moving, args=(forward, "development", "creation")),
        threading.Thread(target=keep_moving, args=(back, "creation", "development")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    with app.app_context():
        assert kept() == counted()
        assert kept()[(programme_id, "active", "creation")] == 2
        db.session.remove()
        db.engine.dispose()
