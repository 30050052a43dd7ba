"""The entry through HTTP: who sees and writes it, autosave with its version check (409),
details refused when malformed, read-only after the closing date, and the template form."""

from datetime import date

import pytest
import time_machine

from incubator.extensions import db
from incubator.models import (
    CompetitionSection,
    CompetitionTemplate,
    EntrySection,
    Role,
    innovation_members,
)
from tests import factories

from .conftest import fresh


def _rows(entry):
    db.session.expire_all()
    return sorted(
        db.session.scalars(db.select(EntrySection).where(EntrySection.entry_id == entry.id)),
        key=lambda r: r.section_id,
    )


def test_the_innovation_page_links_to_its_entries(as_, world, entry):
    page = as_(world.innovator).get(f"/innovations/{world.innovation.id}").get_data(as_text=True)
    assert f'href="/innovations/{world.innovation.id}/competitions"' in page
    assert "Competition entries (KIPP)" in page


def test_the_link_names_kompetisi_in_indonesian(as_, world, entry):
    client = as_(world.innovator)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "id"
    page = client.get(f"/innovations/{world.innovation.id}").get_data(as_text=True)
    assert "Kompetisi (KIPP)" in page


@pytest.mark.parametrize(
    ("who", "view", "write"),
    [
        ("innovator", 200, 200),  # the team writes
        ("mentor", 200, 403),  # the assigned mentor reads (and reviews)
        ("coordinator", 200, 403),  # coordinators read all
        ("other_innovator", 404, 404),  # another team does not even see it
        ("other_mentor", 404, 404),
        ("foreign_coordinator", 404, 404),
    ],
)
def test_who_reads_and_who_writes(as_, world, entry, who, view, write):
    client = as_(getattr(world, who))
    assert client.get(f"/entries/{entry.id}").status_code == view
    summary = _rows(entry)[0]
    response = client.post(
        f"/entries/{entry.id}/sections/{summary.section_id}",
        data={"text": "Teks baru", "version": summary.version},
    )
    assert response.status_code in ((302,) if write == 200 else (write,))
    assert (_rows(entry)[0].text == "Teks baru") is (write == 200)


def test_opening_an_entry_prefills_from_the_innovation(as_, world, competition):
    world.innovation.summary = "Antrean daring untuk anak-anak."
    world.innovation.problem = "Antrean panjang."
    db.session.commit()
    response = as_(world.innovator).post(
        f"/innovations/{world.innovation.id}/competitions", data={"competition_id": competition.id}
    )
    assert response.status_code == 302
    entry_id = int(response.headers["Location"].rsplit("/", 1)[1])
    texts = [r.text for r in _rows(type("E", (), {"id": entry_id}))]
    assert texts == ["Antrean daring untuk anak-anak.", "Antrean panjang."]


def test_autosave_returns_the_status_and_the_checklist(as_, world, entry):
    client = as_(world.innovator)
    summary = _rows(entry)[0]
    response = client.post(
        f"/entries/{entry.id}/sections/{summary.section_id}",
        data={"text": " ".join(["kata"] * 25), "version": summary.version},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Saved at" in html
    assert (
        'id="checklist" class="card mb-3" aria-labelledby="checklist-heading" hx-swap-oob="true"'
        in html
    )
    assert 'data-item="section_too_long" data-ok="0"' in html
    assert f'id="version-{summary.id}" value="{summary.version + 1}" hx-swap-oob="true"' in html
    assert _rows(entry)[0].text == " ".join(["kata"] * 25)  # kept whole, not cut


def test_two_people_saving_the_same_section_get_a_409(as_, world, entry):
    teammate = factories.make_user(Role.INNOVATOR, programme=world.programme)
    db.session.execute(
        innovation_members.insert().values(innovation_id=world.innovation.id, user_id=teammate.id)
    )
    db.session.commit()
    summary = _rows(entry)[0]
    url = f"/entries/{entry.id}/sections/{summary.section_id}"
    first = as_(world.innovator).post(
        url, data={"text": "Versi Ani", "version": summary.version}, headers={"HX-Request": "true"}
    )
    assert first.status_code == 200
    second = as_(teammate).post(
        url, data={"text": "Versi Budi", "version": summary.version}, headers={"HX-Request": "true"}
    )
    assert second.status_code == 409
    assert "Someone else saved this section" in second.get_data(as_text=True)
    # The page keeps the old version, so the next autosave is refused too, not an overwrite.
    assert f'id="version-{summary.id}"' not in second.get_data(as_text=True)
    assert _rows(entry)[0].text == "Versi Ani"


def test_a_video_link_that_is_not_http_is_refused(as_, world, entry):
    client = as_(world.innovator)
    response = client.post(f"/entries/{entry.id}/details", data={"video_url": "ftp://x.org/v"})
    assert response.status_code == 422
    assert "starting with http:// or https://" in response.get_data(as_text=True)
    assert fresh(type(entry), entry.id).video_url == ""
    ok = client.post(f"/entries/{entry.id}/details", data={"video_url": "https://youtu.be/abc"})
    assert ok.status_code == 302
    assert fresh(type(entry), entry.id).video_url == "https://youtu.be/abc"


def test_after_the_closing_date_the_entry_is_read_only(as_, world, entry):
    summary = _rows(entry)[0]
    # 31 Dec 2026 ends at 16:00 UTC in Makassar; a minute later the entry is closed.
    with time_machine.travel("2026-12-31 16:01:00+00:00", tick=False):
        client = as_(world.innovator)
        page = client.get(f"/entries/{entry.id}").get_data(as_text=True)
        assert "This competition closed at the end of" in page
        assert "<textarea" not in page
        response = client.post(
            f"/entries/{entry.id}/sections/{summary.section_id}",
            data={"text": "Terlambat", "version": summary.version},
            headers={"HX-Request": "true"},
        )
        assert response.status_code == 409
    assert _rows(entry)[0].text != "Terlambat"


def _template_form(sections, **fields):
    data = {
        "name": "KIPP 2027",
        "year": "2027",
        "closing_date": "2027-03-31",
        "min_implementation_months": "24",
        "requires_video": "y",
        "required_kinds": "team_decree",
        **fields,
    }
    for i, (title, weight) in enumerate(sections):
        data[f"sections-{i}-title_id"] = title
        data[f"sections-{i}-title_en"] = title
        data[f"sections-{i}-weight"] = str(weight)
    return data


def test_a_weight_total_other_than_100_is_refused_with_the_sum(as_, world):
    client = as_(world.coordinator)
    before = db.session.scalar(db.select(db.func.count()).select_from(CompetitionTemplate))
    response = client.post(
        "/competitions/new",
        data=_template_form([("Ringkasan", 0), ("Signifikansi", 30), ("Lain", 45)]),
    )
    assert response.status_code == 422
    assert "The weights add up to 75%" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count()).select_from(CompetitionTemplate)) == before


def test_a_coordinator_creates_and_edits_a_template(as_, world):
    client = as_(world.coordinator)
    response = client.post(
        "/competitions/new", data=_template_form([("Ringkasan", 0), ("Signifikansi", 100)])
    )
    assert response.status_code == 302
    template_id = int(response.headers["Location"].split("/")[-2])
    db.session.expire_all()
    sections = db.session.scalars(
        db.select(CompetitionSection).where(CompetitionSection.template_id == template_id)
    ).all()
    assert [s.title_id for s in sections] == ["Ringkasan", "Signifikansi"]
    page = client.get(f"/competitions/{template_id}/edit")
    assert page.status_code == 200
    assert "Weights now: 100%" in page.get_data(as_text=True)
    assert as_(world.innovator).get(f"/competitions/{template_id}/edit").status_code == 403


def test_the_programme_chooses_and_the_table_shows_readiness(as_, world, entry, competition):
    client = as_(world.coordinator)
    page = client.get(f"/programmes/{world.programme.slug}/competitions").get_data(as_text=True)
    assert world.innovation.title in page
    assert "Decree (SK) naming the team not attached yet" in page
    response = client.post(f"/programmes/{world.programme.slug}/competitions", data={})
    assert response.status_code == 302
    # No competition chosen now: the innovation cannot open a new entry.
    other = factories.make_competition(closing_date=date(2026, 12, 31))
    db.session.commit()
    refused = as_(world.innovator).post(
        f"/innovations/{world.innovation.id}/competitions", data={"competition_id": other.id}
    )
    assert refused.status_code == 422
    assert (
        as_(world.innovator).get(f"/programmes/{world.programme.slug}/competitions").status_code
        == 403
    )


def test_next_years_round_starts_as_a_copy(as_, world, competition):
    client = as_(world.coordinator)
    response = client.post(f"/competitions/{competition.id}/copy")
    assert response.status_code == 302
    copy_id = int(response.headers["Location"].split("/")[-2])
    copy = fresh(CompetitionTemplate, copy_id)
    assert (copy.year, copy.closing_date) == (competition.year + 1, date(2027, 12, 31))
    titles = db.session.scalars(
        db.select(CompetitionSection.title_id)
        .where(CompetitionSection.template_id == copy_id)
        .order_by(CompetitionSection.position)
    ).all()
    assert titles == ["Ringkasan", "Latar Belakang"]
    assert as_(world.innovator).post(f"/competitions/{competition.id}/copy").status_code == 403


def test_the_programme_table_costs_the_same_queries_for_more_entries(
    as_, world, competition, entry, count_queries
):
    """No N+1: readiness of every entry is loaded in a fixed number of queries."""
    client = as_(world.coordinator)
    url = f"/programmes/{world.programme.slug}/competitions"
    client.get(url)
    with count_queries() as one:
        assert client.get(url).status_code == 200
    for _ in range(3):
        innovation = factories.make_innovation(world.programme, owner=world.innovator)
        factories.make_entry(innovation, competition, by=world.innovator)
    db.session.commit()
    with count_queries() as four:
        page = client.get(url)
    assert page.get_data(as_text=True).count("data-entry=") == 4
    assert len(four) == len(one)


def test_readers_see_the_markdown_rendered_and_sanitised(as_, world, entry):
    summary = _rows(entry)[0]
    summary.text = "**Antrean** turun.\n\n- satu\n- dua\n\n<script>alert(1)</script>"
    db.session.commit()
    page = as_(world.mentor).get(f"/entries/{entry.id}").get_data(as_text=True)
    assert "<strong>Antrean</strong>" in page
    assert "<li>satu</li>" in page
    assert "<script>alert(1)</script>" not in page


@pytest.mark.parametrize("value", ["99999999999999999999", str(2**31), "-1", "x"])
def test_a_document_id_no_column_can_hold_is_refused_not_a_500(as_, world, entry, value):
    """Found by the form fuzz on PostgreSQL: "integer out of range" was a 500."""
    client = as_(world.innovator)
    section = _rows(entry)[0].section_id
    linked = client.post(
        f"/entries/{entry.id}/sections/{section}/documents", data={"document_id": value}
    )
    assert linked.status_code == 302  # back to the entry, with the message
    with client.session_transaction() as session:
        assert "Choose one of this innovation's documents." in str(session["_flashes"])
    details = client.post(
        f"/entries/{entry.id}/details", data={"implementation_document_id": value}
    )
    assert details.status_code == 422
    assert fresh(type(entry), entry.id).implementation_document_id is None


def test_a_competition_id_no_column_can_hold_is_refused_not_a_500(as_, world, competition):
    client = as_(world.coordinator)
    url = f"/programmes/{world.programme.slug}/competitions"
    refused = client.post(url, data={"competitions": ["99999999999999999999", str(competition.id)]})
    assert refused.status_code == 422
    chosen = client.post(url, data={"competitions": [str(competition.id)]})
    assert chosen.status_code == 302
