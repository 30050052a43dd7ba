"""Read queries for the board: what the cards show, in a fixed number of queries.

A page of cards costs one query for the cards (with agency, region and owner
joined) plus three batched queries for mentors, milestone counts and the next
milestone, however many cards the page holds. They read the columns a card
shows into small objects, not mapped rows.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from sqlalchemy import (
    Date,
    Integer,
    and_,
    any_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.dialects import postgresql
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.orm import aliased

from ..extensions import db
from ..models import (
    Agency,
    ColumnCount,
    Innovation,
    InnovationState,
    MentorAssignment,
    Milestone,
    Programme,
    Region,
    Stage,
    User,
)
from ..models.users import initials
from ..numbers import ID_MAX, parse_int
from ..translating import lazy_gettext as _l
from . import filters as board_filters

PAGE_SIZE = 50
LANE_PAGE_SIZE = 10  # a swimlane cell shows fewer cards before "more"
NO_REGION = 0


class CardRow:
    """What a card shows of its innovation: a few columns, not the mapped object (the board
    draws 150 of them a page; loading whole rows with their relationships was a quarter of
    its time)."""

    __slots__ = (
        "id",
        "title",
        "version",
        "stage",
        "position",
        "stage_entered_at",
        "agency_name",
        "region_id",
        "region_name",
        "owner_name",
    )

    def __init__(self, row):
        (
            self.id,
            self.title,
            self.version,
            self.stage,
            self.position,
            self.stage_entered_at,
            self.agency_name,
            self.region_id,
            self.region_name,
            self.owner_name,
        ) = row

    @property
    def owner_initials(self) -> str:
        return initials(self.owner_name) if self.owner_name else ""


class Person:
    """A mentor on a card: the name and its initials."""

    __slots__ = ("name", "initials")

    def __init__(self, name: str):
        self.name = name
        self.initials = initials(name)


class NextMilestone:
    __slots__ = ("title", "due_date")

    def __init__(self, title: str, due_date: date | None):
        self.title = title
        self.due_date = due_date


@dataclass
class Card:
    innovation: CardRow
    mentors: list[Person] = field(default_factory=list)
    done: int = 0
    total: int = 0
    next_milestone: NextMilestone | None = None
    overdue: bool = False
    days_in_stage: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def lane(self) -> int:
        region = self.innovation.region_id
        return region if region is not None else NO_REGION


@dataclass
class Cell:
    """The cards of one column (or of one column within a swimlane)."""

    stage: Stage
    lane: int | None
    cards: list[Card]
    count: int
    cursor: str | None  # where the next page starts; None when all are shown

    @property
    def key(self) -> str:
        """Suffix of the DOM ids of this cell's list and its "more" loader."""
        return str(self.stage) if self.lane is None else f"r{self.lane}-{self.stage}"


@dataclass
class Lane:
    region_id: int
    name: str
    cells: list[Cell]


@cache
def _card_select():
    """SELECT the columns a card shows, with its agency, region and owner joined (aliased,
    so the filters' own subqueries on agencies are not correlated with them). Built once:
    statements are immutable, `.where()` makes a new one."""
    agency, region, owner = aliased(Agency), aliased(Region), aliased(User)
    return (
        select(
            Innovation.id,
            Innovation.title,
            Innovation.version,
            Innovation.stage,
            Innovation.position,
            Innovation.stage_entered_at,
            agency.name,
            agency.region_id,
            region.name,
            owner.name,
        )
        .outerjoin(agency, agency.id == Innovation.agency_id)
        .outerjoin(region, region.id == agency.region_id)
        .outerjoin(owner, owner.id == Innovation.owner_id)
    )


def fixed(number: int):
    """A LIMIT written into the SQL, not a parameter: with the page size as a parameter
    PostgreSQL cannot tell a prepared statement's generic plan reads 51 rows, so it planned
    the statement again on every request."""
    return literal_column(str(int(number)))


def _rows(statement, params=None):
    """Rows of a Core statement on the session's connection: the ORM's result handling
    (for statements that name mapped columns) cost more than the SQL on the board's
    few hundred rows, and these rows are plain columns."""
    return db.session.connection().execute(statement, params)


def _card_rows(statement, params=None) -> list[CardRow]:
    return [CardRow(row) for row in _rows(statement, params)]


def _lane_expr():
    # A literal, not a bound parameter: PostgreSQL must see the same expression in GROUP BY.
    return func.coalesce(Agency.region_id, literal_column(str(NO_REGION)))


def encode_cursor(innovation: CardRow) -> str:
    return f"{innovation.position}_{innovation.id}"


def decode_cursor(cursor: str) -> tuple[int, int]:
    """(position, id) after which the next page starts; ValueError if malformed."""
    if len(cursor) > 50:
        raise ValueError(cursor)
    position, _, card_id = cursor.partition("_")
    parsed = parse_int(position), parse_int(card_id, low=0, high=ID_MAX)
    if None in parsed:
        raise ValueError(cursor)
    return parsed


def _lane_condition(lane: int):
    if lane == NO_REGION:
        return Innovation.agency_id.is_(None)
    return Innovation.agency_id.in_(select(Agency.id).where(Agency.region_id == lane))


def _ids_condition(dialect: str):
    """`among(column)`: the column is one of the `ids` parameter (a list of ids). On
    PostgreSQL one array parameter, `= ANY(:ids)`: an IN of 150 parameters is too long
    for psycopg's statement cache, which parsed it again on every board (about 1 ms a
    statement). Elsewhere an expanding IN."""
    if dialect == "postgresql":
        array = bindparam("ids", type_=postgresql.ARRAY(Integer))
        return lambda column: column == any_(array)
    expanding = bindparam("ids", expanding=True)
    return lambda column: column.in_(expanding)


@cache
def _decorate_statements(dialect: str):
    """The two batched queries of `decorate`, built once with parameters for the cards'
    ids and today (building them was a tenth of the board's time): the mentors, and the
    milestone counts with the next open milestone."""
    among = _ids_condition(dialect)
    today = bindparam("today", type_=Date)
    mentors_of = (
        select(MentorAssignment.innovation_id, User.name)
        .join(User, User.id == MentorAssignment.mentor_id)
        .where(among(MentorAssignment.innovation_id), MentorAssignment.unassigned_at.is_(None))
        .order_by(User.name, User.id)
    )
    in_stage = Milestone.stage == Innovation.stage
    counts = (
        select(
            Innovation.id,
            func.sum(case((in_stage, 1), else_=0)).label("total"),
            func.sum(case((and_(in_stage, Milestone.done_at.is_not(None)), 1), else_=0)).label(
                "done"
            ),
            func.sum(
                case((and_(Milestone.done_at.is_(None), Milestone.due_date < today), 1), else_=0)
            ).label("late"),
        )
        .join(Milestone, Milestone.innovation_id == Innovation.id)
        # The ids on the innovations' side: each one's milestones by index. Named on the
        # milestones' side, PostgreSQL hashed every innovation of the database to join
        # 150 of them (9 ms at 10,000 innovations; 1 ms so, and as fast on SQLite).
        .where(among(Innovation.id))
        .group_by(Innovation.id)
        .subquery()
    )
    return mentors_of, _with_next_milestone(counts, dialect, among)


def _with_next_milestone(counts, dialect: str, among):
    """`counts`' rows, each with its card's next open milestone (title and due date, NULL
    when none is open): the earliest due, undated last. In the counts' statement, not a
    third one: on PostgreSQL each statement is a round trip. PostgreSQL ranks the cards'
    open milestones with a window; SQLite runs that twice as slowly as one indexed probe
    per card, which PostgreSQL in turn runs as 150 sorts (1.4 against 4.9 ms at 10,000
    innovations)."""
    first_first = (Milestone.due_date.is_(None), Milestone.due_date, Milestone.id)
    if dialect == "postgresql":
        ranked = (
            select(
                Milestone.innovation_id,
                Milestone.title,
                Milestone.due_date,
                func.row_number()
                .over(partition_by=Milestone.innovation_id, order_by=first_first)
                .label("rank"),
            )
            .where(among(Milestone.innovation_id), Milestone.done_at.is_(None))
            .subquery()
        )
        return select(counts, ranked.c.title, ranked.c.due_date).outerjoin(
            ranked, and_(ranked.c.innovation_id == counts.c.id, ranked.c.rank == 1)
        )
    candidate, following = aliased(Milestone), aliased(Milestone)
    first_open = (
        select(candidate.id)
        .where(candidate.innovation_id == counts.c.id, candidate.done_at.is_(None))
        .order_by(candidate.due_date.is_(None), candidate.due_date, candidate.id)
        .limit(1)
        .correlate(counts)
        .scalar_subquery()
    )
    return select(counts, following.title, following.due_date).outerjoin(
        following, following.id == first_open
    )


def decorate(innovations: list[CardRow], today: date, now: datetime) -> list[Card]:
    """Cards for these innovations: mentors, milestone counts, next milestone, overdue."""
    cards = {i.id: _card(i, now) for i in innovations}
    if not cards:
        return []
    mentors_of, counts_of = _decorate_statements(db.session.connection().dialect.name)
    params = {"ids": list(cards), "today": today}
    _add_mentors(cards, _rows(mentors_of, params))
    for innovation_id, *counts in _rows(counts_of, params):
        _add_counts(cards[innovation_id], *counts)
    return [cards[i.id] for i in innovations]


def _card(innovation: CardRow, now: datetime) -> Card:
    return Card(innovation, days_in_stage=max((now - innovation.stage_entered_at).days, 0))


def _add_mentors(cards: dict[int, Card], rows) -> None:
    people: dict[str, Person] = {}
    for innovation_id, name in rows:
        person = people.get(name) or people.setdefault(name, Person(name))
        cards[innovation_id].mentors.append(person)


def _add_counts(card: Card, total, done, late, title, due_date) -> None:
    card.total, card.done, card.overdue = int(total or 0), int(done or 0), bool(late)
    if title is not None:
        card.next_milestone = NextMilestone(title, due_date)


def _stage_counts(conditions) -> dict[str, int]:
    statement = select(Innovation.stage, func.count()).where(*conditions)
    return {stage: count for stage, count in _rows(statement.group_by(Innovation.stage))}


def _lane_counts(conditions) -> list[tuple[int, str | None, str, int]]:
    """(lane, region name, stage, count) for every swimlane cell that has cards."""
    return db.session.execute(
        select(_lane_expr(), Region.name, Innovation.stage, func.count(Innovation.id))
        .outerjoin(Agency, Agency.id == Innovation.agency_id)
        .outerjoin(Region, Region.id == Agency.region_id)
        .where(*conditions)
        .group_by(_lane_expr(), Region.name, Innovation.stage)
    ).all()


def active_counts(programme: Programme) -> dict[str, int]:
    """Active cards per stage, whatever the filters: what WIP limits compare against."""
    return _kept_counts(programme.id, InnovationState.ACTIVE, tuple(Stage))


def _kept_counts(programme_id: int, state: str, stages: tuple[Stage, ...]) -> dict[str, int]:
    """Cards per stage from the counts the database keeps (ColumnCount): a read of three
    rows, where counting the cards grew with the programme (5 ms at 10,000 on PostgreSQL)."""
    params = {"programme_id": programme_id, "state": state}
    return {stage: count for stage, count in _rows(_kept_counts_statement(stages), params)}


@cache
def _kept_counts_statement(stages: tuple[Stage, ...]):
    return select(ColumnCount.stage, ColumnCount.count).where(
        ColumnCount.programme_id == bindparam("programme_id"),
        ColumnCount.state == bindparam("state"),
        ColumnCount.stage.in_(stages),
    )


@dataclass
class BoardData:
    columns: list[Cell]  # one per stage, with the counts of the whole column
    lanes: list[Lane]  # only in the swimlane view
    active: dict[str, int]


def _first_pages_by_lane(conditions, limit: int) -> list[CardRow]:
    """The first `limit` + 1 cards of every (region, stage) cell, in one query."""
    ranked = (
        select(
            Innovation.id.label("card_id"),
            func.row_number()
            .over(
                partition_by=(Innovation.stage, _lane_expr()),
                order_by=(Innovation.position, Innovation.id),
            )
            .label("rank"),
        )
        .outerjoin(Agency, Agency.id == Innovation.agency_id)
        .where(*conditions)
        .subquery()
    )
    return _card_rows(
        _card_select()
        .join(ranked, ranked.c.card_id == Innovation.id)
        .where(ranked.c.rank <= limit + 1)
        .order_by(Innovation.position, Innovation.id)
    )


def board(
    programme: Programme,
    filters: board_filters.BoardFilters,
    user: User,
    today: date,
    now: datetime,
    stages: list[Stage] | None = None,
) -> BoardData:
    """The first page of every column (or of every swimlane cell)."""
    stages = stages or list(Stage)
    if filters.swimlanes:
        conditions = _conditions(programme, filters, user, today, stages)
        innovations = _first_pages_by_lane(conditions, LANE_PAGE_SIZE)
        cell = _cells(decorate(innovations, today, now), LANE_PAGE_SIZE, by_lane=True)
        columns, lanes = _swimlanes(conditions, stages, cell)
        return BoardData(columns, lanes, active_counts(programme))
    if filters.active_count == 0:
        # The board as most people open it: a statement built once, with parameters.
        pages = _unfiltered_pages(tuple(stages))
        innovations = _card_rows(pages, {"programme_id": programme.id, "state": filters.state})
        totals = _kept_counts(programme.id, filters.state, tuple(stages))
    else:
        conditions = _conditions(programme, filters, user, today, stages)
        innovations = _card_rows(_first_pages_by_column(conditions, stages, PAGE_SIZE))
        totals = _stage_counts(conditions)
    cell = _cells(decorate(innovations, today, now), PAGE_SIZE, by_lane=False)
    columns = [cell(stage, None, totals.get(stage, 0)) for stage in stages]
    if _shows_all_active(filters) and len(stages) == len(Stage):
        return BoardData(columns, [], totals)  # the filtered counts are the WIP counts
    return BoardData(columns, [], active_counts(programme))


def _conditions(programme, filters, user, today, stages) -> list:
    return [
        *board_filters.conditions(programme.id, filters, user, today),
        Innovation.stage.in_(stages),
    ]


@cache
def _unfiltered_pages(stages: tuple[Stage, ...]):
    """The first pages of the board without filters, for the `programme_id` and `state`
    parameters (building and keying the statement was a tenth of the board's time)."""
    conditions = [
        *board_filters.base_conditions(bindparam("programme_id"), bindparam("state")),
        Innovation.stage.in_(stages),
    ]
    return _first_pages_by_column(conditions, stages, PAGE_SIZE)


def _shows_all_active(filters: board_filters.BoardFilters) -> bool:
    return filters.active_count == 0 and filters.state == InnovationState.ACTIVE


def _first_pages_by_column(conditions, stages, limit: int):
    """SELECT the first `limit` + 1 cards of each column, in one statement: a UNION ALL of one
    small query per column, each walking the board index and stopping at its page (one
    statement instead of three: on PostgreSQL each is a round trip and a plan)."""
    pages = [
        _card_select()
        .where(*conditions, Innovation.stage == stage)
        .order_by(Innovation.position, Innovation.id)
        .limit(fixed(limit + 1))
        .subquery()
        for stage in stages
    ]
    # SQLite takes LIMIT in a compound only inside a subquery; each column's cards keep
    # their order (position, id) under the outer ORDER BY, which `_cells` groups by stage.
    both = union_all(*(select(page) for page in pages)).subquery()
    return select(both).order_by(both.c.position, both.c.id)


def _cells(cards: list[Card], limit: int, *, by_lane: bool):
    """cell(stage, lane, count): the cell's first `limit` cards, and a cursor if more."""
    grouped: dict[tuple, list[Card]] = defaultdict(list)
    for card in cards:
        grouped[(card.lane if by_lane else None, card.innovation.stage)].append(card)

    def cell(stage, lane, count) -> Cell:
        page = grouped.get((lane, stage), [])
        more = len(page) > limit
        page = page[:limit]
        cursor = encode_cursor(page[-1].innovation) if more else None
        return Cell(stage, lane, page, count, cursor)

    return cell


def _swimlanes(conditions, stages: list[Stage], cell) -> tuple[list[Cell], list[Lane]]:
    """Column heads with the totals, and one lane per region (no region last)."""
    totals: dict[str, int] = defaultdict(int)
    lanes: dict[int, tuple[str, dict]] = {}
    for lane, name, stage, count in _lane_counts(conditions):
        totals[stage] += count
        lanes.setdefault(lane, (name or str(_l("No region")), {}))[1][stage] = count
    columns = [Cell(stage, None, [], totals.get(stage, 0), None) for stage in stages]
    lane_list = [
        Lane(lane, name, [cell(stage, lane, per_stage.get(stage, 0)) for stage in stages])
        for lane, (name, per_stage) in sorted(
            lanes.items(), key=lambda item: (item[0] == NO_REGION, item[1][0])
        )
    ]
    return columns, lane_list


def move_counts(
    programme: Programme,
    filters: board_filters.BoardFilters,
    user: User,
    today: date,
    touched: list[Stage],
    lane: int | None = None,
) -> BoardData:
    """The counts a move changes: the heads (and tabs) of the columns it touched, and in
    the swimlane view those columns' cells of the card's lane. Without filters the heads
    are the counts the database keeps; filtered counts walk the (programme, state, stage,
    position) index within the touched columns only. When the filters show exactly the
    active cards, their counts are the WIP counts too."""
    shown = []
    if filters.active_count or lane is not None:  # the usual move needs no conditions
        shown = [
            *board_filters.conditions(programme.id, filters, user, today),
            Innovation.stage.in_(touched),
        ]
    if filters.active_count == 0:
        totals = _kept_counts(programme.id, filters.state, tuple(touched))
    else:
        totals = _stage_counts(shown)
    columns = [Cell(stage, None, [], totals.get(stage, 0), None) for stage in touched]
    lanes = []
    if lane is not None:
        per_stage = _stage_counts([*shown, _lane_condition(lane)])
        cells = [Cell(stage, lane, [], per_stage.get(stage, 0), None) for stage in touched]
        lanes.append(Lane(lane, "", cells))
    if _shows_all_active(filters):
        active = totals
    else:
        active = _kept_counts(programme.id, InnovationState.ACTIVE, tuple(touched))
    return BoardData(columns, lanes, active)


def column_page(
    programme: Programme,
    stage: Stage,
    filters: board_filters.BoardFilters,
    user: User,
    today: date,
    now: datetime,
    cursor: tuple[int, int] | None,
    lane: int | None = None,
) -> Cell:
    """The next page of one column (or swimlane cell), after `cursor`."""
    conditions = board_filters.conditions(programme.id, filters, user, today)
    conditions.append(Innovation.stage == stage)
    if lane is not None:
        conditions.append(_lane_condition(lane))
    if cursor is not None:
        position, card_id = cursor
        conditions.append(
            or_(
                Innovation.position > position,
                and_(Innovation.position == position, Innovation.id > card_id),
            )
        )
    limit = LANE_PAGE_SIZE if lane is not None else PAGE_SIZE
    innovations = _card_rows(
        _card_select()
        .where(*conditions)
        .order_by(Innovation.position, Innovation.id)
        .limit(fixed(limit + 1))
    )
    more = len(innovations) > limit
    innovations = innovations[:limit]
    next_cursor = encode_cursor(innovations[-1]) if more else None
    return Cell(stage, lane, decorate(innovations, today, now), 0, next_cursor)


def card(innovation_id: int, today: date, now: datetime) -> Card:
    """One card, as the board draws it (a move's answer): its row with its milestone
    counts and next milestone in one statement; on PostgreSQL its mentors too, elsewhere
    in a second one."""
    mentors_of, card_of = _card_statements(db.session.connection().dialect.name)
    params = {"ids": [innovation_id], "today": today, "card_id": innovation_id}
    (row,) = _rows(card_of, params).all()
    width = len(CardRow.__slots__)
    found = _card(CardRow(row[:width]), now)
    counts = row[width:]
    if mentors_of is None:  # PostgreSQL: the names are the row's last column
        *counts, names = counts
        mentors = ((innovation_id, name) for name in names or ())
    else:
        mentors = _rows(mentors_of, params)
    _add_counts(found, *counts)
    _add_mentors({innovation_id: found}, mentors)
    return found


@cache
def _card_statements(dialect: str):
    """`decorate`'s statements for one card, its row joined to its counts (on PostgreSQL a
    round trip fewer for every move). On PostgreSQL the mentors' names are an array in
    the same row (another round trip fewer), and the mentors' statement is None."""
    mentors_of, counts_of = _decorate_statements(dialect)
    counts = counts_of.subquery()
    card_of = (
        _card_select()
        .add_columns(
            counts.c.total, counts.c.done, counts.c.late, counts.c.title, counts.c.due_date
        )
        .outerjoin(counts, counts.c.id == Innovation.id)
        .where(Innovation.id == bindparam("card_id"))
    )
    if dialect != "postgresql":
        return mentors_of, card_of
    names = (
        select(func.array_agg(aggregate_order_by(User.name, User.name, User.id)))
        .join(MentorAssignment, MentorAssignment.mentor_id == User.id)
        .where(
            MentorAssignment.innovation_id == Innovation.id,
            MentorAssignment.unassigned_at.is_(None),
        )
        .scalar_subquery()
    )
    return None, card_of.add_columns(names)
