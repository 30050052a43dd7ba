"""The move endpoint: CSRF, 403, 404, 409, 422, and a successful move with its history."""

import json
import re

import pytest
from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import (
    ActivityEntry,
    Innovation,
    Milestone,
    Role,
    Stage,
    StageTransition,
    utcnow,
)
from tests import factories
from tests.conftest import make_app
from tests.integration.board.conftest import HTMX, board_url, move_url


def snapshot():
    """What a move may write; equal before and after means nothing was written."""
    db.session.expire_all()
    return (
        db.session.execute(
            select(
                Innovation.id, Innovation.stage, Innovation.position, Innovation.version
            ).order_by(Innovation.id)
        ).all(),
        db.session.scalar(select(func.count(StageTransition.id))),
        db.session.scalar(select(func.count(ActivityEntry.id))),
        db.session.scalar(select(func.count(Milestone.id))),
    )


def post_move(client, board, innovation=None, headers=HTMX, url_args="", **data):
    innovation = innovation or board.late
    data.setdefault("version", innovation.version)
    return client.post(
        move_url(board.world.programme, innovation) + url_args, data=data, headers=headers
    )


@pytest.fixture
def coordinator(client, login, board):
    login(board.world.coordinator)
    return client


def test_successful_forward_move_with_an_override_and_its_history(coordinator, board):
    world = board.world
    factories.make_templates(world.programme, Stage.DEVELOPMENT, [("Quality", 30, True)])
    db.session.commit()
    version = board.late.version
    response = post_move(
        coordinator,
        board,
        stage="development",
        reason="Pilot live in 3 villages",
        from_stage="creation",
    )
    assert response.status_code == 200, response.text
    trigger = json.loads(response.headers["HX-Trigger-After-Settle"])["board:moved"]
    assert trigger == {
        "card": board.late.id,
        "list": "cards-development",
        "after": None,
        "before": None,
    }
    # The redrawn card (new version, new column) and the counts come back out of band.
    assert f'id="card-{board.late.id}"' in response.text
    assert f'data-version="{version + 1}"' in response.text
    assert 'id="head-creation" hx-swap-oob="true"' in response.text
    assert 'id="board-messages" hx-swap-oob="innerHTML"' in response.text

    db.session.expire_all()
    innovation = db.session.get(Innovation, board.late.id)
    assert innovation.stage == Stage.DEVELOPMENT and innovation.version == version + 1
    transition = db.session.scalars(select(StageTransition)).one()
    assert transition.actor_id == world.coordinator.id
    assert (transition.from_stage, transition.to_stage) == ("creation", "development")
    assert transition.reason == "Pilot live in 3 villages" and transition.gate_overridden
    assert (
        db.session.scalar(select(func.count(ActivityEntry.id)).filter_by(verb="stage_moved")) == 1
    )
    assert db.session.scalars(
        select(Milestone.title).filter_by(innovation_id=innovation.id, stage="development")
    ).all() == ["Quality"]

    panel = coordinator.get(
        f"/programmes/{world.programme.slug}/cards/{innovation.id}?lang=en", headers=HTMX
    ).text
    assert "Pilot live in 3 villages" in panel and "gate overridden" in panel
    assert world.coordinator.name in panel


def test_gate_without_reason_is_422_listing_the_unfinished_milestones(coordinator, board):
    before = snapshot()
    response = post_move(coordinator, board, stage="development", url_args="?lang=en")
    assert response.status_code == 422
    assert 'id="move-reason-error"' in response.text
    assert "Uji coba" in response.text and "Give a reason" in response.text
    # The form comes back ready to override: same target, same version.
    assert '<option value="development" selected>' in response.text
    assert snapshot() == before


def test_backward_without_reason_is_422(coordinator, board):
    before = snapshot()
    response = post_move(coordinator, board, innovation=board.fresh, stage="creation")
    assert response.status_code == 422
    assert 'id="move-reason-error"' in response.text
    assert snapshot() == before


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"stage": "launch"}, "stage"),
        ({"stage": ""}, "stage"),
        ({"stage": "institutionalisation", "reason": "skip"}, "stage"),
        ({"stage": "creation", "position": "99"}, "position"),
        ({"stage": "creation", "position": "0"}, "position"),
        ({"stage": "creation", "position": "first"}, "position"),
        ({"stage": "development", "reason": "x" * 20_000}, "reason"),
    ],
)
def test_bad_input_is_422_next_to_the_field_and_writes_nothing(coordinator, board, data, field):
    before = snapshot()
    response = post_move(coordinator, board, **data)
    assert response.status_code == 422, response.text[:300]
    assert f'id="move-{field}-error"' in response.text
    assert snapshot() == before


def test_missing_version_or_bad_neighbour_is_422(coordinator, board):
    before = snapshot()
    response = coordinator.post(
        move_url(board.world.programme, board.late), data={"stage": "creation"}, headers=HTMX
    )
    assert response.status_code == 422
    foreign = board.world.foreign_innovation.id
    response = post_move(coordinator, board, stage="creation", after_id=foreign)
    assert response.status_code == 422
    response = post_move(coordinator, board, stage="creation", after_id=board.late.id)
    assert response.status_code == 422
    assert snapshot() == before


def test_stale_version_is_409_and_redraws_the_affected_columns(coordinator, board):
    stale = board.late.version
    board.late.title = "Renamed by someone else"  # bumps the version
    db.session.commit()
    before = snapshot()
    response = post_move(
        coordinator,
        board,
        version=stale,
        stage="development",
        reason="go",
        from_stage="creation",
        url_args="?lang=en",
    )
    assert response.status_code == 409
    assert json.loads(response.headers["HX-Trigger-After-Settle"]) == {"board:conflict": {}}
    assert 'id="column-creation"' in response.text and 'id="column-development"' in response.text
    assert 'id="column-institutionalisation"' not in response.text
    assert "Renamed by someone else" in response.text  # the current truth
    assert "changed since the board was drawn" in response.text
    assert snapshot() == before


def test_stale_version_in_swimlanes_redraws_the_board(coordinator, board):
    stale = board.late.version
    board.late.title = "Renamed"
    db.session.commit()
    before = snapshot()
    response = post_move(
        coordinator, board, version=stale, stage="creation", url_args="?view=swimlanes"
    )
    assert response.status_code == 409
    assert 'id="board-body" hx-swap-oob="innerHTML"' in response.text
    assert snapshot() == before


def test_stale_move_without_htmx_shows_the_board_with_409(coordinator, board):
    before = snapshot()
    response = post_move(coordinator, board, headers={}, version=0, stage="development")
    assert response.status_code == 409
    assert "<html" in response.text and 'id="board-body"' in response.text
    assert snapshot() == before


def test_neighbour_that_moved_away_is_a_conflict(coordinator, board):
    # The user dropped the card under `fresh`, which has meanwhile left Creation.
    before = snapshot()
    response = post_move(coordinator, board, stage="creation", after_id=board.fresh.id)
    assert response.status_code == 409
    assert snapshot() == before


@pytest.mark.parametrize("role", ["innovator", "mentor", "other_innovator"])
def test_innovators_and_mentors_are_refused_whatever_they_send(client, login, board, role):
    login(getattr(board.world, role))
    before = snapshot()
    for data in (
        {"stage": "development", "reason": "please"},
        {"stage": "creation"},
        {"stage": "launch"},
        {},
    ):
        response = post_move(client, board, **data)
        assert response.status_code == 403
    assert client.get(move_url(board.world.programme, board.late)).status_code == 403
    assert snapshot() == before


@pytest.mark.parametrize("member_of_both", [False, True])
def test_card_of_another_programme_is_404(client, login, board, member_of_both):
    world = board.world
    if member_of_both:  # even a coordinator of both gets 404 under the wrong programme
        factories.add_member(world.foreign_programme, world.coordinator, Role.COORDINATOR)
        db.session.commit()
    login(world.coordinator)
    before = snapshot()
    wrong = move_url(world.programme, world.foreign_innovation)
    assert client.post(wrong, data={"stage": "development", "version": 1}).status_code == 404
    assert client.get(wrong).status_code == 404
    card = f"/programmes/{world.programme.slug}/cards/{world.foreign_innovation.id}"
    assert client.get(card).status_code == 404
    assert (
        client.post(
            f"/programmes/{world.programme.slug}/cards/999999/move",
            data={"stage": "creation", "version": 1},
        ).status_code
        == 404
    )
    assert snapshot() == before


def test_not_a_member_gets_404(client, login, board):
    login(board.world.foreign_coordinator)
    before = snapshot()
    response = post_move(client, board, stage="development", reason="x")
    assert response.status_code == 404
    assert snapshot() == before


def test_not_logged_in_htmx_gets_hx_redirect(client, board):
    response = post_move(client, board, stage="development")
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login")


def test_reorder_within_a_column_writes_one_card_and_no_history(coordinator, board):
    third = factories.make_innovation(board.world.programme, title="Third", position=1)
    db.session.commit()
    response = post_move(coordinator, board, stage="creation", before_id=third.id)
    assert response.status_code == 200
    db.session.expire_all()
    late, third = db.session.get(Innovation, board.late.id), db.session.get(Innovation, third.id)
    assert late.position < third.position
    assert db.session.scalar(select(func.count(StageTransition.id))) == 0
    assert third.version == 1


def test_keyboard_move_by_position(coordinator, board):
    for _ in range(2):
        factories.make_innovation(board.world.programme, stage=Stage.DEVELOPMENT)
    for milestone in db.session.scalars(select(Milestone).filter_by(innovation_id=board.late.id)):
        milestone.done_at = utcnow()
    db.session.commit()
    response = post_move(coordinator, board, stage="development", position="1")
    assert response.status_code == 200
    trigger = json.loads(response.headers["HX-Trigger-After-Settle"])["board:moved"]
    ordered = db.session.scalars(
        select(Innovation.id).filter_by(stage="development").order_by(Innovation.position)
    ).all()
    assert ordered[0] == board.late.id
    assert trigger["after"] is None and trigger["before"] == ordered[1]


def test_move_without_htmx_redirects_to_the_board_with_its_filters(coordinator, board):
    response = post_move(
        coordinator, board, headers={}, url_args="?q=sis", stage="development", reason="ok"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == board_url(board.world, q="sis")


HEAD_COUNT = re.compile(r'id="head-(\w+)".*?data-count="(\d+)"', re.S)


@pytest.mark.parametrize("filtered", [False, True])
def test_a_moves_counts_are_the_boards_with_and_without_filters(coordinator, board, filtered):
    """The heads a move redraws count what the board shows under the same filters: all
    the cards without a query string, the region's with one."""
    factories.make_innovation(board.world.programme, stage=Stage.DEVELOPMENT, title="Lain")
    db.session.commit()
    args = {"region": board.belu.id} if filtered else {}
    url_args = f"?region={board.belu.id}" if filtered else ""
    response = post_move(
        coordinator, board, url_args=url_args, stage="development", reason="Siap diuji"
    )
    assert response.status_code == 200, response.text
    moved = dict(HEAD_COUNT.findall(response.text))
    shown = dict(HEAD_COUNT.findall(coordinator.get(board_url(board.world, **args)).text))
    assert moved == {stage: shown[stage] for stage in moved}
    assert moved["development"] == ("1" if filtered else "3")


def test_move_dialog_defaults_to_the_next_stage_and_shows_the_gate(coordinator, board):
    page = coordinator.get(
        move_url(board.world.programme, board.late) + "?lang=en", headers=HTMX
    ).text
    assert "<html" not in page
    assert re.search(r'<option value="development" selected>', page)
    assert 'id="move-gate"' in page and "Uji coba" in page
    assert f'name="version" type="hidden" value="{board.late.version}"' in page
    full = coordinator.get(move_url(board.world.programme, board.late) + "?lang=en").text
    assert "<html" in full and "Confirm move" in full


@pytest.fixture
def csrf_client(database_url, board):
    app = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    login_page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post(
        "/login",
        data={
            "email": board.world.coordinator.email,
            "password": factories.PASSWORD,
            "csrf_token": token,
        },
    )
    yield client
    with app.app_context():
        db.engine.dispose()


def test_move_needs_the_csrf_header(csrf_client, board):
    before = snapshot()
    response = post_move(csrf_client, board, stage="development", reason="x")
    assert response.status_code == 400
    assert snapshot() == before
    page = csrf_client.get(board_url(board.world)).text
    token = re.search(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'', page).group(1)
    response = post_move(
        csrf_client, board, headers={**HTMX, "X-CSRFToken": token}, stage="development", reason="x"
    )
    assert response.status_code == 200
