"""Agencies (OPD): shared by every programme, each programme choosing its participants.

Coordinators add agencies and choose participants; renaming, merging and
deleting change every programme that uses the agency, so the policy keeps them
for organisers. An agency with innovations is never deleted.
"""

from sqlalchemy import delete, func, insert, select, update

from ..extensions import db
from ..models import (
    Agency,
    EventKind,
    Innovation,
    Membership,
    Programme,
    Region,
    User,
    programme_agencies,
)
from ..translating import lazy_gettext as _l
from . import DomainError
from .events import record_event
from .regions import programme_regions_query
from .rules import clean_line

NAME_MAX = 200


def normalise_name(name: str) -> str:
    return " ".join((name or "").split())


def name_key(name: str) -> str:
    return normalise_name(name).casefold()


def participant_ids(programme_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(programme_agencies.c.agency_id).where(
                programme_agencies.c.programme_id == programme_id
            )
        )
    )


def participants_query(programme_id: int):
    """The programme's participating agencies, joined to their region."""
    return (
        select(Agency)
        .join(programme_agencies, programme_agencies.c.agency_id == Agency.id)
        .join(Region, Region.id == Agency.region_id)
        .where(programme_agencies.c.programme_id == programme_id)
    )


def place_ids(programme: Programme) -> set[int]:
    """Ids of the regions an agency of this programme may be in."""
    return set(db.session.scalars(programme_regions_query(programme).with_only_columns(Region.id)))


def find_agency(name: str, region_id: int) -> Agency | None:
    """The agency of that name in that region, whatever its case and spacing."""
    return db.session.scalar(
        select(Agency).where(
            Agency.region_id == region_id,
            func.lower(Agency.name) == normalise_name(name).lower(),
        )
    )


def check_name(name: str, field: str = "name") -> str:
    return clean_line(normalise_name(name), field, NAME_MAX, _l("Enter the agency's name."))


def add_agency(programme: Programme, *, name: str, region_id: int, actor: User | None) -> Agency:
    """The agency (made if new, found if it exists) taking part in the programme."""
    name = check_name(name)
    if region_id not in place_ids(programme):
        raise DomainError(_l("Choose one of the programme's regions."), field="region_id")
    agency = find_agency(name, region_id)
    created = agency is None
    if created:
        agency = Agency(name=name, region_id=region_id)
        db.session.add(agency)
        db.session.flush()
    if agency.id not in participant_ids(programme.id):
        add_participations(programme.id, [agency.id])
        _log(
            [programme.id],
            EventKind.AGENCY_ADDED,
            actor,
            agency_id=agency.id,
            agency=agency.name,
            created=created,
        )
    db.session.flush()
    return agency


def set_participants(programme: Programme, agency_ids: set[int], *, actor: User | None) -> bool:
    """Exactly `agency_ids` take part; an agency this programme's innovations use stays."""
    before = participant_ids(programme.id)
    added, removed = agency_ids - before, before - agency_ids
    if added:
        allowed = place_ids(programme)
        regions = {
            agency_id: region_id
            for agency_id, region_id in db.session.execute(
                select(Agency.id, Agency.region_id).where(Agency.id.in_(added))
            )
        }
        if set(regions) != added or not set(regions.values()) <= allowed:
            raise DomainError(_l("Choose agencies of the programme's regions."), field="agencies")
    if removed:
        _refuse_if_used(programme.id, removed)
        db.session.execute(
            delete(programme_agencies).where(
                programme_agencies.c.programme_id == programme.id,
                programme_agencies.c.agency_id.in_(removed),
            )
        )
    if added:
        add_participations(programme.id, sorted(added))
    if added or removed:
        _log(
            [programme.id],
            EventKind.AGENCIES_CHANGED,
            actor,
            added=sorted(added),
            removed=sorted(removed),
        )
    db.session.flush()
    return bool(added or removed)


def remove_participant(programme: Programme, agency: Agency, *, actor: User | None) -> None:
    participants = participant_ids(programme.id)
    if agency.id in participants:
        set_participants(programme, participants - {agency.id}, actor=actor)


def _refuse_if_used(programme_id: int, agency_ids: set[int]) -> None:
    used = db.session.scalar(
        select(Agency.name)
        .join(Innovation, Innovation.agency_id == Agency.id)
        .where(Innovation.programme_id == programme_id, Agency.id.in_(agency_ids))
        .limit(1)
    )
    if used is not None:
        raise DomainError(
            _l(
                "%(agency)s has innovations in this programme: move them to another agency first.",
                agency=used,
            ),
            field="agencies",
        )


def rename_agency(agency: Agency, name: str, *, actor: User | None) -> None:
    name = check_name(name)
    if name == agency.name:
        return
    other = find_agency(name, agency.region_id)
    if other is not None and other.id != agency.id:
        raise DomainError(
            _l("%(agency)s already exists in this region: merge them instead.", agency=other.name),
            field="name",
        )
    old = agency.name
    agency.name = name
    _log(
        _programmes_of(agency.id),
        EventKind.AGENCY_RENAMED,
        actor,
        agency_id=agency.id,
        old=old,
        new=name,
    )
    db.session.flush()


def merge_agencies(source: Agency, target: Agency, *, actor: User | None) -> int:
    """Move every innovation and member of `source` to `target`, give `target` every
    participation of `source`, and delete `source`. Returns how many innovations moved."""
    if source.id == target.id:
        raise DomainError(_l("Choose another agency to merge into."), field="target_id")
    programmes = _programmes_of(source.id)
    moved = db.session.execute(
        update(Innovation)
        .where(Innovation.agency_id == source.id)
        .values(agency_id=target.id, version=Innovation.version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    # Innovators keep their agency: the merged one is the same office under its right name.
    db.session.execute(
        update(Membership)
        .where(Membership.agency_id == source.id)
        .values(agency_id=target.id)
        .execution_options(synchronize_session=False)
    )
    missing = set(programmes) - set(_programmes_of(target.id))
    if missing:
        db.session.execute(
            insert(programme_agencies),
            [{"programme_id": p, "agency_id": target.id} for p in sorted(missing)],
        )
    _log(
        programmes,
        EventKind.AGENCY_MERGED,
        actor,
        agency_id=target.id,
        merged=source.name,
        into=target.name,
        innovations=moved,
    )
    db.session.execute(
        delete(programme_agencies).where(programme_agencies.c.agency_id == source.id)
    )
    db.session.delete(source)
    db.session.flush()
    return moved


def innovation_count(agency_id: int) -> int:
    return db.session.scalar(
        select(func.count(Innovation.id)).where(Innovation.agency_id == agency_id)
    )


def delete_agency(agency: Agency, *, actor: User | None) -> None:
    if innovation_count(agency.id):
        raise DomainError(
            _l("An agency with innovations is never deleted: merge it into another instead.")
        )
    _log(
        _programmes_of(agency.id),
        EventKind.AGENCY_DELETED,
        actor,
        agency_id=agency.id,
        agency=agency.name,
    )
    db.session.execute(
        delete(programme_agencies).where(programme_agencies.c.agency_id == agency.id)
    )
    db.session.delete(agency)
    db.session.flush()


def _programmes_of(agency_id: int) -> list[int]:
    return sorted(
        db.session.scalars(
            select(programme_agencies.c.programme_id).where(
                programme_agencies.c.agency_id == agency_id
            )
        )
    )


def add_participations(programme_id: int, agency_ids) -> None:
    """Insert participations known to be new."""
    db.session.execute(
        insert(programme_agencies),
        [{"programme_id": programme_id, "agency_id": a} for a in agency_ids],
    )


def _log(programme_ids, kind: EventKind, actor: User | None, **details) -> None:
    """One entry in the event log of every programme the change touches."""
    for programme_id in programme_ids:
        record_event(programme_id, kind, actor=actor, **details)
