"""Card order within a column: integer positions with gaps.

A move writes one row: the moved card takes a position between its new
neighbours. Only when two neighbours leave no gap is the column renumbered
(one UPDATE statement), which happens about once every log2(GAP) moves into
the same spot. Order is (position, id), so equal positions still sort stably.
"""

import operator
from dataclasses import dataclass, field
from functools import cache

from sqlalchemy import Integer, and_, bindparam, func, or_, select, union_all, update

from ..extensions import db
from ..models import Innovation, InnovationState
from ..translating import lazy_gettext as _l
from . import Conflict, DomainError

GAP = 1024

# (position, id, stage) of a neighbouring card, as read in this transaction.
Key = tuple[int, int, str]


@dataclass(frozen=True)
class Slot:
    """Where a card goes: right after `after_id`, right before `before_id`.

    Neither set means the bottom of the column. Both come from what the user saw,
    so cards hidden by a filter may sit between them; that is fine.
    """

    after_id: int | None = None
    before_id: int | None = None
    # The neighbours' keys when slot_at_index has just read them, so that position_for
    # does not read them again; not part of what the slot is.
    after_key: Key | None = field(default=None, compare=False, repr=False)
    before_key: Key | None = field(default=None, compare=False, repr=False)


def _in_column(programme_id, stage):
    return and_(Innovation.programme_id == programme_id, Innovation.stage == stage)


def _shown_in_column(programme_id, stage, state, exclude_id):
    """The cards of `state` the board shows in the column, the moving card left out."""
    return and_(
        _in_column(programme_id, stage),
        Innovation.state == state,
        Innovation.id != exclude_id,
        Innovation.is_proposal.is_(False),
    )


# The queries of every move, built once with parameters (building one cost about as much
# as running it).
_PROGRAMME, _STAGE = bindparam("programme_id"), bindparam("stage")
_STATE, _MOVING = bindparam("state"), bindparam("moving_id")


def _over_states(aggregate, *conditions):
    """SELECT aggregate(position) over the column's cards (of every state) that meet the
    conditions, as the aggregate of each state's own: each of those is one step along the
    board index (programme, state, stage, position), where one min() or max() over the
    column read all of it (the whole table, on PostgreSQL)."""
    each = union_all(
        *(
            select(aggregate(Innovation.position).label("position")).where(
                Innovation.programme_id == _PROGRAMME,
                Innovation.state == state.value,
                Innovation.stage == _STAGE,
                *conditions,
            )
            for state in InnovationState
        )
    ).subquery()
    return select(aggregate(each.c.position))


@cache
def _last_position_statement():
    return _over_states(func.max)


@cache
def _slot_statement():
    return (
        select(Innovation.position, Innovation.id, Innovation.stage)
        .where(_shown_in_column(_PROGRAMME, _STAGE, _STATE, _MOVING))
        .order_by(Innovation.position, Innovation.id)
        .offset(bindparam("skip", type_=Integer))
        .limit(2)
    )


@cache
def _keys_statement():
    return select(Innovation.position, Innovation.id, Innovation.stage).where(
        Innovation.id.in_(bindparam("ids", expanding=True)),
        Innovation.programme_id == _PROGRAMME,
    )


@cache
def _neighbour_statement(later: bool):
    """The position of the nearest card after (`later`) or before the key (position, id)
    in the column: the least of the positions after it, or the greatest before it."""
    position, card_id = bindparam("position"), bindparam("card_id")
    beyond, reaching = (operator.gt, operator.ge) if later else (operator.lt, operator.le)
    return _over_states(
        func.min if later else func.max,
        Innovation.id != _MOVING,
        reaching(Innovation.position, position),  # where the index range starts
        or_(
            beyond(Innovation.position, position),
            and_(Innovation.position == position, beyond(Innovation.id, card_id)),
        ),
    )


def position_at_end(programme_id: int, stage: str) -> int:
    """A position after every card in the column (new cards go to the bottom)."""
    params = {"programme_id": programme_id, "stage": stage}
    last = db.session.scalar(_last_position_statement(), params)
    return (last or 0) + GAP


def count_in_column(programme_id: int, stage: str, state: str, exclude_id: int) -> int:
    return db.session.scalar(
        select(func.count(Innovation.id)).where(
            _shown_in_column(programme_id, stage, state, exclude_id)
        )
    )


def slot_at_index(programme_id: int, stage: str, state: str, index: int, exclude_id: int) -> Slot:
    """The slot at 0-based `index` among the column's cards of `state` (as the board shows
    them), the moving card left out, with its neighbours' keys. Reads at most two rows; the
    column is counted only to say which positions exist when `index` is past its end."""
    keys: list[Key] = []
    if index >= 0:
        params = {
            "programme_id": programme_id,
            "stage": stage,
            "state": state,
            "moving_id": exclude_id,
            "skip": max(index - 1, 0),
        }
        keys = [tuple(row) for row in db.session.execute(_slot_statement(), params)]
    if index < 0 or (index > 0 and not keys):
        count = count_in_column(programme_id, stage, state, exclude_id)
        raise DomainError(
            _l("Choose a position between 1 and %(max)d.", max=count + 1), field="position"
        )
    if index == 0:
        after, before = None, (keys[0] if keys else None)
    else:
        after, before = keys[0], (keys[1] if len(keys) > 1 else None)
    return Slot(
        after_id=after[1] if after else None,
        before_id=before[1] if before else None,
        after_key=after,
        before_key=before,
    )


def _keys(programme_id: int, slot: Slot) -> tuple[Key | None, Key | None]:
    """The slot's neighbours' keys (read in one statement unless the slot carries them),
    checked to be cards of this programme."""
    wanted = [
        card_id
        for card_id, known in ((slot.after_id, slot.after_key), (slot.before_id, slot.before_key))
        if card_id is not None and known is None
    ]
    found: dict[int, Key] = {}
    if wanted:
        params = {"ids": wanted, "programme_id": programme_id}
        found = {row.id: tuple(row) for row in db.session.execute(_keys_statement(), params)}
        if len(found) < len(set(wanted)):
            raise DomainError(_l("The neighbouring card does not exist."), field="position")
    after = slot.after_key or found.get(slot.after_id)
    before = slot.before_key or found.get(slot.before_id)
    return after, before


def _neighbour_position(programme_id, stage, key, exclude_id, *, later: bool) -> int | None:
    """Position of the nearest card after (`later`) or before `key` in (position, id) order."""
    position, card_id = key
    params = {
        "programme_id": programme_id,
        "stage": stage,
        "moving_id": exclude_id,
        "position": position,
        "card_id": card_id,
    }
    return db.session.scalar(_neighbour_statement(later), params)


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
    after, before = _keys(programme_id, slot)
    for neighbour in (after, before):
        if neighbour is not None and neighbour[2] != stage:
            raise Conflict(_l("The cards around the new place have moved."))
    if after and before and after[:2] >= before[:2]:
        raise Conflict(_l("The cards around the new place have moved."))
    low, high = _bounds(programme_id, stage, after, before, moving_id)
    if high - low < 2:
        renumber(programme_id, stage, exclude_id=moving_id)
        after, before = _keys(programme_id, Slot(slot.after_id, slot.before_id))
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
