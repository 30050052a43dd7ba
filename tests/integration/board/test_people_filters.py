"""Owner and mentor filters in a large programme: past PEOPLE_LIST_MAX people they are a
name search on the server, so the page does not list everyone stored (issue 14)."""

from incubator.board.filters import PEOPLE_LIST_MAX
from incubator.extensions import db
from incubator.models import Role
from tests import factories
from tests.integration.board.conftest import board_url


def crowd(world) -> None:
    """More innovators and mentors than a <select> lists; the two on cards get real names."""
    for n in range(PEOPLE_LIST_MAX + 1):
        factories.make_user(Role.INNOVATOR, programme=world.programme, name=f"Crowd Owner {n}")
        factories.make_user(Role.MENTOR, programme=world.programme, name=f"Crowd Mentor {n}")
    world.innovator.name = "Wayan Sudarma"
    world.mentor.name = "Maria Goreti Lake"
    db.session.commit()


def test_a_small_programme_lists_its_people(client, login, board):
    login(board.world.coordinator)
    page = client.get(board_url(board.world, lang="en")).text
    assert '<select class="form-select form-select-sm" id="filter-owner" name="owner"' in page
    assert 'name="owner_q"' not in page and 'name="mentor_q"' not in page


def test_a_large_programme_gets_labelled_name_searches_not_lists(client, login, board):
    crowd(board.world)
    login(board.world.coordinator)
    page = client.get(board_url(board.world, lang="en")).text
    assert "Crowd Owner" not in page and "Crowd Mentor" not in page
    for role, label in (("owner", "Owner"), ("mentor", "Mentor")):
        assert f'<label class="form-label small mb-0" for="filter-{role}">{label}</label>' in page
        assert f'type="search" id="filter-{role}" name="{role}_q"' in page


def test_a_name_search_narrows_the_board_and_stays_in_the_url(client, login, board):
    crowd(board.world)
    login(board.world.coordinator)
    page = client.get(board_url(board.world, owner_q="sudarma", lang="en")).text
    assert "Sistem Antrian Puskesmas" in page and "Posyandu Digital" not in page
    assert 'value="sudarma"' in page
    assert "owner_q=sudarma" in page  # the cards' links and the exports carry it
    page = client.get(board_url(board.world, mentor_q="GORETI", lang="en")).text
    assert "Sistem Antrian Puskesmas" in page and "Posyandu Digital" not in page
    page = client.get(board_url(board.world, owner_q="nobody", lang="en")).text
    assert "Sistem Antrian Puskesmas" not in page and "Posyandu Digital" not in page


def test_a_chosen_person_from_the_url_is_shown_by_name(client, login, board):
    crowd(board.world)
    world = board.world
    login(world.coordinator)
    page = client.get(board_url(world, owner=world.innovator.id, lang="en")).text
    assert "Sistem Antrian Puskesmas" in page and "Posyandu Digital" not in page
    assert 'name="owner_q"\n           value="Wayan Sudarma"' in page
    page = client.get(board_url(world, mentor=world.mentor.id, lang="en")).text
    assert 'name="mentor_q"\n           value="Maria Goreti Lake"' in page


def test_the_export_follows_a_name_search(client, login, board):
    crowd(board.world)
    world = board.world
    login(world.coordinator)
    url = f"/programmes/{world.programme.slug}/export/board.csv?owner_q=sudarma"
    csv = client.get(url).get_data(as_text=True)
    assert "Sistem Antrian Puskesmas" in csv and "Posyandu Digital" not in csv
