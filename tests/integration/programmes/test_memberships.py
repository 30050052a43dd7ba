"""Memberships carry the role; adding one writes the programme's event log."""

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import EventKind, ProgrammeEvent, Role
from incubator.pipeline import DomainError
from incubator.pipeline.memberships import add_member, role_in
from tests import factories


def test_add_member_records_the_role_and_an_event(world):
    person = factories.make_user()
    add_member(world.programme, person, Role.MENTOR, actor=world.coordinator)
    assert role_in(person.id, world.programme.id) == Role.MENTOR
    assert role_in(person.id, world.foreign_programme.id) is None
    event = db.session.scalars(select(ProgrammeEvent)).one()
    assert (event.kind, event.actor_id, event.subject_user_id, event.details) == (
        EventKind.MEMBER_ADDED,
        world.coordinator.id,
        person.id,
        {"role": "mentor"},
    )


@pytest.mark.parametrize(("who", "role"), [("innovator", Role.MENTOR), ("new", "boss")])
def test_add_member_refuses_a_second_membership_or_an_unknown_role(world, who, role):
    person = world.innovator if who == "innovator" else factories.make_user()
    with pytest.raises(DomainError):
        add_member(world.programme, person, role, actor=world.coordinator)
    assert db.session.scalars(select(ProgrammeEvent)).all() == []
