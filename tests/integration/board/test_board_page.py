"""The board page: columns, what a card shows, who sees controls, filters, views, pages."""

import re

import pytest

from incubator.extensions import db
from incubator.models import InnovationState, MentorAssignment, Stage, utcnow
from tests import factories
from tests.integration.board.conftest import HTMX, board_url


def column_html(page: str, stage: str) -> str:
    start = page.index(f'id="column-{stage}"')
    end = page.find("</section>", start)
    return page[start:end]


def test_three_columns_in_stage_order_with_counts(client, login, board):
    world = board.world
    login(world.coordinator)
    page = client.get(board_url(world, lang="en")).text
    positions = [page.index(f'id="column-{stage}-heading"') for stage in Stage]
    assert positions == sorted(positions)
    for stage, label in zip(
        Stage, ("Creation", "Development", "Institutionalisation"), strict=True
    ):
        assert re.search(rf'id="column-{stage}-heading">{label}</h2>', page)
    assert 'data-count="1"' in column_html(page, "creation")
    assert 'data-count="1"' in column_html(page, "development")
    assert 'data-count="0"' in column_html(page, "institutionalisation")


def test_headings_are_indonesian_by_default(client, login, board):
    login(board.world.coordinator)
    page = client.get(board_url(board.world)).text
    assert ">Penciptaan</h2>" in page and ">Pelembagaan</h2>" in page


def test_a_card_shows_what_a_coordinator_needs(client, login, board):
    world = board.world
    login(world.coordinator)
    column = column_html(client.get(board_url(world, lang="en")).text, "creation")
    assert "Sistem Antrian Puskesmas" in column
    assert "Dinas Kesehatan Belu · Belu" in column
    # The owner's initials are an <abbr> (app.css shades it), the mentors' a <span>.
    assert f'<abbr title="Owner: {world.innovator.name}">{world.innovator.initials}<' in column
    assert f'<span title="Mentor: {world.mentor.name}">{world.mentor.initials}<' in column
    # A card's <b> is for screen readers only (app.css): "Next:", what done/total counts.
    assert "<b>Next:</b>Uji coba · <time" in column
    assert "<mark>Overdue</mark>" in column
    assert "1/3<b> milestones done in this stage</b></i> 21 days in stage</p>" in column


def test_unassigned_mentors_are_not_shown(client, login, board):
    world = board.world
    assignment = db.session.scalars(
        db.select(MentorAssignment).filter_by(innovation_id=board.late.id)
    ).one()
    assignment.unassigned_at = utcnow()
    db.session.commit()
    login(world.coordinator)
    column = column_html(client.get(board_url(world, lang="en")).text, "creation")
    assert world.mentor.name not in column


def test_coordinator_gets_drag_handles_and_move_controls(client, login, board):
    login(board.world.coordinator)
    page = client.get(board_url(board.world, lang="en")).text
    assert page.count('"><i></i><h3>') == 2  # the drag handle
    # Move is named "Move <title>": the page's hidden word and the title, by id.
    assert page.count('aria-labelledby="mv t') == 2
    assert '<span id="mv" hidden>Move</span>' in page
    assert f'<a id="t{board.late.id}" href=' in page
    assert "data-sortable" in page
    assert 'id="move-dialog"' in page


@pytest.mark.parametrize("role", ["innovator", "mentor"])
def test_innovators_and_mentors_see_a_read_only_board(client, login, board, role):
    login(getattr(board.world, role))
    page = client.get(board_url(board.world, lang="en")).text
    assert "Sistem Antrian Puskesmas" in page and "Posyandu Digital" in page
    assert "<i></i>" not in page
    assert 'aria-labelledby="mv' not in page and 'id="mv"' not in page
    assert "data-sortable" not in page and "data-move-url" not in page


def test_a_programme_you_are_not_in_is_not_found(client, login, board):
    login(board.world.coordinator)
    assert (
        client.get(board_url(board.world).replace(board.world.programme.slug, "nope")).status_code
        == 404
    )
    foreign = f"/programmes/{board.world.foreign_programme.slug}/board"
    assert client.get(foreign).status_code == 404


def test_proposals_stay_off_the_board(client, login, board):
    factories.make_innovation(board.world.programme, title="A proposal", is_proposal=True)
    db.session.commit()
    login(board.world.coordinator)
    assert "A proposal" not in client.get(board_url(board.world)).text


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        ({}, {"Sistem Antrian Puskesmas", "Posyandu Digital"}),
        ({"region": "belu"}, {"Sistem Antrian Puskesmas"}),
        ({"agency": "education"}, {"Posyandu Digital"}),
        ({"mentor": "other_mentor"}, {"Posyandu Digital"}),
        ({"owner": "innovator"}, {"Sistem Antrian Puskesmas"}),
        ({"overdue": "1"}, {"Sistem Antrian Puskesmas"}),
        ({"q": "posyandu"}, {"Posyandu Digital"}),
        ({"q": "100%_"}, set()),
        ({"state": "on_hold"}, {"Parked idea"}),
    ],
)
def test_filters_from_the_query_string(client, login, board, args, shown):
    world = board.world
    parked = factories.make_innovation(
        world.programme, title="Parked idea", state=InnovationState.ON_HOLD
    )
    agencies = {
        "education": board.fresh.agency_id,
    }
    ids = {
        "belu": board.belu.id,
        "other_mentor": world.other_mentor.id,
        "innovator": world.innovator.id,
        **agencies,
    }
    db.session.commit()
    login(world.coordinator)
    query = {key: ids.get(value, value) for key, value in args.items()}
    page = client.get(board_url(world, **query)).text
    titles = {"Sistem Antrian Puskesmas", "Posyandu Digital", parked.title}
    assert {t for t in titles if f">{t}</a>" in page} == shown


@pytest.mark.parametrize(
    ("user", "shown"),
    [
        ("innovator", {"Sistem Antrian Puskesmas"}),
        ("mentor", {"Sistem Antrian Puskesmas"}),
        ("other_mentor", {"Posyandu Digital"}),
        ("coordinator", set()),
    ],
)
def test_mine_means_owned_on_the_team_or_mentored(client, login, board, user, shown):
    login(getattr(board.world, user))
    page = client.get(board_url(board.world, mine=1)).text
    titles = {"Sistem Antrian Puskesmas", "Posyandu Digital"}
    assert {t for t in titles if f">{t}</a>" in page} == shown


def test_filter_choices_and_selected_values_are_shown(client, login, board):
    login(board.world.coordinator)
    page = client.get(board_url(board.world, region=board.belu.id, mine=1, q="abc")).text
    assert f'<option value="{board.belu.id}" selected>Belu</option>' in page
    assert 'name="mine" value="1" checked' in page
    assert 'value="abc"' in page
    assert f">{board.world.mentor.name}</option>" in page


def test_invalid_filters_are_a_400_with_the_message_next_to_the_field(client, login, board):
    login(board.world.coordinator)
    response = client.get(board_url(board.world, region="abc", q="x" * 300, lang="en"))
    assert response.status_code == 400
    assert 'id="filter-region-error"' in response.text
    assert 'id="filter-q-error"' in response.text
    assert "Some filters were not valid" in response.text
    # The valid rest of the board still shows.
    assert "Sistem Antrian Puskesmas" in response.text


def test_filter_change_by_htmx_returns_only_the_board_body(client, login, board):
    login(board.world.coordinator)
    response = client.get(board_url(board.world, q="posyandu"), headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text and "<form" not in response.text
    assert "Posyandu Digital" in response.text and "Sistem Antrian" not in response.text


def test_swimlanes_group_rows_by_region(client, login, board):
    factories.make_innovation(board.world.programme, title="Without agency")
    db.session.commit()
    login(board.world.coordinator)
    response = client.get(board_url(board.world, view="swimlanes", lang="en"))
    assert response.status_code == 200
    page = response.text
    lanes = re.findall(r'class="h6 board-lane-title" id="lane-(\d+)-heading">([^<]+)<', page)
    assert [name for _, name in lanes] == ["Belu", "Sumba Timur", "No region"]
    belu = page[
        page.index(f"lane-{board.belu.id}-heading") : page.index(f"lane-{board.sumba.id}-heading")
    ]
    assert "Sistem Antrian Puskesmas" in belu and "Posyandu Digital" not in belu
    assert f'id="cards-r{board.belu.id}-creation"' in page
    assert f'data-sortable="lane-{board.belu.id}"' in page
    # Stage headings appear once, above the lanes.
    assert page.count(">Creation</h2>") == 1


def test_wip_limit_over_shows_a_warning_and_does_not_block(client, login, board):
    world = board.world
    world.programme.wip_limits = {"creation": 1, "development": 5}
    factories.make_innovation(world.programme, title="One too many")
    db.session.commit()
    login(world.coordinator)
    page = client.get(board_url(world, lang="en")).text
    assert "WIP 2/1" in column_html(page, "creation")
    assert "Over the WIP limit of 1 active cards." in column_html(page, "creation")
    assert "WIP 1/5" in column_html(page, "development")
    assert "Over the WIP limit" not in column_html(page, "development")


def test_columns_load_50_cards_then_more_on_scroll(client, login, world):
    for n in range(120):
        factories.make_innovation(world.programme, title=f"Card {n:03d}", position=(n + 10) * 1024)
    db.session.commit()
    login(world.coordinator)
    page = client.get(board_url(world, lang="en")).text
    creation = column_html(page, "creation")
    assert creation.count('<li id="card-') == 50
    assert 'data-count="122"' in creation
    loader = re.search(
        r'id="more-creation".*?hx-get="([^"]+)"\s+hx-trigger="revealed', creation, re.S
    )
    assert loader, creation[-1500:]

    second = client.get(loader.group(1).replace("&amp;", "&"), headers=HTMX)
    assert second.status_code == 200
    assert second.text.count('<li id="card-') == 50
    assert 'id="more-creation" class="board-more" hx-swap-oob="true"' in second.text
    first_titles = re.findall(r">(Card \d{3})</a>", creation)
    second_titles = re.findall(r">(Card \d{3})</a>", second.text)
    assert not set(first_titles) & set(second_titles)

    third_url = re.search(r'hx-get="([^"]+)"\s+hx-trigger="revealed', second.text).group(1)
    third = client.get(third_url.replace("&amp;", "&"), headers=HTMX)
    assert third.text.count('<li id="card-') == 22
    assert "hx-trigger" not in third.text  # nothing left to load
    titles = first_titles + second_titles + re.findall(r">(Card \d{3})</a>", third.text)
    assert len(titles) == 120 and len(set(titles)) == 120


def test_column_page_keeps_the_filters(client, login, world):
    for n in range(60):
        factories.make_innovation(world.programme, title=f"Alpha {n}" if n % 2 else f"Beta {n}")
    db.session.commit()
    login(world.coordinator)
    url = f"/programmes/{world.programme.slug}/board/creation/cards?q=alpha"
    page = client.get(url, headers=HTMX).text
    assert page.count('<li id="card-') == 30
    assert "Beta" not in page


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/board/launch/cards", 404),
        ("/board/creation/cards?cursor=abc", 400),
        ("/board/creation/cards?cursor=1_2&lane=x", 400),
        ("/board/creation/cards?cursor=" + "9" * 60, 400),
    ],
)
def test_column_page_bad_input(client, login, world, path, status):
    login(world.coordinator)
    assert client.get(f"/programmes/{world.programme.slug}{path}").status_code == status
