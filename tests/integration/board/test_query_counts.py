"""The board and a column page cost the same few queries for 10 cards as for 500."""

from datetime import date, timedelta

import pytest

from incubator.extensions import db
from incubator.models import Innovation, MentorAssignment, Milestone, Stage
from tests import factories

MAX_QUERIES = 20


def add_cards(world, count: int) -> None:
    """`count` cards spread over the stages, each with an agency, a mentor and milestones."""
    agency = factories.make_agency(world.programme.region_id, programme=world.programme)
    stages = list(Stage)
    cards = [
        Innovation(
            programme_id=world.programme.id,
            title=f"Card {n}",
            owner_id=world.innovator.id,
            agency_id=agency.id,
            stage=stages[n % 3],
            position=(n + 100) * 1024,
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


# A forward move through the door: the session's user, the programme, the membership
# (once, however many checks ask), the card, then the move's own reads and writes and
# the redrawn card and counts. Before the door it was 23, five of them the membership.
MOVE_QUERIES = 19


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
    assert len(statements) == MOVE_QUERIES
