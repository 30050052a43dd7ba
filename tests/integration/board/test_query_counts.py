"""The board and a column page cost the same few queries for 10 cards as for 500."""

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select

from incubator.extensions import db
from incubator.models import Innovation, MentorAssignment, Milestone, Stage
from tests import factories

MAX_QUERIES = 20


def add_cards(world, count: int, start: int = 100) -> None:
    """`count` cards spread over the stages, each with an agency, a mentor and milestones,
    from position `start` * 1024 on."""
    agency = factories.make_agency(world.programme.region_id, programme=world.programme)
    stages = list(Stage)
    cards = [
        Innovation(
            programme_id=world.programme.id,
            title=f"Card {n}",
            owner_id=world.innovator.id,
            agency_id=agency.id,
            stage=stages[n % 3],
            position=(n + start) * 1024,
        )
        for n in range(count)
    ]
    db.session.add_all(cards)
    db.session.flush()
    today = date.today()
    for card in cards:
        db.session.add(MentorAssignment(innovation_id=card.id, mentor_id=world.mentor.id))
        for k in range(2):
            db.session.add(
                Milestone(
                    innovation_id=card.id,
                    stage=card.stage,
                    title=f"M{k}",
                    due_date=today + timedelta(days=k * 10 - 5),
                    required=True,
                )
            )
    db.session.commit()


def queries_for(client, count_queries, url: str) -> int:
    headers = {"HX-Request": "true"} if "/cards" in url else {}
    with count_queries() as statements:
        response = client.get(url, headers=headers)
    assert response.status_code == 200
    return len(statements)


@pytest.mark.parametrize(
    "path",
    [
        "/board",
        "/board?view=swimlanes",
        "/board?owner={innovator}&overdue=1&q=card",
        "/board/creation/cards?cursor=0_0",
    ],
)
def test_query_count_does_not_grow_with_the_cards(client, login, world, count_queries, path):
    login(world.coordinator)
    url = f"/programmes/{world.programme.slug}{path.format(innovator=world.innovator.id)}"
    add_cards(world, 8)  # with the world's own two: 10 cards
    small = queries_for(client, count_queries, url)
    add_cards(world, 490)  # 500 cards
    large = queries_for(client, count_queries, url)
    assert small == large
    assert large <= MAX_QUERIES


# A forward move through the door: the session's user, the programme with the card, the
# membership (once, however many checks ask), then the move's own reads and writes and
# the redrawn card and the counts of the two columns it touched (one statement, of the
# counts the database keeps: with the default filters they are the WIP counts too).
# Before the door it was 23, five of them the membership; 19 while the counts still
# covered every column and the WIP counts; 18 while the commit expired the card and the
# programme, which the answer then read again, and the stage without templates was still
# asked which of them the card already had; 15 while the redrawn card's milestone counts
# and next milestone were two statements, 14 while its row was a third and 13 while the
# door read the programme and the card apart. On PostgreSQL one fewer (`for_dialect`).
MOVE_QUERIES = 12


def for_dialect(count: int) -> int:
    """On PostgreSQL the redrawn card's mentors are an array in its row, not a statement:
    each statement there is a round trip."""
    return count - (db.engine.dialect.name == "postgresql")


def test_a_card_move_reads_the_membership_once(client, login, world, count_queries):
    login(world.coordinator)
    innovation = world.innovation
    url = f"/programmes/{world.programme.slug}/cards/{innovation.id}/move"
    data = {"stage": "development", "version": innovation.version, "from_stage": "creation"}
    with count_queries() as statements:
        response = client.post(url, data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.text
    membership = [s for s in statements if "programme_members" in s]
    assert len(membership) == 1, membership
    assert len(statements) == for_dialect(MOVE_QUERIES)


def move_statements(client, count_queries, world, path: str, data: dict) -> int:
    innovation = db.session.get(Innovation, world.innovation.id)
    url = f"/programmes/{world.programme.slug}/cards/{innovation.id}/move{path}"
    data = {**data, "version": innovation.version, "from_stage": innovation.stage}
    with count_queries() as statements:
        response = client.post(url, data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.text
    return len(statements)


@pytest.mark.parametrize("path", ["", "?view=swimlanes", "?owner={innovator}"])
def test_a_move_costs_the_same_statements_for_10_cards_as_for_60(
    client, login, world, count_queries, path
):
    """Counting the columns a move touched reads an index range, not every card; the
    number of statements stays the same (the moves differ so both write the card)."""
    login(world.coordinator)
    path = path.format(innovator=world.innovator.id)
    add_cards(world, 8)  # with the world's own two: 10 cards
    small = move_statements(
        client, count_queries, world, path, {"stage": "creation", "position": 2}
    )
    add_cards(world, 50, start=200)  # 60 cards, none at the same position
    large = move_statements(
        client, count_queries, world, path, {"stage": "creation", "position": 3}
    )
    assert small == large


def test_a_card_move_is_one_transaction(client, login, world):
    """The move, the redrawn card and the counts its answer shows: one transaction, one
    COMMIT (on PostgreSQL each transaction is two more round trips, BEGIN and COMMIT)."""
    login(world.coordinator)
    innovation = world.innovation
    url = f"/programmes/{world.programme.slug}/cards/{innovation.id}/move"
    data = {"stage": "development", "version": innovation.version, "from_stage": "creation"}
    transactions: list[str] = []
    record = lambda conn: transactions.append("commit")  # noqa: E731
    event.listen(db.engine, "commit", record)
    try:
        response = client.post(url, data=data, headers={"HX-Request": "true"})
    finally:
        event.remove(db.engine, "commit", record)
    assert response.status_code == 200, response.text
    assert 'data-count="1"' in response.text  # the development column's new count
    assert transactions == ["commit"]


# A reorder within the column, from the Move dialog (a position) or a drag (the cards
# either side): the door's three, one read of the cards around the new place, the UPDATE,
# the redrawn card (its row with its milestone counts and next milestone, then its
# mentors) and the column's count. It was 15 from the dialog (the two neighbours read
# together, then each again) and 14 for a drag (each read alone), both reading the card
# and the programme again after the commit; 11 while the counts and the next milestone
# were two statements, 10 while the row was a third, 9 while the door read the programme
# and the card apart.
REORDER_QUERIES = 8


def reorder_statements(client, count_queries, world, data: dict) -> list[str]:
    innovation = db.session.get(Innovation, world.innovation.id)
    db.session.refresh(innovation)
    url = f"/programmes/{world.programme.slug}/cards/{innovation.id}/move"
    data = {**data, "stage": "creation", "version": innovation.version, "from_stage": "creation"}
    with count_queries() as statements:
        response = client.post(url, data=data, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.text
    assert f'id="card-{innovation.id}"' in response.text
    return statements


def creation_cards(world) -> list[int]:
    return list(
        db.session.scalars(
            select(Innovation.id)
            .where(
                Innovation.programme_id == world.programme.id,
                Innovation.stage == Stage.CREATION,
            )
            .order_by(Innovation.position, Innovation.id)
        )
    )


@pytest.mark.parametrize("how", ["position", "drag"])
def test_a_reorder_reads_the_cards_around_its_place_once(client, login, world, count_queries, how):
    login(world.coordinator)
    add_cards(world, 8)
    first, second = [c for c in creation_cards(world) if c != world.innovation.id][:2]
    data = {"position": 2} if how == "position" else {"after_id": first, "before_id": second}
    statements = reorder_statements(client, count_queries, world, data)
    assert len(statements) == for_dialect(REORDER_QUERIES)
    assert creation_cards(world)[:3] == [first, world.innovation.id, second]


def test_a_move_reads_the_card_and_the_programme_once(client, login, world, count_queries):
    """The answer uses the card and the programme as the door loaded them and the move
    left them: the redrawn card and the counts are the only reads after the UPDATE."""
    login(world.coordinator)
    add_cards(world, 8)
    statements = reorder_statements(client, count_queries, world, {"position": 3})
    assert len([s for s in statements if "innovations.summary" in s]) == 1
    assert len([s for s in statements if "FROM programmes" in s]) == 1
    assert creation_cards(world)[2] == world.innovation.id
