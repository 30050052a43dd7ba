"""Stage rules: the order of stages, the gate between them, and moving a card.

DESIGN section 2: a forward move needs every required milestone of the current
stage done, unless a coordinator overrides with a reason; a backward move
always needs a reason. Every stage change is a StageTransition and an activity
entry, and entering a stage creates the programme's milestone templates for it.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from .. import labels
from ..extensions import db
from ..models import (
    EventKind,
    Innovation,
    InnovationState,
    Milestone,
    Programme,
    Stage,
    StageTransition,
    User,
    utcnow,
)
from ..translating import lazy_gettext as _l
from . import Conflict, DomainError, activity, milestones, ordering
from .events import record_event
from .zones import programme_today

REASON_MAX = 2000
WIP_LIMIT_MAX = 10_000

STALE_MESSAGE = _l(
    "This card changed since the board was drawn (someone else moved or edited it). "
    "The board now shows the current state."
)


class GateFailed(DomainError):
    """A forward move with unfinished required milestones and no reason to override."""

    def __init__(self, message, unfinished: list[Milestone]):
        super().__init__(message, field="reason")
        self.unfinished = unfinished


def parse_stage(key: str | None) -> Stage:
    try:
        return Stage(key or "")
    except ValueError:
        raise DomainError(_l("Choose one of the programme's stages."), field="stage") from None


def next_stage(stage: Stage) -> Stage | None:
    order = list(Stage)
    return order[stage.index + 1] if stage.index + 1 < len(order) else None


def allowed_targets(stage: Stage) -> list[Stage]:
    """Stages a card may move to from `stage`: any earlier one, itself, the next one."""
    following = next_stage(stage)
    return [s for s in Stage if s.index <= stage.index or s == following]


def unfinished_required(innovation_id: int, stage: str) -> list[Milestone]:
    return list(
        db.session.scalars(
            select(Milestone)
            .where(
                Milestone.innovation_id == innovation_id,
                Milestone.stage == stage,
                Milestone.required.is_(True),
                Milestone.done_at.is_(None),
            )
            .order_by(Milestone.due_date, Milestone.id)
        )
    )


def gate_message(stage: Stage, unfinished: list[Milestone]):
    return _l(
        "These required milestones of %(stage)s are not done: %(titles)s. "
        "Give a reason to move the card anyway.",
        stage=labels.STAGE_LABELS[stage],
        titles=", ".join(m.title for m in unfinished),
    )


def check_reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise DomainError(
            _l("Keep the reason under %(max)d characters.", max=REASON_MAX), field="reason"
        )
    return reason


@dataclass(frozen=True)
class MoveResult:
    innovation: Innovation
    from_stage: Stage
    to_stage: Stage
    slot: ordering.Slot
    transition: StageTransition | None  # None for a reorder within the column


def move_card(
    innovation: Innovation,
    *,
    actor: User,
    to_stage: str,
    expected_version: int,
    slot: ordering.Slot | None = None,
    index: int | None = None,
    reason: str | None = "",
    now: datetime | None = None,
) -> MoveResult:
    """Move a card to `to_stage` (or reorder it within its column) at `slot`, or at the
    0-based `index` among the target column's cards of the same state.

    Raises DomainError (bad input or a rule), GateFailed, Conflict (stale version or
    neighbours). The caller has checked that `actor` may move cards.
    """
    target = parse_stage(to_stage)
    reason = check_reason(reason)
    if expected_version != innovation.version:
        raise Conflict(STALE_MESSAGE)
    source = innovation.stage_enum
    programme = db.session.get(Programme, innovation.programme_id)
    if index is not None:
        slot = ordering.slot_at_index(
            programme.id, target, innovation.state, index, exclude_id=innovation.id
        )
    slot = slot or ordering.Slot()
    overridden = target != source and _check_stage_change(innovation, source, target, reason)
    now = now or utcnow()
    _place(
        innovation, target, ordering.position_for(programme.id, target, slot, innovation.id), now
    )
    if target == source:
        return MoveResult(innovation, source, target, slot, None)
    transition = _record_stage_change(
        innovation, programme, actor, source, target, reason, overridden, now
    )
    return MoveResult(innovation, source, target, slot, transition)


def _place(innovation: Innovation, target: Stage, position: int, now: datetime) -> None:
    """Write the card's new place; a concurrent move of the same card is a Conflict."""
    innovation.position = position
    if target != innovation.stage_enum:
        innovation.stage = target
        innovation.stage_entered_at = now
    try:
        # The version check happens here: a concurrent writer already bumped it.
        db.session.flush()
    except StaleDataError as error:
        raise Conflict(STALE_MESSAGE) from error


def _record_stage_change(
    innovation, programme, actor, source, target, reason, overridden, now
) -> StageTransition:
    """The transition, its timeline entry, and the new stage's template milestones."""
    transition = StageTransition(
        innovation_id=innovation.id,
        from_stage=source,
        to_stage=target,
        actor_id=actor.id,
        reason=reason,
        gate_overridden=overridden,
        created_at=now,
    )
    db.session.add(transition)
    activity.record(
        "stage_moved",
        actor=actor,
        programme_id=programme.id,
        innovation_id=innovation.id,
        from_stage=str(source),
        to_stage=str(target),
        reason=reason,
        gate_overridden=overridden,
    )
    if overridden:
        # Also in the programme's event log, which coordinators read for decisions.
        record_event(
            programme.id,
            EventKind.GATE_OVERRIDDEN,
            actor=actor,
            innovation_id=innovation.id,
            title=innovation.title,
            from_stage=str(source),
            to_stage=str(target),
            reason=reason,
        )
    milestones.create_from_templates(innovation, target, programme_today(programme, now))
    db.session.flush()
    return transition


def _check_stage_change(innovation: Innovation, source: Stage, target: Stage, reason: str) -> bool:
    """Refuses a move the rules forbid; True when a forward gate is overridden."""
    if innovation.state != InnovationState.ACTIVE:
        raise DomainError(_l("Only active innovations move between stages."), field="stage")
    if target.index > source.index + 1:
        raise DomainError(_l("Move a card forward one stage at a time."), field="stage")
    if target.index < source.index:
        if not reason:
            raise DomainError(_l("Moving a card back needs a reason."), field="reason")
        return False
    unfinished = unfinished_required(innovation.id, source)
    if unfinished and not reason:
        raise GateFailed(gate_message(source, unfinished), unfinished)
    return bool(unfinished)


def set_wip_limits(programme: Programme, limits: dict[str, int | None], *, actor: User) -> None:
    """Per-column soft limits; a missing or empty limit means none."""
    cleaned: dict[str, int] = {}
    for key, value in limits.items():
        stage = parse_stage(key)
        if value is None:
            continue
        if not 1 <= value <= WIP_LIMIT_MAX:
            raise DomainError(
                _l("Use a number between 1 and %(max)d.", max=WIP_LIMIT_MAX), field=str(stage)
            )
        cleaned[str(stage)] = value
    previous = dict(programme.wip_limits)
    programme.wip_limits.clear()
    programme.wip_limits.update(cleaned)
    activity.record(
        "wip_limits_changed",
        actor=actor,
        programme_id=programme.id,
        before=previous,
        after=cleaned,
    )
    db.session.flush()
