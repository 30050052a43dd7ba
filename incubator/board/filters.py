"""Board filters: parsed from the query string, so every view can be bookmarked."""

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select
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

Q_MAX = 200
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
        return sum(
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
        ) + bool(self.q)


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
        sector=valid.get("sector") or "",
        sdg=valid.get("sdg"),
        mine=bool(valid.get("mine")),
        overdue=bool(valid.get("overdue")),
        state=valid.get("state") or InnovationState.ACTIVE,
        q=(valid.get("q") or "").strip(),
        view=valid.get("view") or "columns",
        errors={name: f.errors for name, f in form._fields.items() if f.errors},
    )


def conditions(programme_id: int, filters: BoardFilters, user: User, today: date) -> list:
    """WHERE clauses for the cards the board shows with these filters."""
    clauses = [
        Innovation.programme_id == programme_id,
        Innovation.is_proposal.is_(False),
        Innovation.state == filters.state,
    ]
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
    mentors: list[Choice]
    owners: list[Choice]


def filter_choices(programme: Programme) -> FilterChoices:
    """Regions and agencies that have cards in the programme; its mentors and members.
    Ids and names only: a large programme has thousands of members, and loading them
    as mapped rows was a third of the board's time at 10,000 innovations."""
    agency_rows = db.session.execute(
        select(Agency.id, Agency.name, Region.id, Region.name)
        .join(Region, Region.id == Agency.region_id)
        .where(
            Agency.id.in_(
                select(Innovation.agency_id).where(Innovation.programme_id == programme.id)
            )
        )
        .order_by(Agency.name)
    ).all()
    regions = sorted(
        {region_id: Choice(region_id, name) for _, _, region_id, name in agency_rows}.values(),
        key=lambda region: region.name,
    )
    members = db.session.execute(
        select(User.id, User.name, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.programme_id == programme.id)
        .order_by(User.name)
    ).all()
    return FilterChoices(
        regions=regions,
        agencies=[Choice(agency_id, name) for agency_id, name, _, _ in agency_rows],
        mentors=[Choice(i, name) for i, name, role in members if role == Role.MENTOR],
        owners=[Choice(i, name) for i, name, role in members if role != Role.MENTOR],
    )
