"""A new cohort: copying an earlier programme's settings and carrying innovations over."""

import pytest
from sqlalchemy import select

from incubator.extensions import db
from incubator.models import (
    ActivityEntry,
    EventKind,
    Innovation,
    InnovationState,
    Membership,
    MilestoneTemplate,
    ProgrammeEvent,
    Region,
    ReminderRule,
    Role,
    StageTransition,
)
from incubator.pipeline import DomainError, NotAllowed
from incubator.pipeline.agencies import participant_ids, set_participants
from incubator.pipeline.programmes import ProgrammeSettings, create_programme
from incubator.pipeline.zones import programme_today
from tests import factories


def _members(programme) -> dict[int, str]:
    return dict(
        db.session.execute(
            select(Membership.user_id, Membership.role).where(
                Membership.programme_id == programme.id
            )
        ).all()
    )


@pytest.fixture
def old(world):
    """The world's programme as last year's cohort: templates, a rule, WIP limits."""
    world.coordinator.is_organiser = True
    factories.make_templates(world.programme, "creation", [("Baseline", 10, True)])
    db.session.add(ReminderRule(programme_id=world.programme.id, kind="due_7", offset_days=5))
    world.programme.wip_limits = {"creation": 4}
    db.session.add(
        StageTransition(innovation_id=world.innovation.id, from_stage=None, to_stage="creation")
    )
    world.other_innovation.state = InnovationState.DROPPED
    db.session.flush()
    return world


def test_copy_brings_templates_rules_limits_and_mentors(old):
    new = create_programme(
        ProgrammeSettings(name="NTT 2027"), actor=old.coordinator, copy_from=old.programme
    )
    assert new.slug == "ntt-2027" and new.wip_limits == {"creation": 4}
    titles = db.session.scalars(
        select(MilestoneTemplate.title).where(MilestoneTemplate.programme_id == new.id)
    ).all()
    assert titles == ["Baseline"]
    rule = db.session.scalars(select(ReminderRule).where(ReminderRule.programme_id == new.id)).one()
    assert (rule.kind, rule.offset_days) == ("due_7", 5)
    assert rule.started_on == programme_today(new)  # a new programme: reminders start quietly
    assert _members(new) == {
        old.coordinator.id: Role.COORDINATOR,
        old.mentor.id: Role.MENTOR,
        old.other_mentor.id: Role.MENTOR,
    }
    # Nothing moved without carry_over.
    assert old.innovation.programme_id == old.programme.id


def test_copy_brings_the_participating_agencies(old):
    province = Region(name="Nusa Tenggara Timur", kind="province", code="53")
    db.session.add(province)
    db.session.flush()
    old.programme.region_id = province.id
    belu = factories.make_agency(province.id, "Dinas Kesehatan Belu")
    taking_part = participant_ids(old.programme.id) | {belu.id}
    set_participants(old.programme, taking_part, actor=None)
    new = create_programme(
        ProgrammeSettings(name="NTT 2028", region_id=province.id),
        actor=old.coordinator,
        copy_from=old.programme,
    )
    assert participant_ids(new.id) == taking_part
    elsewhere = create_programme(
        ProgrammeSettings(name="NTT 2029"), actor=old.coordinator, copy_from=old.programme
    )
    assert participant_ids(elsewhere.id) == set()  # another (or no) province: none to copy


def test_carry_over_moves_unfinished_innovations_with_their_history(old):
    new = create_programme(
        ProgrammeSettings(name="NTT 2027"),
        actor=old.coordinator,
        copy_from=old.programme,
        carry_over=True,
    )
    db.session.expire_all()
    moved = db.session.get(Innovation, old.innovation.id)
    stayed = db.session.get(Innovation, old.other_innovation.id)
    assert moved.programme_id == new.id and stayed.programme_id == old.programme.id
    assert db.session.scalars(
        select(StageTransition.innovation_id).where(StageTransition.innovation_id == moved.id)
    ).all() == [moved.id]
    assert _members(new)[old.innovator.id] == Role.INNOVATOR
    assert old.other_innovator.id not in _members(new)
    entry = db.session.scalars(
        select(ActivityEntry).where(ActivityEntry.verb == "carried_over")
    ).one()
    assert entry.innovation_id == moved.id and entry.programme_id == new.id
    logged = db.session.execute(
        select(ProgrammeEvent.programme_id, ProgrammeEvent.details).where(
            ProgrammeEvent.kind == EventKind.INNOVATIONS_CARRIED_OVER
        )
    ).all()
    assert {programme_id for programme_id, _ in logged} == {new.id, old.programme.id}
    assert all(details["innovation_ids"] == [moved.id] for _, details in logged)


def test_only_organisers_create_and_only_from_their_own_programmes(old):
    with pytest.raises(NotAllowed):
        create_programme(ProgrammeSettings(name="X"), actor=old.innovator)
    with pytest.raises(DomainError):
        create_programme(
            ProgrammeSettings(name="X"), actor=old.coordinator, copy_from=old.foreign_programme
        )
