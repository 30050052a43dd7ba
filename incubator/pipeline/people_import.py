"""Inviting many people from a CSV or XLSX file: check every row, then all or nothing.

Columns, in this order: name, email, role, agency (innovators), capacity
(mentors), language of the invitation (id or en; Indonesian when empty).
`preview` reads and checks without writing; `apply` invites only a file whose
every row is fine, in the caller's transaction.
"""

from dataclasses import dataclass, field

from sqlalchemy import func, select

from ..extensions import db
from ..models import Agency, Membership, Programme, Role, User
from ..translating import lazy_gettext as _l
from . import DomainError
from .invitations import Invitee, check_invitee, invite, programme_agency_ids
from .tables import TableRow, read_table

MAX_PEOPLE = 300
HEADER_WORDS = frozenset(
    {"name", "nama", "email", "e-mail", "surel", "role", "peran", "agency", "opd", "instansi"}
)
ROLE_WORDS = {
    "coordinator": Role.COORDINATOR,
    "koordinator": Role.COORDINATOR,
    "innovator": Role.INNOVATOR,
    "inovator": Role.INNOVATOR,
    "mentor": Role.MENTOR,
    "pendamping": Role.MENTOR,
}
LANGUAGE_WORDS = {"": "id", "id": "id", "indonesia": "id", "en": "en", "english": "en"}


@dataclass
class PersonRow:
    number: int
    cells: tuple[str, ...]
    invitee: Invitee | None = None
    agency_name: str = ""
    problem: object = None  # a (lazy) message when the row cannot be imported


@dataclass
class PeoplePreview:
    rows: list[PersonRow] = field(default_factory=list)

    @property
    def errors(self) -> list[PersonRow]:
        return [row for row in self.rows if row.problem is not None]


def _agencies(programme: Programme) -> dict[str, tuple[int, str]]:
    allowed = programme_agency_ids(programme)
    rows = db.session.execute(select(Agency.id, Agency.name).where(Agency.id.in_(allowed)))
    return {name.casefold(): (agency_id, name) for agency_id, name in rows}


def _members(programme: Programme, emails: list[str]) -> set[str]:
    return {
        email.lower()
        for email in db.session.scalars(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.programme_id == programme.id,
                func.lower(User.email).in_([e.lower() for e in emails]),
            )
        )
    }


def _check_row(programme, row: PersonRow, agencies, allowed_agencies) -> None:
    cell = lambda i: row.cells[i] if i < len(row.cells) else ""  # noqa: E731
    name, email, role_text, agency_text, capacity_text, language = (cell(i) for i in range(6))
    role = ROLE_WORDS.get(role_text.casefold())
    if role is None:
        row.problem = _l(
            "Unknown role “%(role)s”: write innovator, mentor or coordinator.", role=role_text
        )
        return
    agency_id = None
    if agency_text and role == Role.INNOVATOR:
        found = agencies.get(" ".join(agency_text.split()).casefold())
        if found is None:
            row.problem = _l(
                "No agency of this programme is called “%(agency)s”.", agency=agency_text
            )
            return
        agency_id, row.agency_name = found
    capacity = None
    if capacity_text and role == Role.MENTOR:
        if not (capacity_text.isascii() and capacity_text.isdigit() and len(capacity_text) < 4):
            row.problem = _l("The capacity must be a whole number.")
            return
        capacity = int(capacity_text)
    locale = LANGUAGE_WORDS.get(language.casefold())
    if locale is None:
        row.problem = _l("The language must be id or en.")
        return
    try:
        row.invitee = check_invitee(
            programme,
            Invitee(name, email, role, agency_id, capacity, locale),
            agencies=allowed_agencies,
        )
    except DomainError as error:
        row.problem = error.message


def check_rows(programme: Programme, table: list[TableRow]) -> PeoplePreview:
    if len(table) > MAX_PEOPLE:
        raise DomainError(_l("At most %(n)d people at a time.", n=MAX_PEOPLE), field="file")
    agencies = _agencies(programme)
    allowed = {agency_id for agency_id, _name in agencies.values()}
    preview = PeoplePreview()
    seen: dict[str, int] = {}
    for table_row in table:
        row = PersonRow(table_row.number, tuple(table_row.cells[:6]))
        preview.rows.append(row)
        _check_row(programme, row, agencies, allowed)
        if row.invitee is None:
            continue
        key = row.invitee.email.lower()
        if key in seen:
            row.problem = _l("This email is already on row %(row)d.", row=seen[key])
            row.invitee = None
        else:
            seen[key] = row.number
    members = _members(programme, list(seen))
    for row in preview.rows:
        if row.invitee is not None and row.invitee.email.lower() in members:
            row.problem = _l("%(email)s is already in this programme.", email=row.invitee.email)
            row.invitee = None
    return preview


def preview_file(programme: Programme, filename: str, data: bytes) -> PeoplePreview:
    return check_rows(programme, read_table(filename, data, header_words=HEADER_WORDS))


def apply(programme: Programme, preview: PeoplePreview, *, actor: User) -> int:
    """Invite every row, or nobody when any row has a problem."""
    if preview.errors:
        raise DomainError(_l("Fix the rows with a problem first: nothing was imported."))
    for row in preview.rows:
        invite(programme, row.invitee, actor=actor)
    return len(preview.rows)
