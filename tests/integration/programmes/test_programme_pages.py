"""Creating, editing and archiving programmes through their pages."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import (
    EventKind,
    Membership,
    MilestoneTemplate,
    Programme,
    ProgrammeEvent,
    Region,
    Role,
)
from incubator.pipeline.cohorts import DEFAULT_TEMPLATES
from tests import factories

EN = {"Accept-Language": "en"}


def _form(**overrides) -> dict:
    data = {
        "name": "Inkubasi Inovasi NTT 2027",
        "slug": "",
        "cohort_year": "2027",
        "description": "Provincial incubation programme.",
        "timezone": "Asia/Makassar",
        "starts_on": "2027-02-01",
        "ends_on": "2027-11-30",
        "region_id": "0",
        "copy_from": "0",
    }
    data.update(overrides)
    return data


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def organiser(app):
    user = factories.make_user(name="Ana Organiser", is_organiser=True)
    db.session.commit()
    return user


def test_an_organiser_without_programme_is_offered_to_create_one(client, login, organiser):
    login(organiser)
    page = client.get("/", headers=EN).text
    assert "Create a programme" in page and "Ask a coordinator" not in page
    assert "Buat program" in client.get("/?lang=id").text


def test_others_without_programme_still_wait(client, login, app):
    person = factories.make_user()
    db.session.commit()
    login(person)
    page = client.get("/", headers=EN).text
    assert "Ask a coordinator to add you" in page and "Create a programme" not in page
    assert client.get("/programmes/new").status_code == 403
    assert client.post("/programmes/new", data=_form()).status_code == 403
    assert _count(Programme) == 0


def test_an_organiser_creates_a_programme_and_becomes_its_coordinator(client, login, organiser):
    province = Region(name="Nusa Tenggara Timur", kind="province")
    db.session.add(province)
    db.session.commit()
    login(organiser)
    page = client.get("/programmes/new", headers=EN).text
    assert "Asia/Jakarta" in page and page.index("Asia/Jayapura") < page.index("Europe/Paris")
    response = client.post("/programmes/new", data=_form(region_id=str(province.id)))
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["Location"] == "/programmes/inkubasi-inovasi-ntt-2027/board"

    programme = db.session.scalars(select(Programme)).one()
    assert (programme.cohort_year, programme.starts_on, programme.region_id) == (
        2027,
        date(2027, 2, 1),
        province.id,
    )
    member = db.session.scalars(select(Membership)).one()
    assert (member.user_id, member.role, member.joined_at is not None) == (
        organiser.id,
        Role.COORDINATOR,
        True,
    )
    titles = db.session.scalars(
        select(MilestoneTemplate.title).where(MilestoneTemplate.programme_id == programme.id)
    ).all()
    assert len(titles) == sum(len(rows) for rows in DEFAULT_TEMPLATES.values())
    assert "Rumusan masalah dan data dasar" in titles
    event = db.session.scalars(select(ProgrammeEvent)).one()
    assert (event.kind, event.actor_id, event.details["name"]) == (
        EventKind.PROGRAMME_CREATED,
        organiser.id,
        "Inkubasi Inovasi NTT 2027",
    )
    board = client.get(response.headers["Location"], headers=EN)
    assert board.status_code == 200 and "Inkubasi Inovasi NTT 2027" in board.text


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"slug": "taken"}, "slug", "is taken by another programme"),
        ({"name": "Taken"}, "slug", "is taken by another programme"),
        ({"slug": "Not A Slug!"}, "slug", "Use lowercase letters"),
        ({"ends_on": "2027-01-31"}, "ends_on", "must be after the start date"),
        ({"ends_on": "2027-02-31"}, "ends_on", "real date"),
        ({"cohort_year": "20277"}, "cohort_year", "Enter a year between"),
        ({"timezone": "Mars/Olympus"}, "timezone", "Choose a time zone"),
        ({"name": ""}, "name", "Enter a name"),
        ({"region_id": "999999"}, "region_id", "Choose one of the options"),
        ({"carry_over": "y"}, "carry_over", "whose innovations move on"),
    ],
)
def test_bad_input_is_422_next_to_the_field_and_writes_nothing(
    client, login, organiser, data, field, message
):
    factories.make_programme(slug="taken")
    db.session.commit()
    login(organiser)
    response = client.post("/programmes/new", data=_form(**data), headers=EN)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.text
    assert message in response.text
    assert _count(Programme) == 1
    assert _count(ProgrammeEvent) == 0


def test_an_organiser_may_copy_only_a_programme_they_coordinate(client, login, world):
    world.innovator.is_organiser = True
    db.session.commit()
    login(world.innovator)
    data = _form(copy_from=str(world.programme.id))
    response = client.post("/programmes/new", data=data, headers=EN)
    assert response.status_code == 422 and 'id="copy_from-error"' in response.text
    assert _count(Programme) == 2


def settings_url(programme) -> str:
    return f"/programmes/{programme.slug}/settings"


def _settings(programme, **overrides) -> dict:
    data = {
        "name": programme.name,
        "slug": programme.slug,
        "cohort_year": "",
        "description": "",
        "timezone": programme.timezone,
        "starts_on": "",
        "ends_on": "",
        "region_id": "0",
    }
    data.update(overrides)
    return data


def test_a_coordinator_edits_the_settings_and_the_log_records_it(client, login, world):
    world.programme.region_id = None  # the factory's region is a regency, not offered here
    db.session.commit()
    login(world.coordinator)
    assert "Programme settings" in client.get(settings_url(world.programme), headers=EN).text
    data = _settings(world.programme, name="NTT 2027", slug="ntt-2027", timezone="Asia/Jakarta")
    response = client.post(settings_url(world.programme), data=data)
    assert response.status_code == 303
    assert response.headers["Location"] == "/programmes/ntt-2027/settings"
    db.session.expire_all()
    programme = db.session.get(Programme, world.programme.id)
    assert (programme.name, programme.slug, programme.timezone) == (
        "NTT 2027",
        "ntt-2027",
        "Asia/Jakarta",
    )
    event = db.session.scalars(select(ProgrammeEvent)).one()
    assert event.kind == EventKind.SETTINGS_CHANGED and event.actor_id == world.coordinator.id
    assert event.details["changes"]["timezone"] == {"old": "Asia/Makassar", "new": "Asia/Jakarta"}
    assert set(event.details["changes"]) == {"name", "slug", "timezone"}


def test_a_slug_taken_by_another_programme_is_refused_on_edit(client, login, world):
    login(world.coordinator)
    data = _settings(world.programme, slug=world.foreign_programme.slug)
    response = client.post(settings_url(world.programme), data=data, headers=EN)
    assert response.status_code == 422
    assert "is taken by another programme" in response.text
    db.session.expire_all()
    assert db.session.get(Programme, world.programme.id).slug != world.foreign_programme.slug
    assert _count(ProgrammeEvent) == 0


@pytest.mark.parametrize("role", ["innovator", "mentor"])
def test_innovators_and_mentors_may_not_open_settings(client, login, world, role):
    login(getattr(world, role))
    url = settings_url(world.programme)
    assert client.get(url).status_code == 403
    assert client.post(url, data=_settings(world.programme, name="X")).status_code == 403
    assert client.post(f"/programmes/{world.programme.slug}/archive").status_code == 403
    db.session.expire_all()
    assert db.session.get(Programme, world.programme.id).name != "X"


def test_a_coordinator_of_another_programme_gets_404(client, login, world):
    login(world.foreign_coordinator)
    url = settings_url(world.programme)
    assert client.get(url).status_code == 404
    assert client.post(url, data=_settings(world.programme, name="X")).status_code == 404
    assert client.post(f"/programmes/{world.programme.slug}/archive").status_code == 404


def test_an_archived_programme_is_read_only_and_hidden_until_asked(client, login, world):
    login(world.coordinator)
    slug = world.programme.slug
    assert client.post(f"/programmes/{slug}/archive").status_code == 303
    db.session.expire_all()
    assert db.session.get(Programme, world.programme.id).archived

    assert client.get(f"/programmes/{slug}/board").status_code == 200  # still readable
    move = client.post(
        f"/programmes/{slug}/cards/{world.innovation.id}/move",
        data={"stage": "development", "version": 1},
        headers=EN,
    )
    assert move.status_code == 409 and "archived" in move.text
    edit = client.post(settings_url(world.programme), data=_settings(world.programme, name="X"))
    assert edit.status_code == 409
    assert client.get(f"/programmes/{slug}/settings/board").status_code == 409

    listing = client.get("/programmes", headers=EN).text
    assert world.programme.name not in listing and "Show archived programmes (1)" in listing
    assert world.programme.name in client.get("/programmes?archived=1").text
    assert client.get("/").status_code == 200  # no longer the programme home lands on

    restore = client.post(f"/programmes/{slug}/archive", data={"restore": "1"})
    assert restore.status_code == 303
    db.session.expire_all()
    assert not db.session.get(Programme, world.programme.id).archived
    kinds = db.session.scalars(select(ProgrammeEvent.kind).order_by(ProgrammeEvent.id)).all()
    assert kinds == [EventKind.PROGRAMME_ARCHIVED, EventKind.PROGRAMME_RESTORED]


def test_the_switcher_lists_my_open_programmes_by_name_and_marks_this_one(client, login, world):
    zeta = factories.make_programme(name="Zeta Inkubasi", slug="zeta")
    alpha = factories.make_programme(name="Alpha Inkubasi", slug="alpha")
    closed = factories.make_programme(name="Beta Inkubasi", slug="beta", archived=True)
    for programme in (zeta, alpha, closed):
        factories.add_member(programme, world.coordinator, Role.COORDINATOR)
    db.session.commit()
    login(world.coordinator)

    def switcher(slug: str) -> list[tuple[str, str, bool]]:
        page = client.get(f"/programmes/{slug}/board", headers=EN).text
        select_ = re.search(r'<select id="programme-switcher".*?</select>', page, re.S).group()
        options = re.findall(r'<option value="([^"]*)" ?(selected)?>([^<]*)</option>', select_)
        return [(value, text, bool(selected)) for value, selected, text in options]

    mine = [("alpha", "Alpha Inkubasi"), ("zeta", "Zeta Inkubasi")]
    mine = sorted([*mine, (world.programme.slug, world.programme.name)], key=lambda o: o[1])
    assert switcher("zeta") == [(slug, name, slug == "zeta") for slug, name in mine]
    # An archived programme is offered only while it is the one shown.
    assert switcher("beta") == [("beta", "Beta Inkubasi (archived)", True)] + [
        (slug, name, False) for slug, name in mine
    ]
