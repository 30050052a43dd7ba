"""The card markup written in Python (incubator/board/card_markup.py): whatever people type
in a title or a name reaches the board as text, never as markup, in every place a card
shows it; and a card with nothing to show beyond its title stays well formed."""

import re
from datetime import date, timedelta

from incubator.extensions import db
from incubator.models import Milestone, utcnow
from tests import factories
from tests.integration.board.conftest import HTMX, board_url, move_url

NASTY = "<script>alert(\"x\")</script> & 'quote'"
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;quote&#39;"


def card_html(page: str, innovation_id: int) -> str:
    start = page.index(f'<li id="card-{innovation_id}"')
    return page[start : page.index("</li>", start) + len("</li>")]


def test_typed_text_is_escaped_wherever_a_card_shows_it(client, login, board):
    world = board.world
    board.late.title = f"Title {NASTY}"
    board.belu.name = f"Region {NASTY}"
    world.innovator.name = f"Owner Sinta {NASTY}"
    world.mentor.name = f"Mentor Sari {NASTY}"
    uji_coba = db.session.scalars(db.select(Milestone).filter_by(title="Uji coba")).one()
    uji_coba.title = f"Step {NASTY}"  # the card's next milestone (board fixture)
    db.session.commit()
    login(world.coordinator)
    card = card_html(client.get(board_url(world, lang="en")).text, board.late.id)
    assert "<script>" not in card and "'quote'" not in card
    assert f">Title {ESCAPED}</a></h3>" in card
    assert f"Dinas Kesehatan Belu · Region {ESCAPED}</p>" in card
    assert f'<abbr title="Owner: Owner Sinta {ESCAPED}">OS</abbr>' in card
    assert f'<span title="Mentor: Mentor Sari {ESCAPED}">MS</span>' in card
    assert f"<b>Next:</b>Step {ESCAPED} · <time" in card


def test_a_bare_card_is_well_formed(client, login, world):
    bare = factories.make_innovation(world.programme, title="Only a title", owner=None)
    db.session.commit()
    login(world.coordinator)
    card = card_html(client.get(board_url(world, lang="en")).text, bare.id)
    assert re.fullmatch(
        rf'<li id="card-{bare.id}" data-version="\d+"><i></i>'
        rf'<h3><a id="t{bare.id}" href="/programmes/{world.programme.slug}/cards/{bare.id}">'
        r"Only a title</a></h3><p></p><p></p><p><i>0/0<b> milestones done in this stage</b>"
        rf'</i> 0 days in stage</p><button aria-labelledby="mv t{bare.id}">Move</button></li>',
        card,
    )


def test_a_date_of_another_year_shows_its_year(client, login, board):
    # Cards show "27 Nov" for this year's dates and "27 Nov 2031" for others.
    later = date.today().replace(month=1, day=15) + timedelta(days=5 * 366)
    for milestone in db.session.scalars(db.select(Milestone).filter_by(innovation=board.fresh)):
        milestone.due_date = later
    db.session.commit()
    login(board.world.coordinator)
    card = card_html(client.get(board_url(board.world, lang="en")).text, board.fresh.id)
    assert f'<time datetime="{later.isoformat()}">{later.day} Jan {later.year}</time>' in card


def redraw_fresh(client, board) -> str:
    """Move the board's `fresh` card to the top of its column; the card its answer draws."""
    moved = client.post(
        move_url(board.world.programme, board.fresh) + "?lang=en",
        data={
            "stage": "development",
            "from_stage": "development",
            "position": 1,
            "version": board.fresh.version,
        },
        headers=HTMX,
    )
    assert moved.status_code == 200
    return card_html(moved.text, board.fresh.id)


def test_the_card_a_move_redraws_is_the_boards_card(client, login, board):
    world = board.world
    login(world.coordinator)
    drawn = card_html(client.get(board_url(world, lang="en")).text, board.fresh.id)
    redrawn = redraw_fresh(client, board)
    assert ' hx-swap-oob="true"' in redrawn

    def same(html: str) -> str:  # the version is the move's to advance
        return re.sub(r'data-version="\d+"', "", html.replace(' hx-swap-oob="true"', ""))

    assert same(redrawn) == same(drawn)


def test_the_next_milestone_is_the_earliest_open_one_and_undated_ones_come_last(
    client, login, world
):
    card = factories.make_innovation(world.programme, title="Ordered")
    today = date.today()
    factories.make_milestone(card, title="Undated", due_date=None)
    factories.make_milestone(card, title="Done early", due_date=today, done_at=utcnow())
    factories.make_milestone(card, title="Later", due_date=today + timedelta(days=9))
    factories.make_milestone(card, title="Sooner", due_date=today + timedelta(days=2))
    db.session.commit()
    login(world.coordinator)

    def next_title() -> str:
        html = card_html(client.get(board_url(world, lang="en")).text, card.id)
        return re.search(r"<b>Next:</b>([^<·]*)", html).group(1).strip()

    assert next_title() == "Sooner"
    for milestone in db.session.scalars(db.select(Milestone).filter_by(innovation_id=card.id)):
        if milestone.due_date is not None:
            milestone.done_at = utcnow()
    db.session.commit()
    assert next_title() == "Undated"


def test_a_redrawn_card_names_its_current_mentors_as_the_board_does(client, login, board):
    """On PostgreSQL the redrawn card's mentors come in its own row: the same people, in
    the board's order (by name), and not one whose assignment has ended."""
    world = board.world
    agus = factories.make_user("mentor", programme=world.programme, name="Agus Mentor")
    ended = factories.make_user("mentor", programme=world.programme, name="Berhenti Mentor")
    factories.assign_mentor(board.fresh, agus, by=world.coordinator)
    factories.assign_mentor(board.fresh, ended, by=world.coordinator).unassigned_at = utcnow()
    db.session.commit()
    login(world.coordinator)
    drawn = card_html(client.get(board_url(world, lang="en")).text, board.fresh.id)
    redrawn = redraw_fresh(client, board)
    names = re.findall(r'<span title="Mentor: ([^"]+)">', redrawn)
    assert names == ["Agus Mentor", world.other_mentor.name]
    assert names == re.findall(r'<span title="Mentor: ([^"]+)">', drawn)
