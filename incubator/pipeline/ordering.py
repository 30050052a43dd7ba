"""Card order within a column: integer positions with gaps.

A move writes one row: the moved card takes a position between its new
neighbours. Only when two neighbours leave no gap is the column renumbered
(one UPDATE statement), which happens about once every log2(GAP) moves into
the same spot. Order is (position, id), so equal positions still sort stably.
"""

import operator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, update

from ..extensions import db
from ..models import Innovation
from . import Conflict, DomainError

GAP = 1024


@dataclass(frozen=True)
class Slot:
    """Where a card goes: right after `after_id`, right before `before_id`.

    Neither set means the bottom of the column. Both come from what the user saw,
    so cards hidden by a filter may sit between them; that is fine.
    """

    after_id: int | None = None
    before_id: int | None = None


def _in_column(programme_id: int, stage: str):
    return and_(Innovation.programme_id == programme_id, Innovation.stage == stage)


def position_at_end(programme_id: int, stage: str) -> int:
    """A position after every card in the column (new cards go to the bottom)."""
    last = db.session.scalar(
        select(func.max(Innovation.position)).where(_in_column(programme_id, stage))
    )
    return (last or 0) + GAP


def _shown_in_column(programme_id: int, stage: str, state: str, exclude_id: int):
    """The cards of `state` the board shows in the column, the moving card left out."""
    return and_(
        _in_column(programme_id, stage),
        Innovation.state == state,
        Innovation.id != exclude_id,
        Innovation.is_proposal.is_(False),
    )


def count_in_column(programme_id: int, stage: str, state: str, exclude_id: int) -> int:
    return db.session.scalar(
        select(func.count(Innovation.id)).where(
            _shown_in_column(programme_id, stage, state, exclude_id)
        )
    )


def slot_at_index(programme_id: int, stage: str, state: str, index: int, exclude_id: int) -> Slot:
    """The slot at 0-based `index` among the column's cards of `state` (as the board shows
    them), the moving card left out. Reads at most two rows; the column is counted only to
    say which positions exist when `index` is past its end."""
    ids = []
    if index >= 0:
        ids = list(
            db.session.scalars(
                select(Innovation.id)
                .where(_shown_in_column(programme_id, stage, state, exclude_id))
                .order_by(Innovation.position, Innovation.id)
                .offset(max(index - 1, 0))
                .limit(2)
            )
        )
    if index < 0 or (index > 0 and not ids):
        count = count_in_column(programme_id, stage, state, exclude_id)
        raise DomainError(
            _l("Choose a position between 1 and %(max)d.", max=count + 1), field="position"
        )
    if index == 0:
        return Slot(after_id=None, before_id=ids[0] if ids else None)
    return Slot(after_id=ids[0], before_id=ids[1] if len(ids) > 1 else None)


def _key(programme_id: int, card_id: int | None) -> tuple[int, int, str] | None:
    """(position, id, stage) of a neighbour, checked to be a card of this programme."""
    if card_id is None:
        return None
    row = db.session.execute(
        select(Innovation.position, Innovation.id, Innovation.stage).where(
            Innovation.id == card_id, Innovation.programme_id == programme_id
        )
    ).first()
    if row is None:
        raise DomainError(_l("The neighbouring card does not exist."), field="position")
    return row.position, row.id, row.stage


def _neighbour_position(programme_id, stage, key, exclude_id, *, later: bool) -> int | None:
    """Position of the nearest card after (`later`) or before `key` in (position, id) order."""
    position, card_id = key
    beyond = operator.gt if later else operator.lt
    order = (Innovation.position, Innovation.id)
    if not later:
        order = (Innovation.position.desc(), Innovation.id.desc())
    return db.session.scalar(
        select(Innovation.position)
        .where(
            _in_column(programme_id, stage),
            Innovation.id != exclude_id,
            or_(
                beyond(Innovation.position, position),
                and_(Innovation.position == position, beyond(Innovation.id, card_id)),
            ),
        )
        .order_by(*order)
        .limit(1)
    )


def _bounds(programme_id, stage, after, before, exclude_id) -> tuple[int, int]:
    """Open interval (low, high) the new position must fall in."""
    if after and before:
        return after[0], before[0]
    if after:
        following = _neighbour_position(programme_id, stage, after[:2], exclude_id, later=True)
        return after[0], following if following is not None else after[0] + 2 * GAP
    if before:
        preceding = _neighbour_position(programme_id, stage, before[:2], exclude_id, later=False)
        return preceding if preceding is not None else before[0] - 2 * GAP, before[0]
    end = position_at_end(programme_id, stage)
    return end - GAP, end + GAP


def position_for(programme_id: int, stage: str, slot: Slot, moving_id: int) -> int:
    """A free position for the moving card in `slot` of the column `stage`.

    Raises DomainError for a neighbour that is not a card of the programme (or is
    the moving card), Conflict when the neighbours no longer match what the user
    saw (one left the column, or they are in the other order).
    """
    if moving_id in (slot.after_id, slot.before_id):
        raise DomainError(_l("A card cannot be placed next to itself."), field="position")
    after = _key(programme_id, slot.after_id)
    before = _key(programme_id, slot.before_id)
    for neighbour in (after, before):
        if neighbour is not None and neighbour[2] != stage:
            raise Conflict(_l("The cards around the new place have moved."))
    if after and before and after[:2] >= before[:2]:
        raise Conflict(_l("The cards around the new place have moved."))
    low, high = _bounds(programme_id, stage, after, before, moving_id)
    if high - low < 2:
        renumber(programme_id, stage, exclude_id=moving_id)
        after = _key(programme_id, slot.after_id)
        before = _key(programme_id, slot.before_id)
        low, high = _bounds(programme_id, stage, after, before, moving_id)
    return (low + high) // 2


def renumber(programme_id: int, stage: str, *, exclude_id: int | None = None) -> None:
    """Spread the column's cards GAP apart, keeping their order, in one statement.

    A core UPDATE on purpose: it does not bump the cards' versions, because their
    order (all a user sees of it) does not change.
    """
    conditions = [_in_column(programme_id, stage)]
    if exclude_id is not None:
        conditions.append(Innovation.id != exclude_id)
    ranked = (
        select(
            Innovation.id.label("card_id"),
            func.row_number().over(order_by=(Innovation.position, Innovation.id)).label("rank"),
        )
        .where(*conditions)
        .subquery()
    )
    table = Innovation.__table__
    db.session.execute(
        update(table)
        .where(table.c.id == ranked.c.card_id)
        .values(position=ranked.c.rank * GAP)
        .execution_options(synchronize_session=False)
    )
    # Loaded cards of this column now hold stale positions; reload them on access.
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Innovation) and obj.id != exclude_id:
            db.session.expire(obj, ["position"])
