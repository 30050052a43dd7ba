"""The coordinator's WIP limits form."""

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import ActivityEntry, Programme


def settings_url(world) -> str:
    return f"/programmes/{world.programme.slug}/settings/board"


def test_coordinator_sets_and_clears_limits(client, login, world):
    login(world.coordinator)
    page = client.get(settings_url(world) + "?lang=en").text
    assert "Work-in-progress limits" in page and 'name="creation"' in page
    response = client.post(settings_url(world), data={"creation": "8", "development": ""})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/programmes/{world.programme.slug}/board"
    db.session.expire_all()
    assert db.session.get(Programme, world.programme.id).wip_limits == {"creation": 8}
    assert 'value="8"' in client.get(settings_url(world)).text
    client.post(settings_url(world), data={"creation": ""})
    db.session.expire_all()
    assert db.session.get(Programme, world.programme.id).wip_limits == {}
    verbs = db.session.scalars(select(ActivityEntry.verb)).all()
    assert verbs == ["wip_limits_changed", "wip_limits_changed"]


@pytest.mark.parametrize("value", ["0", "-3", "many", "100001"])
def test_bad_limit_is_422_next_to_the_field(client, login, world, value):
    login(world.coordinator)
    response = client.post(settings_url(world) + "?lang=en", data={"development": value})
    assert response.status_code == 422
    assert 'id="development-error"' in response.text
    db.session.expire_all()
    assert db.session.get(Programme, world.programme.id).wip_limits in ({}, None)


@pytest.mark.parametrize("role", ["innovator", "mentor"])
def test_others_may_not_change_limits(client, login, world, role):
    login(getattr(world, role))
    assert client.get(settings_url(world)).status_code == 403
    assert client.post(settings_url(world), data={"creation": "3"}).status_code == 403


def test_settings_of_a_foreign_programme_are_404(client, login, world):
    login(world.coordinator)
    url = f"/programmes/{world.foreign_programme.slug}/settings/board"
    assert client.get(url).status_code == 404


def test_board_links_to_settings_for_coordinators_only(client, login, world):
    login(world.coordinator)
    assert settings_url(world) in client.get(f"/programmes/{world.programme.slug}/board").text
    client.post("/logout")
    login(world.innovator)
    assert settings_url(world) not in client.get(f"/programmes/{world.programme.slug}/board").text
