"""Competition deadline reminders: 14, 7 and 2 days before a competition closes, the team of
every entry that is not ready hears what is missing, as an item of their daily email.

Readiness is computed in Python (pipeline/readiness.py reads sections, documents and the
stage history), so the candidates are kept few: entries of competitions closing 14, 7 or 2
days after some recipient's today or tomorrow. An item's dedupe key (kind, entry, closing
date, days before, recipient) makes it fire once. At send time it is dropped when the entry
has become ready or the closing date has moved (batch.py), and the email lists what is
missing then, not what was missing at enqueue.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import get_locale
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from ..dates import format_date
from ..extensions import db
from ..labels import DOCUMENT_KIND_LABELS, label
from ..models import (
    CompetitionEntry,
    CompetitionTemplate,
    Innovation,
    InnovationState,
    NotificationOptOut,
    OutboxMessage,
    OutboxStatus,
    Programme,
    ReminderKind,
    ReminderRule,
    User,
    innovation_members,
)
from ..models.sql import dialect_name
from ..pipeline.readiness import readiness_for_entries
from ..pipeline.reminder_rules import COMPETITION_DAYS_BEFORE
from ..pipeline.zones import instant, today_in, zone_or_default
from ..translating import gettext as _
from .links import absolute_url

KIND = str(ReminderKind.COMPETITION_DEADLINE)


def dedupe_key(entry_id: int, closing_date, days: int, recipient_id: int) -> str:
    return f"{KIND}:{entry_id}:{closing_date.isoformat()}:{days}:{recipient_id}"


def enqueue_competition_deadlines(now: datetime) -> int:
    """Write the items due today or tomorrow in each recipient's zone; returns how many."""
    # Every zone's today and tomorrow lies within a day of the UTC date.
    days = {now.date() + timedelta(days=shift) for shift in (-1, 0, 1, 2)}
    closing = {day + timedelta(days=n) for day in days for n in COMPETITION_DAYS_BEFORE}
    rows = db.session.execute(
        select(CompetitionEntry, Innovation, Programme, CompetitionTemplate, ReminderRule.send_hour)
        .join(Innovation, Innovation.id == CompetitionEntry.innovation_id)
        .join(Programme, Programme.id == Innovation.programme_id)
        .join(CompetitionTemplate, CompetitionTemplate.id == CompetitionEntry.template_id)
        .join(
            ReminderRule,
            (ReminderRule.programme_id == Programme.id) & (ReminderRule.kind == KIND),
        )
        .where(
            ReminderRule.enabled.is_(True),
            Programme.archived.is_(False),
            Innovation.state == InnovationState.ACTIVE,
            Innovation.is_proposal.is_(False),
            CompetitionTemplate.closing_date.in_(closing),
        )
        .order_by(CompetitionEntry.id)
    ).all()
    if not rows:
        return 0
    readiness = {}
    by_zone = defaultdict(list)
    for entry, _innovation, programme, *_rest in rows:
        by_zone[programme.timezone].append(entry)
    for zone, entries in by_zone.items():
        readiness.update(readiness_for_entries(entries, zone_or_default(zone)))
    waiting = [row for row in rows if not readiness[row[0].id].ready]
    teams = team_of({row[1].id: row[1].owner_id for row in waiting})
    people = _people(set().union(set(), *teams.values()))
    values = []
    for entry, innovation, programme, template, hour in waiting:
        for person in (people[i] for i in sorted(teams[innovation.id]) if i in people):
            zone = zone_or_default(person.timezone, programme.timezone)
            today = today_in(zone, now)
            for day in (today, today + timedelta(days=1)):
                before = (template.closing_date - day).days
                if before not in COMPETITION_DAYS_BEFORE:
                    continue
                values.append(
                    {
                        "dedupe_key": dedupe_key(
                            entry.id, template.closing_date, before, person.id
                        ),
                        "kind": KIND,
                        "recipient_id": person.id,
                        "programme_id": programme.id,
                        "innovation_id": innovation.id,
                        "milestone_id": None,
                        "due_date": template.closing_date,
                        "context": {"entry_id": entry.id, "days_before": before},
                        "status": str(OutboxStatus.PENDING),
                        "attempts": 0,
                        "next_attempt_at": instant(day, hour, zone),
                        "created_at": now,
                    }
                )
    return _insert(values)


def team_of(owners: dict[int, int | None]) -> dict[int, set[int]]:
    """The owner and team members of each innovation (by id)."""
    teams = {innovation_id: {owner} if owner else set() for innovation_id, owner in owners.items()}
    if not owners:
        return teams
    rows = db.session.execute(
        select(innovation_members.c.innovation_id, innovation_members.c.user_id).where(
            innovation_members.c.innovation_id.in_(list(owners))
        )
    )
    for innovation_id, user_id in rows:
        teams[innovation_id].add(user_id)
    return teams


def _people(ids: set[int]) -> dict[int, User]:
    """Active people among `ids` who have not switched these reminders off."""
    if not ids:
        return {}
    opted_out = select(NotificationOptOut.user_id).where(NotificationOptOut.kind == KIND)
    found = db.session.scalars(
        select(User).where(User.id.in_(ids), User.active.is_(True), User.id.not_in(opted_out))
    )
    return {user.id: user for user in found}


def _insert(values: list[dict]) -> int:
    if not values:
        return 0
    module = postgresql if dialect_name() == "postgresql" else sqlite
    statement = module.insert(OutboxMessage.__table__).values(values).on_conflict_do_nothing()
    result = db.session.execute(statement, execution_options={"preserve_rowcount": True})
    return max(result.rowcount, 0)


@dataclass
class EntryLine:
    """One entry that is not ready, as the daily email shows it."""

    entry: CompetitionEntry
    template: CompetitionTemplate
    innovation: Innovation
    days: int  # to the closing date, as of the email's day
    closes: str
    missing: list[str]
    url: str


def entry_lines(items: list[OutboxMessage], batch, day) -> list[EntryLine]:
    """The entries of these competition items, each once, the soonest to close first."""
    lines: dict[int, EntryLine] = {}
    for item in items:
        entry = batch.entry_of(item)
        if entry is None or entry.id in lines:
            continue
        template = batch.competitions[entry.template_id]
        lines[entry.id] = EntryLine(
            entry=entry,
            template=template,
            innovation=batch.innovations[entry.innovation_id],
            days=(template.closing_date - day).days,
            closes=format_date(template.closing_date),
            missing=[missing_text(i) for i in batch.readiness[entry.id].missing],
            url=absolute_url("competitions.entry", entry_id=entry.id),
        )
    return sorted(lines.values(), key=lambda line: (line.days, line.innovation.title))


def section_name(section) -> str:
    english = str(get_locale() or "").startswith("en")
    return (section.title_en or section.title_id) if english else section.title_id


def missing_text(item) -> str:
    """A checklist item that is not met, in the recipient's language (inside force_locale)."""
    numbers = item.numbers or {}
    if item.kind == "section_empty":
        return _("%(title)s: not written yet", title=section_name(item.section))
    if item.kind == "section_too_long":
        return _(
            "%(title)s: %(words)d words, over the limit of %(limit)d",
            title=section_name(item.section),
            words=numbers["words"],
            limit=numbers["limit"],
        )
    if item.kind == "age":
        return _(
            "Implementation: at least %(months)d months by the closing date, shown by the day "
            "it entered Development or a start date with a document",
            months=numbers["months"],
        )
    if item.kind == "document":
        return _("%(kind)s not attached", kind=label(DOCUMENT_KIND_LABELS, item.document_kind))
    if item.kind == "video":
        return _("Video link (http or https) not given")
    if item.kind == "evidence":
        return _("%(title)s: no supporting document linked", title=section_name(item.section))
    return item.kind
