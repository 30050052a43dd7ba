"""The single-line rule through the forms: refused with a message in the user's language."""

import pytest

from incubator.extensions import db
from incubator.models import Innovation, User

CASES = {
    "CR/LF": ("Antrian\r\nBcc: x@example.org", "Gunakan satu baris saja"),
    "zero-width only": ("\u200b\u200b", "Masukkan huruf atau angka yang terlihat"),
    "right-to-left override": ("Laporan\u202efdp.exe", "Hapus karakter tersembunyi"),
}


def edit(client, innovation, title):
    return client.post(
        f"/innovations/{innovation.id}/edit",
        data={"title": title, "category": "public_service", "version": str(innovation.version)},
    )


@pytest.mark.parametrize(("title", "message"), CASES.values(), ids=CASES.keys())
def test_an_innovation_title_that_is_not_one_visible_line_is_refused(world, login, title, message):
    client = login(world.innovator)
    before = world.innovation.title
    response = edit(client, world.innovation, title)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Innovation, world.innovation.id).title == before


def test_the_message_is_in_english_for_an_english_reader(world, login):
    world.innovator.locale = "en"
    db.session.commit()
    client = login(world.innovator)
    response = edit(client, world.innovation, "Antrian\nPuskesmas")
    assert "Use a single line, without line breaks" in response.get_data(as_text=True)


def test_a_title_is_trimmed_of_spaces_and_invisible_ends(world, login):
    client = login(world.innovator)
    assert edit(client, world.innovation, " \u200bAntrian Online\ufeff ").status_code == 302
    db.session.expire_all()
    assert db.session.get(Innovation, world.innovation.id).title == "Antrian Online"


@pytest.mark.parametrize(("name", "message"), CASES.values(), ids=CASES.keys())
def test_a_profile_name_that_is_not_one_visible_line_is_refused(world, login, name, message):
    client = login(world.innovator)
    response = client.post("/account", data={"name": name, "locale": "id"})
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert "\u202e" not in db.session.get(User, world.innovator.id).name


def test_a_milestone_title_with_a_line_break_is_refused(world, login):
    client = login(world.innovator)
    response = client.post(
        f"/innovations/{world.innovation.id}/milestones/new",
        data={"title": "Uji\ncoba", "stage": "creation"},
    )
    assert response.status_code == 422
    assert "Gunakan satu baris saja" in response.get_data(as_text=True)
