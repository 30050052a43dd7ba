"""Card order: gap-based positions, one row per move, renumbering when a gap runs out;
and the milestones a stage's templates create."""

from datetime import date

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import Innovation, InnovationState, Milestone, Stage
from incubator.pipeline import Conflict, DomainError, ordering
from incubator.pipeline.milestones import create_from_templates
from incubator.pipeline.ordering import GAP, Slot
from tests import factories


@pytest.fixture
def column(world):
    """Three more cards in Creation at GAP, 2*GAP, 3*GAP (world's own cards are elsewhere)."""
    for innovation in (world.innovation, world.other_innovation):
        innovation.stage = Stage.DEVELOPMENT
    cards = [
        factories.make_innovation(world.programme, title=f"Card {n}", position=n * GAP)
        for n in (1, 2, 3)
    ]
    db.session.flush()
    return cards


def order(programme_id, stage=Stage.CREATION) -> list[str]:
    return list(
        db.session.scalars(
            select(Innovation.title)
            .where(Innovation.programme_id == programme_id, Innovation.stage == stage)
            .order_by(Innovation.position, Innovation.id)
        )
    )


def place(card, slot, stage=Stage.CREATION) -> None:
    card.position = ordering.position_for(card.programme_id, stage, slot, card.id)
    db.session.flush()


def test_position_at_end_of_an_empty_and_a_filled_column(world, column):
    assert ordering.position_at_end(world.programme.id, Stage.INSTITUTIONALISATION) == GAP
    assert ordering.position_at_end(world.programme.id, Stage.CREATION) == 4 * GAP


def test_between_two_cards_takes_the_middle(world, column):
    first, second, third = column
    place(third, Slot(after_id=first.id, before_id=second.id))
    assert third.position == GAP + GAP // 2
    assert order(world.programme.id) == ["Card 1", "Card 3", "Card 2"]


def test_top_and_bottom_of_the_column(world, column):
    first, second, third = column
    place(first, Slot(after_id=third.id))
    assert order(world.programme.id) == ["Card 2", "Card 3", "Card 1"]
    place(first, Slot(before_id=second.id))
    assert order(world.programme.id) == ["Card 1", "Card 2", "Card 3"]
    assert first.position < second.position


def test_after_a_card_goes_directly_after_it_even_if_others_follow(world, column):
    first, second, third = column
    place(third, Slot(after_id=first.id))
    assert order(world.programme.id) == ["Card 1", "Card 3", "Card 2"]


def test_no_slot_means_the_bottom(world, column):
    first, _, _ = column
    place(first, Slot())
    assert order(world.programme.id) == ["Card 2", "Card 3", "Card 1"]


def test_a_move_writes_one_row(world, column, count_queries):
    first, second, third = column
    with count_queries() as statements:
        place(third, Slot(after_id=first.id, before_id=second.id))
    writes = [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert len(writes) == 1


def test_no_gap_left_renumbers_the_column_once_and_keeps_the_order(world, column):
    first, second, third = column
    second.position = first.position + 1  # neighbours with no room between them
    db.session.flush()
    versions = {c.id: c.version for c in (first, second)}
    place(third, Slot(after_id=first.id, before_id=second.id))
    assert order(world.programme.id) == ["Card 1", "Card 3", "Card 2"]
    positions = [c.position for c in (first, third, second)]
    assert positions == sorted(positions) and len(set(positions)) == 3
    db.session.refresh(first)
    db.session.refresh(second)
    # Renumbering changes no card a user would see as changed: versions stay.
    assert {c.id: c.version for c in (first, second)} == versions


def test_many_moves_into_the_same_spot_keep_working(world, column):
    first, second, _ = column
    extra = [factories.make_innovation(world.programme, title=f"X{n}") for n in range(15)]
    following = second
    for card in extra:  # each dropped right under Card 1, above the card dropped before
        place(card, Slot(after_id=first.id, before_id=following.id))
        following = card
    titles = order(world.programme.id)
    assert titles[0] == "Card 1"
    assert titles[-2:] == ["Card 2", "Card 3"]
    # Each new card went right after Card 1, so the latest comes first; the gap of 1024
    # runs out after ten halvings and the column is renumbered on the way.
    assert titles[1:16] == [f"X{n}" for n in reversed(range(15))]


def test_equal_positions_are_ordered_by_id_and_split_by_renumbering(world, column):
    first, second, third = column
    second.position = first.position  # a tie, e.g. two concurrent moves
    db.session.flush()
    place(third, Slot(after_id=first.id))
    assert order(world.programme.id) == ["Card 1", "Card 3", "Card 2"]


def test_the_gap_beside_a_card_ends_at_the_next_card_of_any_state(world, column):
    """A card on hold is not on the active board, but the gap next to its neighbours still
    ends at it: the order of the whole column is kept, whichever state the board shows."""
    first, second, third = column
    second.state = InnovationState.ON_HOLD
    db.session.flush()
    place(third, Slot(after_id=first.id))  # between Card 1 and the card on hold
    assert first.position < third.position < second.position
    third.position = 3 * GAP
    db.session.flush()
    place(first, Slot(before_id=third.id))  # between the card on hold and Card 3
    assert second.position < first.position < third.position
    second.position = 4 * GAP
    db.session.flush()
    assert ordering.position_at_end(world.programme.id, Stage.CREATION) == 5 * GAP


def test_neighbour_of_another_programme_is_bad_input(world, column):
    with pytest.raises(DomainError) as error:
        ordering.position_for(
            world.programme.id, Stage.CREATION, Slot(after_id=world.foreign_innovation.id), 0
        )
    assert error.value.field == "position"


def test_neighbour_in_another_column_is_a_conflict(world, column):
    first = column[0]
    with pytest.raises(Conflict):
        ordering.position_for(
            world.programme.id, Stage.CREATION, Slot(after_id=world.innovation.id), first.id
        )


def test_neighbours_in_the_wrong_order_are_a_conflict(world, column):
    first, second, third = column
    with pytest.raises(Conflict):
        ordering.position_for(
            world.programme.id, Stage.CREATION, Slot(after_id=second.id, before_id=first.id), 0
        )


def test_a_card_is_not_its_own_neighbour(world, column):
    first = column[0]
    with pytest.raises(DomainError):
        ordering.position_for(world.programme.id, Stage.CREATION, Slot(after_id=first.id), first.id)


def test_slot_at_index_counts_only_cards_of_the_same_state(world, column):
    first, second, third = column
    second.state = InnovationState.ON_HOLD
    db.session.flush()
    moving = factories.make_innovation(world.programme, stage=Stage.DEVELOPMENT)
    pid = world.programme.id
    active = InnovationState.ACTIVE
    assert ordering.slot_at_index(pid, Stage.CREATION, active, 0, moving.id) == Slot(None, first.id)
    assert ordering.slot_at_index(pid, Stage.CREATION, active, 1, moving.id) == Slot(
        first.id, third.id
    )
    assert ordering.slot_at_index(pid, Stage.CREATION, active, 2, moving.id) == Slot(third.id, None)
    with pytest.raises(DomainError) as error:
        ordering.slot_at_index(pid, Stage.CREATION, active, 3, moving.id)
    assert error.value.field == "position"
    assert "1" in str(error.value.message) and "3" in str(error.value.message)
    with pytest.raises(DomainError):
        ordering.slot_at_index(pid, Stage.CREATION, active, -1, moving.id)


# -- milestones from the stage's templates -------------------------------------------------


def test_entering_a_stage_creates_its_templates_due_from_the_entry_date(world):
    factories.make_templates(
        world.programme, Stage.DEVELOPMENT, [("Quality", 30, True), ("Replicate", 90, False)]
    )
    factories.make_templates(world.programme, Stage.CREATION, [("Problem", 14, True)])
    factories.make_templates(world.foreign_programme, Stage.DEVELOPMENT, [("Foreign", 5, True)])
    created = create_from_templates(world.innovation, Stage.DEVELOPMENT, date(2026, 3, 2))
    assert [(m.title, m.due_date, m.required) for m in created] == [
        ("Quality", date(2026, 4, 1), True),
        ("Replicate", date(2026, 5, 31), False),
    ]
    assert all(m.owner_id == world.innovator.id and m.stage == Stage.DEVELOPMENT for m in created)


def test_re_entering_a_stage_does_not_duplicate_its_milestones(world):
    factories.make_templates(world.programme, Stage.DEVELOPMENT, [("Quality", 30, True)])
    create_from_templates(world.innovation, Stage.DEVELOPMENT, date(2026, 3, 2))
    assert create_from_templates(world.innovation, Stage.DEVELOPMENT, date(2026, 6, 1)) == []
    count = db.session.scalar(
        select(db.func.count(Milestone.id)).where(Milestone.innovation_id == world.innovation.id)
    )
    assert count == 1
