"""Is a competition entry ready to submit? The checklist, computed, and the closing rule.

The closing date is a date in the programme's zone; entries close at the end of that
day. Readiness is a list of items, each met or not:

- every section is written and within its word limit (a long draft is kept, never cut,
  but is not ready);
- the innovation has been implemented for the template's minimum at the closing date,
  counted from the day it entered Development, or from a date the team states with a
  document;
- every required document kind (e.g. the team decree) is attached to the innovation;
- the video link is there (when the template asks for one);
- a section that expects supporting documents has at least one linked.

`evaluate` is pure (it gets what it needs as arguments); `readiness_of` and
`readiness_for_entries` load it, the latter for a whole table in a fixed number of queries.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from ..extensions import db
from ..models import (
    CompetitionEntry,
    CompetitionRequiredDocument,
    CompetitionSection,
    CompetitionTemplate,
    Document,
    EntrySection,
    Stage,
    StageTransition,
    entry_section_documents,
)
from .rules import is_http_url
from .words import count_words


def closes_at(template: CompetitionTemplate, zone: str) -> datetime:
    """The instant (aware UTC) entries close: the end of the closing date in `zone`."""
    next_day = template.closing_date + timedelta(days=1)
    return datetime.combine(next_day, time(0), tzinfo=ZoneInfo(zone)).astimezone(UTC)


def is_closed(template: CompetitionTemplate, zone: str, now: datetime | None = None) -> bool:
    return (now or datetime.now(UTC)) >= closes_at(template, zone)


def days_to_close(template: CompetitionTemplate, today: date) -> int:
    """Whole days from `today` (a date in the programme's zone) to the closing date:
    0 on the closing date itself, negative after it."""
    return (template.closing_date - today).days


def add_months(day: date, months: int) -> date:
    """`day` plus whole calendar months; the 31st becomes the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def old_enough(started_on: date, months: int, closing_date: date) -> bool:
    """Implemented for at least `months` by the closing date (that day included)."""
    return add_months(started_on, months) <= closing_date


@dataclass(frozen=True)
class Item:
    """One line of the checklist. `kind` says which rule; `section`, `document_kind`
    and `numbers` say about what (the page words it in the reader's language)."""

    kind: str  # section_empty | section_too_long | section_ok | age | document | video | evidence
    ok: bool
    section: CompetitionSection | None = None
    document_kind: str | None = None
    numbers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Readiness:
    items: list[Item]

    @property
    def ready(self) -> bool:
        return all(item.ok for item in self.items)

    @property
    def missing(self) -> list[Item]:
        return [item for item in self.items if not item.ok]


@dataclass
class EntryFacts:
    """What readiness reads about one entry, loaded in bulk."""

    texts: dict[int, str]  # section id -> text
    evidence: dict[int, int]  # section id -> linked documents
    document_kinds: set[str]  # kinds of the innovation's documents
    development_on: date | None  # the day it (last) entered Development, programme zone


def evaluate(
    template: CompetitionTemplate,
    sections: list[CompetitionSection],
    required_kinds: list[str],
    entry: CompetitionEntry,
    facts: EntryFacts,
) -> Readiness:
    items: list[Item] = []
    for section in sections:
        text = facts.texts.get(section.id, "")
        words = count_words(text)
        numbers = {"words": words, "limit": section.word_limit}
        if words == 0:
            items.append(Item("section_empty", False, section, numbers=numbers))
        elif section.word_limit is not None and words > section.word_limit:
            items.append(Item("section_too_long", False, section, numbers=numbers))
        else:
            items.append(Item("section_ok", True, section, numbers=numbers))
    if template.min_implementation_months:
        items.append(_age_item(template, entry, facts))
    for kind in required_kinds:
        items.append(Item("document", kind in facts.document_kinds, document_kind=kind))
    if template.requires_video:
        items.append(Item("video", bool(entry.video_url) and is_http_url(entry.video_url)))
    for section in sections:
        if section.expects_documents:
            linked = facts.evidence.get(section.id, 0)
            items.append(Item("evidence", linked > 0, section, numbers={"documents": linked}))
    return Readiness(items)


def implementation_start(entry: CompetitionEntry, development_on: date | None) -> date | None:
    """The team's stated date when a document backs it, else the day it entered Development."""
    if entry.implementation_started_on and entry.implementation_document_id:
        return entry.implementation_started_on
    return development_on


def _age_item(template: CompetitionTemplate, entry: CompetitionEntry, facts: EntryFacts) -> Item:
    months = template.min_implementation_months
    started = implementation_start(entry, facts.development_on)
    numbers = {
        "months": months,
        "started": started,
        "needed_by": (_months_before(template.closing_date, months) if started is None else None),
        "stated_without_document": bool(
            entry.implementation_started_on and not entry.implementation_document_id
        ),
    }
    ok = started is not None and old_enough(started, months, template.closing_date)
    return Item("age", ok, numbers=numbers)


def _months_before(day: date, months: int) -> date:
    return add_months(day, -months)


def readiness_of(entry: CompetitionEntry, zone: str) -> Readiness:
    return readiness_for_entries([entry], zone)[entry.id]


def readiness_for_entries(entries: list[CompetitionEntry], zone: str) -> dict[int, Readiness]:
    """Readiness of each entry (by id), in a fixed number of queries however many there are.
    `zone` is the programme's: the day a card entered Development is a date there."""
    if not entries:
        return {}
    entry_ids = [e.id for e in entries]
    template_ids = {e.template_id for e in entries}
    innovation_ids = {e.innovation_id for e in entries}
    templates = {
        t.id: t
        for t in db.session.scalars(
            select(CompetitionTemplate).where(CompetitionTemplate.id.in_(template_ids))
        )
    }
    sections = defaultdict(list)
    for section in db.session.scalars(
        select(CompetitionSection)
        .where(CompetitionSection.template_id.in_(template_ids))
        .order_by(CompetitionSection.position, CompetitionSection.id)
    ):
        sections[section.template_id].append(section)
    required = defaultdict(list)
    for row in db.session.scalars(
        select(CompetitionRequiredDocument)
        .where(CompetitionRequiredDocument.template_id.in_(template_ids))
        .order_by(CompetitionRequiredDocument.kind)
    ):
        required[row.template_id].append(row.kind)
    texts = defaultdict(dict)
    for entry_id, section_id, text in db.session.execute(
        select(EntrySection.entry_id, EntrySection.section_id, EntrySection.text).where(
            EntrySection.entry_id.in_(entry_ids)
        )
    ):
        texts[entry_id][section_id] = text
    evidence = defaultdict(dict)
    for entry_id, section_id, linked in db.session.execute(
        select(EntrySection.entry_id, EntrySection.section_id, func.count())
        .join(
            entry_section_documents,
            entry_section_documents.c.entry_section_id == EntrySection.id,
        )
        .where(EntrySection.entry_id.in_(entry_ids))
        .group_by(EntrySection.entry_id, EntrySection.section_id)
    ):
        evidence[entry_id][section_id] = linked
    kinds = defaultdict(set)
    for innovation_id, kind in db.session.execute(
        select(Document.innovation_id, Document.kind)
        .where(Document.innovation_id.in_(innovation_ids))
        .distinct()
    ):
        kinds[innovation_id].add(kind)
    development = development_dates(innovation_ids, zone)
    return {
        entry.id: evaluate(
            templates[entry.template_id],
            sections[entry.template_id],
            required[entry.template_id],
            entry,
            EntryFacts(
                texts=texts[entry.id],
                evidence=evidence[entry.id],
                document_kinds=kinds[entry.innovation_id],
                development_on=development.get(entry.innovation_id),
            ),
        )
        for entry in entries
    }


def development_dates(innovation_ids, zone: str) -> dict[int, date]:
    """The day (in `zone`) each innovation last entered Development, from its stage history.
    An innovation that moved back to Creation afterwards has no such day."""
    latest: dict[int, StageTransition] = {}
    for transition in db.session.scalars(
        select(StageTransition)
        .where(StageTransition.innovation_id.in_(innovation_ids))
        .order_by(StageTransition.created_at, StageTransition.id)
    ):
        latest_move = transition.to_stage
        if latest_move == Stage.DEVELOPMENT and transition.from_stage != Stage.INSTITUTIONALISATION:
            latest[transition.innovation_id] = transition
        elif latest_move == Stage.CREATION:
            latest.pop(transition.innovation_id, None)
    tz = ZoneInfo(zone)
    return {iid: t.created_at.astimezone(tz).date() for iid, t in latest.items()}
