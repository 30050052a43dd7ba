"""Programme settings: milestone templates per stage, for coordinators only."""

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import ActivityEntry, Milestone, MilestoneTemplate
from tests import factories
from tests.integration.innovations.conftest import count, fresh


def url(programme, suffix=""):
    return f"/programmes/{programme.slug}/settings/templates{suffix}"


def template_form(**overrides):
    data = {
        "stage": "development",
        "title": "Replication plan",
        "description": "Which units copy it next.",
        "offset_days": "45",
        "required": "y",
    }
    data.update(overrides)
    return data


def test_coordinator_adds_edits_and_deletes_templates(client, world, as_, templates):
    as_(world.coordinator)
    page = client.get(url(world.programme))
    assert page.status_code == 200
    assert "Problem statement" in page.text and "Dissemination plan" in page.text

    assert client.post(url(world.programme), data=template_form()).status_code == 302
    added = db.session.scalars(
        select(MilestoneTemplate).where(MilestoneTemplate.title == "Replication plan")
    ).one()
    assert (added.stage, added.offset_days, added.required, added.position) == (
        "development",
        45,
        True,
        1,
    )

    edit_url = url(world.programme, f"/{added.id}/edit")
    assert client.get(edit_url).status_code == 200
    response = client.post(edit_url, data=template_form(title="Replicate twice", offset_days="60"))
    assert response.status_code == 302
    edited = fresh(MilestoneTemplate, added.id)
    assert (edited.title, edited.offset_days) == ("Replicate twice", 60)

    assert client.post(url(world.programme, f"/{added.id}/delete")).status_code == 302
    assert fresh(MilestoneTemplate, added.id) is None
    verbs = list(
        db.session.scalars(
            select(ActivityEntry.verb)
            .where(ActivityEntry.programme_id == world.programme.id)
            .order_by(ActivityEntry.id)
        )
    )
    assert verbs == ["template_added", "template_edited", "template_deleted"]


def test_deleting_a_template_keeps_its_milestones(client, world, as_, templates):
    milestone = factories.make_milestone(
        world.innovation, title=templates[0].title, template_id=templates[0].id
    )
    db.session.commit()
    as_(world.coordinator)
    client.post(url(world.programme, f"/{templates[0].id}/delete"))
    kept = fresh(Milestone, milestone.id)
    assert kept is not None and kept.template_id is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"offset_days": "-1"}, "offset_days"),
        ({"offset_days": "abc"}, "offset_days"),
        ({"offset_days": "3651"}, "offset_days"),
        ({"title": ""}, "title"),
        ({"title": "t" * 201}, "title"),
        ({"description": "d" * 2001}, "description"),
        ({"stage": "launch"}, "stage"),
    ],
)
def test_bad_template_input(client, world, as_, templates, overrides, field):
    before = count(MilestoneTemplate)
    as_(world.coordinator)
    response = client.post(url(world.programme), data=template_form(**overrides))
    assert response.status_code == 422 and f'id="{field}-error"' in response.text
    assert count(MilestoneTemplate) == before

    response = client.post(
        url(world.programme, f"/{templates[0].id}/edit"), data=template_form(**overrides)
    )
    assert response.status_code == 422
    assert fresh(MilestoneTemplate, templates[0].id).title == "Problem statement"


@pytest.mark.parametrize("role", ["innovator", "mentor"])
def test_only_coordinators_manage_templates(client, world, as_, templates, role):
    as_(getattr(world, role))
    assert client.get(url(world.programme)).status_code == 403
    assert client.post(url(world.programme), data=template_form()).status_code == 403
    template_id = templates[0].id
    assert (
        client.post(url(world.programme, f"/{template_id}/edit"), data=template_form()).status_code
        == 403
    )
    assert client.post(url(world.programme, f"/{template_id}/delete")).status_code == 403
    assert fresh(MilestoneTemplate, template_id) is not None


def test_templates_of_other_programmes_are_not_found(client, world, as_, templates):
    foreign_template = MilestoneTemplate(
        programme_id=world.foreign_programme.id, stage="creation", title="Theirs"
    )
    db.session.add(foreign_template)
    db.session.commit()
    as_(world.coordinator)
    assert client.get(url(world.foreign_programme)).status_code == 404
    # Their template through our programme's address: unknown here.
    mixed = url(world.programme, f"/{foreign_template.id}/edit")
    assert client.get(mixed).status_code == 404
    assert client.post(url(world.programme, f"/{foreign_template.id}/delete")).status_code == 404
    assert client.get(url(world.programme, "/999999/edit")).status_code == 404
    assert fresh(MilestoneTemplate, foreign_template.id) is not None
