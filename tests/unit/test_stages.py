"""Stage rules: order, gates, reasons, history, templates on entry, versions."""

from datetime import UTC, date, datetime

import pytest
import time_machine
from sqlalchemy import func, select

from incubator.extensions import db
from incubator.models import (
    ActivityEntry,
    InnovationState,
    Milestone,
    Stage,
    StageTransition,
    utcnow,
)
from incubator.pipeline import Conflict, DomainError, stages
from incubator.pipeline.ordering import Slot
from tests import factories

C, D, INST = Stage.CREATION, Stage.DEVELOPMENT, Stage.INSTITUTIONALISATION


def count(model, **where) -> int:
    stmt = select(func.count()).select_from(model)
    for key, value in where.items():
        stmt = stmt.where(getattr(model, key) == value)
    return db.session.scalar(stmt)


def move(world, to, reason="", **kwargs):
    innovation = kwargs.pop("innovation", world.innovation)
    return stages.move_card(
        innovation,
        actor=world.coordinator,
        to_stage=to,
        expected_version=kwargs.pop("version", innovation.version),
        reason=reason,
        **kwargs,
    )


def test_stage_order_and_allowed_targets():
    assert list(Stage) == [C, D, INST]
    assert stages.next_stage(C) == D and stages.next_stage(INST) is None
    assert stages.allowed_targets(C) == [C, D]
    assert stages.allowed_targets(D) == [C, D, INST]
    assert stages.allowed_targets(INST) == [C, D, INST]


def test_forward_with_required_milestones_done_moves_and_records_history(world):
    factories.make_milestone(world.innovation, required=True, done_at=utcnow(), progress=100)
    factories.make_milestone(world.innovation, required=False)  # optional: never blocks
    result = move(world, D)
    assert world.innovation.stage == D
    assert world.innovation.version == 2
    transition = result.transition
    assert (transition.from_stage, transition.to_stage) == (C, D)
    assert transition.actor_id == world.coordinator.id
    assert transition.gate_overridden is False
    entry = db.session.scalars(select(ActivityEntry).filter_by(verb="stage_moved")).one()
    assert entry.innovation_id == world.innovation.id
    assert entry.details["from_stage"] == "creation" and entry.details["to_stage"] == "development"


def test_forward_with_unfinished_required_milestones_is_refused_with_their_titles(world):
    factories.make_milestone(world.innovation, title="Problem statement", required=True)
    factories.make_milestone(world.innovation, title="Optional", required=False)
    with pytest.raises(stages.GateFailed) as error:
        move(world, D)
    assert "Problem statement" in str(error.value.message)
    assert "Optional" not in str(error.value.message)
    assert error.value.field == "reason"
    assert [m.title for m in error.value.unfinished] == ["Problem statement"]
    db.session.rollback()
    assert count(StageTransition) == 0


def test_required_milestones_of_another_stage_do_not_block(world):
    factories.make_milestone(world.innovation, stage=D, required=True)
    move(world, D)
    assert world.innovation.stage == D


def test_coordinator_overrides_a_gate_with_a_reason(world):
    factories.make_milestone(world.innovation, required=True)
    result = move(world, D, reason="  The regent asked to fast-track it.  ")
    assert result.transition.gate_overridden is True
    assert result.transition.reason == "The regent asked to fast-track it."
    entry = db.session.scalars(select(ActivityEntry).filter_by(verb="stage_moved")).one()
    assert entry.details["gate_overridden"] is True
    assert entry.details["reason"] == "The regent asked to fast-track it."


def test_backward_needs_a_reason(world):
    world.innovation.stage = D
    db.session.flush()
    with pytest.raises(DomainError) as error:
        move(world, C, reason="   ")
    assert error.value.field == "reason"
    db.session.rollback()
    world.innovation.stage = D
    db.session.flush()
    result = move(world, C, reason="Problem must be redefined")
    assert result.transition.reason == "Problem must be redefined"
    assert result.transition.gate_overridden is False


def test_forward_skipping_a_stage_is_refused(world):
    with pytest.raises(DomainError) as error:
        move(world, INST, reason="skip")
    assert error.value.field == "stage"


def test_unknown_stage_and_long_reason_are_bad_input(world):
    with pytest.raises(DomainError) as error:
        move(world, "launch")
    assert error.value.field == "stage"
    with pytest.raises(DomainError) as error:
        move(world, D, reason="x" * 20_000)
    assert error.value.field == "reason"
    assert world.innovation.stage == C


def test_stale_version_is_a_conflict(world):
    with pytest.raises(Conflict):
        move(world, D, version=world.innovation.version - 1)
    assert world.innovation.stage == C


def test_only_active_cards_change_stage_but_any_card_reorders(world):
    world.innovation.state = InnovationState.ON_HOLD
    other = factories.make_innovation(world.programme, state=InnovationState.ON_HOLD)
    db.session.flush()
    with pytest.raises(DomainError):
        move(world, D)
    result = move(world, C, slot=Slot(after_id=other.id))
    assert result.transition is None
    assert world.innovation.position > other.position


def test_reorder_within_the_column_writes_no_history(world):
    result = move(world, C, slot=Slot(after_id=world.other_innovation.id))
    assert result.transition is None
    assert count(StageTransition) == 0
    assert count(ActivityEntry) == 0
    assert world.innovation.position > world.other_innovation.position


def test_move_by_index_among_the_target_column(world):
    target = [factories.make_innovation(world.programme, stage=D) for _ in range(3)]
    result = move(world, D, index=1)
    assert result.slot == Slot(target[0].id, target[1].id)
    assert target[0].position < world.innovation.position < target[1].position
    with pytest.raises(DomainError) as error:
        move(world, C, reason="back", index=9)
    assert error.value.field == "position"


def test_entering_a_stage_creates_templates_due_from_the_local_entry_date(world):
    factories.make_templates(
        world.programme, D, [("Quality improvements", 45, True), ("Replication", 120, False)]
    )
    # 17:30 UTC on 1 March is already 2 March in Makassar (UTC+8), the programme's zone.
    with time_machine.travel(datetime(2026, 3, 1, 17, 30, tzinfo=UTC), tick=False):
        move(world, D)
    created = db.session.scalars(
        select(Milestone).filter_by(innovation_id=world.innovation.id).order_by(Milestone.id)
    ).all()
    assert [(m.title, m.due_date, m.required) for m in created] == [
        ("Quality improvements", date(2026, 4, 16), True),
        ("Replication", date(2026, 6, 30), False),
    ]
    assert world.innovation.stage_entered_at == datetime(2026, 3, 1, 17, 30, tzinfo=UTC)


def test_backward_and_forward_again_does_not_duplicate_template_milestones(world):
    factories.make_templates(world.programme, D, [("Quality improvements", 45, False)])
    move(world, D)
    move(world, C, reason="Back to the drawing board")
    move(world, D)
    assert count(Milestone, innovation_id=world.innovation.id) == 1
    assert count(StageTransition, innovation_id=world.innovation.id) == 3


def test_wip_limits_are_saved_and_logged(world):
    stages.set_wip_limits(
        world.programme, {"creation": 8, "development": None}, actor=world.coordinator
    )
    assert world.programme.wip_limits == {"creation": 8}
    entry = db.session.scalars(select(ActivityEntry).filter_by(verb="wip_limits_changed")).one()
    assert entry.details["after"] == {"creation": 8}
    db.session.commit()
    db.session.expire_all()
    assert world.programme.wip_limits == {"creation": 8}  # stored, read back
    # A change in place is seen too (MutableDict), no new dict needed.
    world.programme.wip_limits["development"] = 4
    db.session.commit()
    db.session.expire_all()
    assert world.programme.wip_limits == {"creation": 8, "development": 4}
    with pytest.raises(DomainError) as error:
        stages.set_wip_limits(world.programme, {"development": 0}, actor=world.coordinator)
    assert error.value.field == "development"
    with pytest.raises(DomainError):
        stages.set_wip_limits(world.programme, {"launch": 3}, actor=world.coordinator)
