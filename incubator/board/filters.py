"""Board filters: parsed from the query string, so every view can be bookmarked."""

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import NamedTuple

from sqlalchemy import bindparam, case, exists, literal, literal_column, or_, select, union_all
from werkzeug.datastructures import MultiDict
from wtforms import Form, SelectField, StringField
from wtforms.validators import Optional

from ..extensions import db
from ..models import (
    Agency,
    Innovation,
    InnovationState,
    Membership,
    MentorAssignment,
    Milestone,
    Programme,
    Region,
    Role,
    SpmSector,
    User,
    innovation_members,
    innovation_sdgs,
)
from ..numbers import IdField, WholeNumberField
from ..single_line import LineField
from ..translating import lazy_gettext as _l

Q_MAX = 200
# Owners and mentors are listed in a <select> up to this many; a larger programme (thousands
# of innovators) gets a search field matching names on the server, so the page does not
# grow with the people stored.
PEOPLE_LIST_MAX = 50
VIEWS = ("columns", "swimlanes")


class _Flag(StringField):
    """A checkbox in a GET form: present and not "0" means on."""

    def process_formdata(self, valuelist):
        self.data = bool(valuelist) and valuelist[0] not in ("", "0", "false", "off")


class FilterForm(Form):
    region = IdField(_l("Region"), validators=[Optional()])
    agency = IdField(_l("Agency"), validators=[Optional()])
    mentor = IdField(_l("Mentor"), validators=[Optional()])
    owner = IdField(_l("Owner"), validators=[Optional()])
    mentor_q = LineField(_l("Mentor"), validators=[Optional()], max=Q_MAX)
    owner_q = LineField(_l("Owner"), validators=[Optional()], max=Q_MAX)
    sector = SelectField(
        _l("SPM sector"),
        choices=[""] + [s.value for s in SpmSector],
        default="",
        invalid_choice_message=_l("Choose one of the options."),
    )
    sdg = WholeNumberField(_l("SDG goal"), validators=[Optional()], low=1, high=17)
    mine = _Flag(_l("Mine"), default=False)
    overdue = _Flag(_l("Overdue only"), default=False)
    state = SelectField(
        _l("State"), choices=[s.value for s in InnovationState], default=InnovationState.ACTIVE
    )
    q = LineField(_l("Search titles"), validators=[Optional()], max=Q_MAX)
    view = SelectField(_l("View"), choices=list(VIEWS), default="columns")


@dataclass(frozen=True)
class BoardFilters:
    region: int | None = None
    agency: int | None = None
    mentor: int | None = None
    owner: int | None = None
    mentor_q: str = ""
    owner_q: str = ""
    sector: str = ""
    sdg: int | None = None
    mine: bool = False
    overdue: bool = False
    state: str = InnovationState.ACTIVE
    q: str = ""
    view: str = "columns"
    errors: dict = field(default_factory=dict, compare=False)

    @property
    def swimlanes(self) -> bool:
        return self.view == "swimlanes"

    def args(self, **changes) -> dict:
        """Query-string arguments that differ from the defaults (for url_for)."""
        values = {
            "region": self.region,
            "agency": self.agency,
            "mentor": self.mentor,
            "owner": self.owner,
            "mentor_q": self.mentor_q or None,
            "owner_q": self.owner_q or None,
            "sector": self.sector or None,
            "sdg": self.sdg,
            "mine": 1 if self.mine else None,
            "overdue": 1 if self.overdue else None,
            "state": self.state if self.state != InnovationState.ACTIVE else None,
            "q": self.q or None,
            "view": self.view if self.view != "columns" else None,
        }
        values.update(changes)
        return {key: value for key, value in values.items() if value is not None}

    @property
    def active_count(self) -> int:
        """How many filters narrow the board (the state and the view do not count)."""
        return (
            sum(
                bool(v)
                for v in (
                    self.region,
                    self.agency,
                    self.mentor,
                    self.owner,
                    self.sector,
                    self.sdg,
                    self.mine,
                    self.overdue,
                )
            )
            + bool(self.q)
            + bool(self.mentor_q)
            + bool(self.owner_q)
        )


def parse(args: MultiDict) -> tuple[FilterForm, BoardFilters]:
    """The form (to re-show, with errors next to fields) and the valid filters.

    An invalid field is reported and left out; the rest still apply.
    """
    form = FilterForm(formdata=args)
    form.validate()
    valid = {name: f.data for name, f in form._fields.items() if not f.errors}
    return form, BoardFilters(
        region=valid.get("region"),
        agency=valid.get("agency"),
        mentor=valid.get("mentor"),
        owner=valid.get("owner"),
        mentor_q=(valid.get("mentor_q") or "").strip(),
        owner_q=(valid.get("owner_q") or "").strip(),
        sector=valid.get("sector") or "",
        sdg=valid.get("sdg"),
        mine=bool(valid.get("mine")),
        overdue=bool(valid.get("overdue")),
        state=valid.get("state") or InnovationState.ACTIVE,
        q=(valid.get("q") or "").strip(),
        view=valid.get("view") or "columns",
        errors={name: f.errors for name, f in form._fields.items() if f.errors},
    )


def from_args(args: MultiDict) -> BoardFilters:
    """The valid filters alone, where the form is not shown (a move, a column's next page).
    Without a query string they are the defaults: building the form to learn so was a
    tenth of a card move's work."""
    if not args:
        return BoardFilters()
    return parse(args)[1]


def conditions(programme_id: int, filters: BoardFilters, user: User, today: date) -> list:
    """WHERE clauses for the cards the board shows with these filters."""
    clauses = base_conditions(programme_id, filters.state)
    if filters.region:
        clauses.append(
            Innovation.agency_id.in_(select(Agency.id).where(Agency.region_id == filters.region))
        )
    if filters.agency:
        clauses.append(Innovation.agency_id == filters.agency)
    if filters.mentor:
        clauses.append(_has_active_mentor(filters.mentor))
    if filters.owner:
        clauses.append(Innovation.owner_id == filters.owner)
    if filters.mentor_q:
        clauses.append(
            exists().where(
                MentorAssignment.innovation_id == Innovation.id,
                MentorAssignment.unassigned_at.is_(None),
                MentorAssignment.mentor_id.in_(_named(filters.mentor_q)),
            )
        )
    if filters.owner_q:
        clauses.append(Innovation.owner_id.in_(_named(filters.owner_q)))
    if filters.sector:
        clauses.append(Innovation.spm_sector == filters.sector)
    if filters.sdg:
        clauses.append(
            exists().where(
                innovation_sdgs.c.innovation_id == Innovation.id,
                innovation_sdgs.c.goal == filters.sdg,
            )
        )
    if filters.mine:
        clauses.append(
            or_(
                Innovation.owner_id == user.id,
                exists().where(
                    innovation_members.c.innovation_id == Innovation.id,
                    innovation_members.c.user_id == user.id,
                ),
                _has_active_mentor(user.id),
            )
        )
    if filters.overdue:
        clauses.append(
            exists().where(
                Milestone.innovation_id == Innovation.id,
                Milestone.done_at.is_(None),
                Milestone.due_date < today,
            )
        )
    if filters.q:
        clauses.append(Innovation.title.icontains(filters.q, autoescape=True))
    return clauses


def base_conditions(programme_id, state) -> list:
    """The cards of one programme in one state, proposals aside: what every view starts
    from (values or bound parameters: board.queries caches the unfiltered board's
    statements with parameters)."""
    return [
        Innovation.programme_id == programme_id,
        Innovation.is_proposal.is_(False),
        Innovation.state == state,
    ]


def _named(text: str):
    """Ids of the people whose name contains the text (any case)."""
    return select(User.id).where(User.name.icontains(text, autoescape=True))


def _has_active_mentor(mentor_id: int):
    return exists().where(
        MentorAssignment.innovation_id == Innovation.id,
        MentorAssignment.mentor_id == mentor_id,
        MentorAssignment.unassigned_at.is_(None),
    )


class Choice(NamedTuple):
    id: int
    name: str


@dataclass
class FilterChoices:
    regions: list[Choice]
    agencies: list[Choice]
    # None when the programme has more than PEOPLE_LIST_MAX of them: a search field instead.
    mentors: list[Choice] | None
    owners: list[Choice] | None
    # The chosen person's name (from `mentor=`/`owner=` in the URL), for the search field.
    mentor_name: str = ""
    owner_name: str = ""


def filter_choices(programme: Programme, filters: BoardFilters | None = None) -> FilterChoices:
    """Regions and agencies that have cards in the programme; its mentors and members.
    Ids and names only, and at most PEOPLE_LIST_MAX + 1 of each role (plus the chosen
    ones), in one statement: a large programme has thousands of members."""
    agency_rows = db.session.execute(_agencies_statement(), {"programme_id": programme.id}).all()
    regions = sorted(
        {region_id: Choice(region_id, name) for _, _, region_id, name in agency_rows}.values(),
        key=lambda region: region.name,
    )
    chosen = [i for i in (filters.mentor, filters.owner) if i] if filters else []
    params = {"programme_id": programme.id, "chosen": chosen}
    members = db.session.execute(_members_statement(bool(chosen)), params).all()

    def listed(mentor: int) -> list[Choice] | None:
        people = [Choice(i, name) for i, name, role, first in members if role == mentor and first]
        return people if len(people) <= PEOPLE_LIST_MAX else None

    def name_of(person_id: int | None, mentor: int) -> str:
        return next((name for i, name, role, _ in members if i == person_id and role == mentor), "")

    return FilterChoices(
        regions=regions,
        agencies=[Choice(agency_id, name) for agency_id, name, _, _ in agency_rows],
        mentors=listed(1),
        owners=listed(0),
        mentor_name=name_of(filters.mentor, 1) if filters else "",
        owner_name=name_of(filters.owner, 0) if filters else "",
    )


# The two statements below are built once, with parameters: building and keying them
# again on every board cost more than running them.


@cache
def _agencies_statement():
    """(agency id, name, region id, name) of the agencies that have cards in the programme:
    an index probe per agency, where IN (...) read every card of the programme."""
    has_cards = exists().where(
        Innovation.agency_id == Agency.id, Innovation.programme_id == bindparam("programme_id")
    )
    return (
        select(Agency.id, Agency.name, Region.id, Region.name)
        .join(Region, Region.id == Agency.region_id)
        .where(has_cards)
        .order_by(Agency.name)
    )


@cache
def _members_statement(with_chosen: bool):
    """(id, name, is_mentor, first): up to PEOPLE_LIST_MAX + 1 mentors and as many other
    members (first = 1), then the `chosen` people (first = 0), by name. Each part stops
    after 51 rows and is not sorted: past 50 the names are not listed at all (a search
    field instead), and sorting thousands of members to pick 51 was most of its cost."""
    is_mentor = case((Membership.role == Role.MENTOR, 1), else_=0)

    def people(*where, first: int, limit: int | None = None):
        # The members first, by the (programme, role) index, then their names: joined
        # before the LIMIT, PostgreSQL walked the users in id order until it had found
        # 51 mentors (every innovator's row at 10,000 innovations).
        members = select(Membership.user_id, is_mentor.label("is_mentor")).where(
            Membership.programme_id == bindparam("programme_id"), *where
        )
        if limit is not None:
            members = members.limit(literal_column(str(limit)))  # see queries.fixed
        members = members.subquery()  # SQLite takes LIMIT in a compound only inside one
        return select(User.id, User.name, members.c.is_mentor, literal(first).label("first")).join(
            members, members.c.user_id == User.id
        )

    parts = [
        people(Membership.role == Role.MENTOR, first=1, limit=PEOPLE_LIST_MAX + 1),
        people(Membership.role != Role.MENTOR, first=1, limit=PEOPLE_LIST_MAX + 1),
    ]
    if with_chosen:
        parts.append(people(Membership.user_id.in_(bindparam("chosen", expanding=True)), first=0))
    both = union_all(*parts).subquery()
    return select(both).order_by(both.c.name, both.c.id)
