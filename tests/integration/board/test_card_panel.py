"""The card's side panel: overview, milestones with progress, stage history with reasons."""

from datetime import timedelta

from incubator.extensions import db
from incubator.models import StageTransition, utcnow
from tests.integration.board.conftest import HTMX


def panel_url(board, innovation=None) -> str:
    innovation = innovation or board.late
    return f"/programmes/{board.world.programme.slug}/cards/{innovation.id}"


def test_panel_is_a_fragment_for_htmx_and_a_page_otherwise(client, login, board):
    login(board.world.mentor)
    fragment = client.get(panel_url(board) + "?lang=en", headers=HTMX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text and "Sistem Antrian Puskesmas" in fragment.text
    page = client.get(panel_url(board) + "?lang=en")
    assert "<html" in page.text and "Back to the board" in page.text


def test_panel_shows_overview_milestones_and_history(client, login, board):
    world = board.world
    now = utcnow()
    db.session.add_all(
        [
            StageTransition(
                innovation_id=board.late.id,
                from_stage=None,
                to_stage="creation",
                actor_id=world.coordinator.id,
                reason="Registered",
                created_at=now - timedelta(days=30),
            ),
            StageTransition(
                innovation_id=board.late.id,
                from_stage="development",
                to_stage="creation",
                actor_id=world.coordinator.id,
                reason="Needs a clearer problem statement",
                created_at=now - timedelta(days=21),
            ),
        ]
    )
    db.session.commit()
    login(world.innovator)
    text = client.get(panel_url(board) + "?lang=en", headers=HTMX).text
    # Overview
    assert "Dinas Kesehatan Belu" in text and "Belu" in text
    assert world.innovator.name in text and world.mentor.name in text
    assert "21 days" in text
    # Milestones with progress
    assert "Problem statement" in text and "Uji coba" in text and "Survey" in text
    assert 'aria-valuenow="40"' in text and "Milestones (1/3)" in text
    # History, newest first, with reasons and who
    assert text.index("Needs a clearer problem statement") < text.index("Registered")
    assert "Development → Creation" in text
    assert world.coordinator.name in text


def test_panel_of_a_card_in_another_programme_is_404(client, login, board):
    login(board.world.coordinator)
    url = f"/programmes/{board.world.programme.slug}/cards/{board.world.foreign_innovation.id}"
    assert client.get(url, headers=HTMX).status_code == 404
    assert client.get(f"/programmes/{board.world.programme.slug}/cards/424242").status_code == 404


def test_card_title_opens_the_panel_with_htmx(client, login, board):
    login(board.world.innovator)
    page = client.get(f"/programmes/{board.world.programme.slug}/board").text
    url = panel_url(board)
    # A plain link (a new tab, or no JavaScript, opens the card's page); board.js sends a
    # click on it to the side panel, with no htmx attributes on each of 150 cards. The
    # browser tests (test_a11y_pages, test_board) click it and see the panel.
    assert f'href="{url}">' in page
    assert "js/board.js" in page
    assert 'id="card-panel"' in page
