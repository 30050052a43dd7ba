"""Programmes: create (with default or copied settings), edit, archive and restore."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import (
    EventKind,
    Membership,
    Programme,
    Region,
    RegionKind,
    Role,
    User,
    utcnow,
)
from ..translating import lazy_gettext as _l
from . import Conflict, DomainError, NotAllowed, cohorts
from .events import record_event
from .rules import clean_line, clean_text
from .zones import is_valid_zone

NAME_MAX = 200
SLUG_MAX = 80
DESCRIPTION_MAX = 4000
YEAR_MIN, YEAR_MAX = 2000, 2100
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Settings a coordinator edits; the event log records each change with old and new value.
SETTINGS = (
    "name",
    "slug",
    "cohort_year",
    "description",
    "timezone",
    "starts_on",
    "ends_on",
    "region_id",
)


def slugify(text: str) -> str:
    """'Inkubasi Inovasi NTT 2027' -> 'inkubasi-inovasi-ntt-2027' (ASCII, for URLs)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:SLUG_MAX].rstrip("-")


@dataclass
class ProgrammeSettings:
    name: str
    slug: str = ""
    cohort_year: int | None = None
    description: str = ""
    timezone: str = "Asia/Makassar"
    starts_on: date | None = None
    ends_on: date | None = None
    region_id: int | None = None


def _clean(settings: ProgrammeSettings, programme: Programme | None) -> dict:
    name = clean_line(
        settings.name,
        "name",
        NAME_MAX,
        _l("Name must have between 1 and %(max)d characters.", max=NAME_MAX),
    )
    slug = (settings.slug or "").strip().lower() or slugify(name)
    if not slug or len(slug) > SLUG_MAX or not SLUG_PATTERN.match(slug):
        raise DomainError(
            _l("Use lowercase letters, digits and single hyphens (at most %(max)d).", max=SLUG_MAX),
            field="slug",
        )
    taken = db.session.scalar(select(Programme.id).where(Programme.slug == slug))
    if taken is not None and (programme is None or taken != programme.id):
        raise DomainError(
            _l("The address “%(slug)s” is taken by another programme. Choose another.", slug=slug),
            field="slug",
        )
    year = settings.cohort_year
    if year is not None and not YEAR_MIN <= year <= YEAR_MAX:
        raise DomainError(
            _l("Enter a year between %(min)d and %(max)d.", min=YEAR_MIN, max=YEAR_MAX),
            field="cohort_year",
        )
    description = clean_text(settings.description, "description", DESCRIPTION_MAX)
    if not is_valid_zone(settings.timezone):
        raise DomainError(_l("Choose a time zone from the list."), field="timezone")
    if settings.starts_on and settings.ends_on and settings.ends_on <= settings.starts_on:
        raise DomainError(_l("The end date must be after the start date."), field="ends_on")
    if settings.region_id is not None:
        kind = db.session.scalar(select(Region.kind).where(Region.id == settings.region_id))
        if kind != RegionKind.PROVINCE:
            raise DomainError(_l("Choose a province from the list."), field="region_id")
    return {
        "name": name,
        "slug": slug,
        "cohort_year": year,
        "description": description,
        "timezone": settings.timezone,
        "starts_on": settings.starts_on,
        "ends_on": settings.ends_on,
        "region_id": settings.region_id,
    }


def copy_sources(user: User) -> list[Programme]:
    """The programmes whose settings `user` may copy: those they coordinate."""
    return list(
        db.session.scalars(
            select(Programme)
            .join(Membership, Membership.programme_id == Programme.id)
            .where(Membership.user_id == user.id, Membership.role == Role.COORDINATOR)
            .order_by(Programme.archived, Programme.name)
        )
    )


def create_programme(
    settings: ProgrammeSettings,
    *,
    actor: User,
    copy_from: Programme | None = None,
    carry_over: bool = False,
) -> Programme:
    """A new programme led by `actor`, its first coordinator. It starts with the default
    milestone templates, or with the settings of `copy_from` (a programme the actor
    coordinates): templates, reminder rules, WIP limits and the mentors. `carry_over`
    moves the unfinished innovations of `copy_from` into the new programme."""
    if not actor.is_organiser:
        raise NotAllowed(_l("Only programme organisers may create programmes."))
    values = _clean(settings, None)
    if carry_over and copy_from is None:
        raise DomainError(_l("Choose the programme whose innovations move on."), field="copy_from")
    if copy_from is not None and copy_from not in copy_sources(actor):
        raise DomainError(_l("Choose a programme you coordinate."), field="copy_from")
    programme = Programme(**values, wip_limits=dict(copy_from.wip_limits) if copy_from else {})
    db.session.add(programme)
    db.session.flush()
    now = utcnow()
    db.session.add(
        Membership(
            programme_id=programme.id,
            user_id=actor.id,
            role=Role.COORDINATOR,
            created_at=now,
            joined_at=now,
        )
    )
    record_event(
        programme.id,
        EventKind.PROGRAMME_CREATED,
        actor=actor,
        copied_from=copy_from.slug if copy_from else None,
        **_jsonable(values),
    )
    if copy_from is None:
        cohorts.add_default_templates(programme)
    else:
        cohorts.copy_settings(copy_from, programme, actor)
        if carry_over:
            cohorts.carry_over_innovations(copy_from, programme, actor=actor)
    db.session.flush()
    return programme


def update_programme(
    programme: Programme, settings: ProgrammeSettings, *, actor: User
) -> list[str]:
    """Change a programme's settings; returns the names of the fields that changed."""
    _refuse_if_archived(programme)
    values = _clean(settings, programme)
    changes = {
        name: [getattr(programme, name), value]
        for name, value in values.items()
        if getattr(programme, name) != value
    }
    if not changes:
        return []
    for name, (_old, new) in changes.items():
        setattr(programme, name, new)
    record_event(
        programme.id,
        EventKind.SETTINGS_CHANGED,
        actor=actor,
        changes={name: _jsonable(dict(old=old, new=new)) for name, (old, new) in changes.items()},
    )
    db.session.flush()
    return list(changes)


def archive_programme(programme: Programme, *, actor: User) -> None:
    """Make the programme read-only and hide it from the switcher; nothing is deleted."""
    _refuse_if_archived(programme)
    programme.archived = True
    record_event(programme.id, EventKind.PROGRAMME_ARCHIVED, actor=actor)
    db.session.flush()


def restore_programme(programme: Programme, *, actor: User) -> None:
    if not programme.archived:
        raise Conflict(_l("This programme is not archived."))
    programme.archived = False
    record_event(programme.id, EventKind.PROGRAMME_RESTORED, actor=actor)
    db.session.flush()


def _refuse_if_archived(programme: Programme) -> None:
    if programme.archived:
        raise Conflict(ARCHIVED_MESSAGE)


ARCHIVED_MESSAGE = _l("This programme is archived: it can be read but not changed.")


def _jsonable(values: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}
