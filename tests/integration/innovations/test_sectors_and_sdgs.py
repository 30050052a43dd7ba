"""SPM sector and SDG goals: edited on the innovation, shown on it, filters on the board."""

from incubator.extensions import db
from incubator.models import Innovation, sdg_goals
from tests.integration.innovations.conftest import fresh
from tests.integration.innovations.test_profile import edit_form


def test_the_team_sets_the_sector_and_the_goals(client, world, as_):
    innovation = world.innovation
    as_(world.innovator)
    page = client.get(f"/innovations/{innovation.id}/edit").text
    assert "SPM sector" in page and "SDG 17: Partnerships for the goals" in page
    response = client.post(
        f"/innovations/{innovation.id}/edit",
        data=edit_form(innovation, spm_sector="health", sdgs=["3", "16"]),
    )
    assert response.status_code == 302
    assert fresh(Innovation, innovation.id).spm_sector == "health"
    assert sdg_goals(innovation.id) == [3, 16]
    overview = client.get(f"/innovations/{innovation.id}").text
    assert "Health" in overview and "SDG 3: Good health and well-being" in overview
    # Taking every goal away is a change too.
    innovation = fresh(Innovation, innovation.id)
    client.post(
        f"/innovations/{innovation.id}/edit", data=edit_form(innovation, spm_sector="health")
    )
    assert sdg_goals(innovation.id) == []


def test_bad_sector_or_goal_is_refused_and_nothing_saved(client, world, as_):
    innovation = world.innovation
    as_(world.innovator)
    for field, value in (("spm_sector", "mining"), ("sdgs", ["18"]), ("sdgs", ["x"])):
        response = client.post(
            f"/innovations/{innovation.id}/edit", data=edit_form(innovation, **{field: value})
        )
        assert response.status_code == 422
        assert f'id="{field}-error"' in response.text
    assert fresh(Innovation, innovation.id).spm_sector is None
    assert sdg_goals(innovation.id) == []


def test_the_board_filters_by_sector_and_goal(client, world, as_):
    world.innovation.spm_sector = "education"
    world.other_innovation.spm_sector = "health"
    db.session.execute(
        db.text("INSERT INTO innovation_sdgs (innovation_id, goal) VALUES (:i, 4)"),
        {"i": world.innovation.id},
    )
    db.session.commit()
    as_(world.coordinator)
    board = f"/programmes/{world.programme.slug}/board"
    health = client.get(board + "?sector=health").text
    assert world.other_innovation.title in health and world.innovation.title not in health
    goal = client.get(board + "?sdg=4").text
    assert world.innovation.title in goal and world.other_innovation.title not in goal
    for bad in ("?sector=mining", "?sdg=18", "?sdg=four"):
        response = client.get(board + bad)
        assert response.status_code == 400
        assert "filter-sector-error" in response.text or "filter-sdg-error" in response.text
