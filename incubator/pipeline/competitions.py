"""Competition operations: templates, the programme's choice, entries and their sections.

Templates are shared data (KIPP changes every year). An entry belongs to one innovation
and one template; opening it writes one section row per template section, prefilled
from what the innovation already holds. Saving a section names the version the writer
started from: a save from an older version is refused (two people at once), never merged.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, insert, select, update

from ..dates import format_date
from ..extensions import db
from ..models import (
    CompetitionEntry,
    CompetitionRequiredDocument,
    CompetitionSection,
    CompetitionTemplate,
    Document,
    DocumentKind,
    EntrySection,
    Innovation,
    Milestone,
    PrefillSource,
    Programme,
    User,
    entry_section_documents,
    programme_competitions,
    utcnow,
)
from ..translating import lazy_gettext as _l
from . import Conflict, DomainError, activity
from .readiness import is_closed
from .rules import URL_MAX, clean_line, is_http_url

SECTION_TEXT_MAX = 100_000  # a safety net far above any word limit; drafts may be long
NAME_MAX = 200
WEIGHT_TOTAL = 100


class Closed(Conflict):
    """The competition's closing date has passed: the entry is read-only."""


def closed_message(template: CompetitionTemplate):
    return _l(
        "This competition closed at the end of %(date)s: the entry can be read but no"
        " longer changed.",
        date=format_date(template.closing_date),
    )


@dataclass
class SectionInput:
    """One section row of the template form; `id` None for a new section."""

    id: int | None
    title_id: str
    title_en: str
    question_id: str
    question_en: str
    word_limit: int | None
    weight: int
    expects_documents: bool
    prefill: str | None = None


def check_weights(weights: list[int]) -> None:
    total = sum(weights)
    if total != WEIGHT_TOTAL:
        raise DomainError(
            _l("The weights add up to %(total)d%%; they must add up to 100%%.", total=total),
            field="sections",
        )


def save_template(
    template: CompetitionTemplate | None,
    actor: User,
    *,
    name: str,
    year: int,
    closing_date: date,
    description: str,
    min_implementation_months: int,
    requires_video: bool,
    required_kinds: list[str],
    sections: list[SectionInput],
) -> CompetitionTemplate:
    """Create (template None) or change a template with all its sections at once: the
    weights must add up to 100. A removed section takes its text in entries with it,
    so one that an entry has written in is refused."""
    name = clean_line(name, "name", NAME_MAX, _l("Give the competition a name."))
    if not sections:
        raise DomainError(_l("Add at least one section."), field="sections")
    for row in sections:
        row.title_id = clean_line(
            row.title_id, "sections", NAME_MAX, _l("Every section needs a title.")
        )
        row.title_en = clean_line(row.title_en or row.title_id, "sections", NAME_MAX)
        if row.word_limit is not None and row.word_limit < 1:
            raise DomainError(_l("A word limit is at least 1."), field="sections")
        if not 0 <= row.weight <= 100:
            raise DomainError(_l("A weight is between 0 and 100."), field="sections")
        if row.prefill is not None and row.prefill not in set(PrefillSource):
            row.prefill = None
    check_weights([row.weight for row in sections])
    kinds = [k for k in dict.fromkeys(required_kinds) if k in set(DocumentKind)]
    if min_implementation_months < 0:
        raise DomainError(
            _l("Enter a number of months, 0 or more."), field="min_implementation_months"
        )

    if template is None:
        template = CompetitionTemplate(created_by_id=actor.id)
        db.session.add(template)
    template.name = name
    template.year = year
    template.closing_date = closing_date
    template.description = (description or "").strip()
    template.min_implementation_months = min_implementation_months
    template.requires_video = bool(requires_video)
    db.session.flush()

    existing = {
        s.id: s
        for s in db.session.scalars(
            select(CompetitionSection).where(CompetitionSection.template_id == template.id)
        )
    }
    kept = {row.id for row in sections if row.id in existing}
    removed = [sid for sid in existing if sid not in kept]
    if removed:
        written = db.session.scalar(
            select(func.count())
            .select_from(EntrySection)
            .where(EntrySection.section_id.in_(removed), EntrySection.text != "")
        )
        if written:
            raise DomainError(
                _l("A section that entries have written in cannot be removed."),
                field="sections",
            )
        db.session.execute(delete(CompetitionSection).where(CompetitionSection.id.in_(removed)))
    new_sections = []
    for position, row in enumerate(sections, start=1):
        section = existing.get(row.id) if row.id in kept else None
        if section is None:
            section = CompetitionSection(template_id=template.id)
            db.session.add(section)
            new_sections.append(section)
        section.position = position
        section.title_id = row.title_id
        section.title_en = row.title_en
        section.question_id = (row.question_id or "").strip()
        section.question_en = (row.question_en or "").strip()
        section.word_limit = row.word_limit
        section.weight = row.weight
        section.expects_documents = bool(row.expects_documents)
        section.prefill = row.prefill
    db.session.execute(
        delete(CompetitionRequiredDocument).where(
            CompetitionRequiredDocument.template_id == template.id
        )
    )
    db.session.add_all(CompetitionRequiredDocument(template_id=template.id, kind=k) for k in kinds)
    db.session.flush()
    if new_sections:  # entries already open get the new sections, empty
        entry_ids = list(
            db.session.scalars(
                select(CompetitionEntry.id).where(CompetitionEntry.template_id == template.id)
            )
        )
        db.session.add_all(
            EntrySection(entry_id=eid, section_id=s.id, text="")
            for eid in entry_ids
            for s in new_sections
        )
        db.session.flush()
    return template


def set_programme_competitions(programme: Programme, template_ids: list[int], actor: User) -> None:
    """The competitions the programme's innovations may enter (entries already open stay)."""
    known = set(
        db.session.scalars(
            select(CompetitionTemplate.id).where(CompetitionTemplate.id.in_(template_ids))
        )
    )
    db.session.execute(
        delete(programme_competitions).where(programme_competitions.c.programme_id == programme.id)
    )
    if known:
        db.session.execute(
            insert(programme_competitions),
            [{"programme_id": programme.id, "template_id": tid} for tid in sorted(known)],
        )
    activity.record(
        "competitions_chosen",
        actor=actor,
        programme_id=programme.id,
        templates=sorted(known),
    )
    db.session.flush()


def open_entry(
    innovation: Innovation,
    template: CompetitionTemplate,
    programme: Programme,
    actor: User,
    now: datetime | None = None,
) -> CompetitionEntry:
    """The innovation's entry for `template`, opened now with every section prefilled;
    the existing one when already open."""
    existing = db.session.scalar(
        select(CompetitionEntry).where(
            CompetitionEntry.innovation_id == innovation.id,
            CompetitionEntry.template_id == template.id,
        )
    )
    if existing is not None:
        return existing
    chosen = db.session.scalar(
        select(func.count())
        .select_from(programme_competitions)
        .where(
            programme_competitions.c.programme_id == programme.id,
            programme_competitions.c.template_id == template.id,
        )
    )
    if not chosen:
        raise DomainError(_l("This programme does not take part in that competition."))
    if is_closed(template, programme.timezone, now):
        raise Closed(closed_message(template))
    entry = CompetitionEntry(
        innovation_id=innovation.id, template_id=template.id, created_by_id=actor.id, video_url=""
    )
    db.session.add(entry)
    db.session.flush()
    sources = prefill_texts(innovation)
    sections = db.session.scalars(
        select(CompetitionSection)
        .where(CompetitionSection.template_id == template.id)
        .order_by(CompetitionSection.position)
    )
    db.session.add_all(
        EntrySection(
            entry_id=entry.id,
            section_id=s.id,
            text=sources.get(s.prefill, "") if s.prefill else "",
            version=1,
        )
        for s in sections
    )
    activity.record(
        "competition_entry_opened",
        actor=actor,
        programme_id=innovation.programme_id,
        innovation_id=innovation.id,
        competition=template.name,
    )
    db.session.flush()
    return entry


def prefill_texts(innovation: Innovation) -> dict[str, str]:
    """What each prefill source gives a new entry, from what the innovation holds."""
    done = db.session.scalars(
        select(Milestone.title)
        .where(Milestone.innovation_id == innovation.id, Milestone.done_at.is_not(None))
        .order_by(Milestone.done_at, Milestone.id)
    ).all()
    regulations = db.session.scalars(
        select(Document.title)
        .where(Document.innovation_id == innovation.id, Document.kind == DocumentKind.REGULATION)
        .order_by(Document.created_at, Document.id)
    ).all()
    return {
        PrefillSource.SUMMARY: innovation.summary or "",
        PrefillSource.PROBLEM: innovation.problem or "",
        PrefillSource.RESULTS: innovation.results or "",
        PrefillSource.MILESTONES_DONE: "\n".join(f"- {title}" for title in done),
        PrefillSource.REGULATIONS: "\n".join(f"- {title}" for title in regulations),
    }


def _ensure_open(entry: CompetitionEntry, programme: Programme, now: datetime | None) -> None:
    template = db.session.get(CompetitionTemplate, entry.template_id)
    if is_closed(template, programme.timezone, now):
        raise Closed(closed_message(template))


class StaleSection(Conflict):
    """Someone saved the section since this writer loaded it."""


STALE_MESSAGE = _l(
    "Someone else saved this section while you were writing. Your text has not been saved:"
    " copy it, reload the page to see theirs, and merge the two."
)


def save_section(
    row: EntrySection,
    text: str,
    expected_version: int,
    actor: User,
    programme: Programme,
    now: datetime | None = None,
) -> EntrySection:
    """Save a section's text as written (never cut: a draft may be over its limit).
    One conditional UPDATE: when the row is no longer at `expected_version`,
    StaleSection (409) and nothing is written."""
    entry = db.session.get(CompetitionEntry, row.entry_id)
    _ensure_open(entry, programme, now)
    text = (text or "").replace("\r\n", "\n")
    if len(text) > SECTION_TEXT_MAX:
        raise DomainError(_l("Use at most %(max)d characters.", max=SECTION_TEXT_MAX), field="text")
    moment = now or utcnow()
    result = db.session.execute(
        update(EntrySection)
        .where(EntrySection.id == row.id, EntrySection.version == expected_version)
        .values(
            text=text,
            version=EntrySection.version + 1,
            updated_at=moment,
            updated_by_id=actor.id,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        db.session.refresh(row)
        raise StaleSection(STALE_MESSAGE)
    db.session.execute(
        update(CompetitionEntry)
        .where(CompetitionEntry.id == entry.id)
        .values(updated_at=moment)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(row)
    return row


def save_details(
    entry: CompetitionEntry,
    programme: Programme,
    actor: User,
    *,
    video_url: str,
    implementation_started_on: date | None,
    implementation_document_id: int | None,
    now: datetime | None = None,
) -> None:
    """The video link (an http(s) address, or empty) and the stated implementation start."""
    _ensure_open(entry, programme, now)
    video_url = (video_url or "").strip()
    if video_url and not is_http_url(video_url):
        raise DomainError(
            _l("Enter the video's address, starting with http:// or https://."),
            field="video_url",
        )
    if len(video_url) > URL_MAX:
        raise DomainError(_l("Use at most %(max)d characters.", max=URL_MAX), field="video_url")
    if implementation_document_id is not None:
        document = db.session.get(Document, implementation_document_id)
        if document is None or document.innovation_id != entry.innovation_id:
            raise DomainError(
                _l("Choose one of this innovation's documents."),
                field="implementation_document_id",
            )
    entry.video_url = video_url
    entry.implementation_started_on = implementation_started_on
    entry.implementation_document_id = implementation_document_id
    entry.updated_at = now or utcnow()
    db.session.flush()


def link_document(
    row: EntrySection,
    document: Document,
    programme: Programme,
    now: datetime | None = None,
) -> None:
    """Link one of the innovation's documents to a section as supporting evidence."""
    entry = db.session.get(CompetitionEntry, row.entry_id)
    _ensure_open(entry, programme, now)
    if document.innovation_id != entry.innovation_id:
        raise DomainError(_l("Choose one of this innovation's documents."), field="document_id")
    linked = db.session.scalar(
        select(func.count())
        .select_from(entry_section_documents)
        .where(
            entry_section_documents.c.entry_section_id == row.id,
            entry_section_documents.c.document_id == document.id,
        )
    )
    if not linked:
        db.session.execute(
            insert(entry_section_documents).values(entry_section_id=row.id, document_id=document.id)
        )
    db.session.flush()


def unlink_document(
    row: EntrySection, document_id: int, programme: Programme, now: datetime | None = None
) -> None:
    entry = db.session.get(CompetitionEntry, row.entry_id)
    _ensure_open(entry, programme, now)
    db.session.execute(
        delete(entry_section_documents).where(
            entry_section_documents.c.entry_section_id == row.id,
            entry_section_documents.c.document_id == document_id,
        )
    )
    db.session.flush()


def copy_template(
    source: CompetitionTemplate, actor: User, *, name: str, year: int, closing_date: date
) -> CompetitionTemplate:
    """A new template with the source's sections and requirements (next year's KIPP
    starts from this year's), for the coordinator to adjust."""
    sections = db.session.scalars(
        select(CompetitionSection)
        .where(CompetitionSection.template_id == source.id)
        .order_by(CompetitionSection.position, CompetitionSection.id)
    ).all()
    kinds = db.session.scalars(
        select(CompetitionRequiredDocument.kind).where(
            CompetitionRequiredDocument.template_id == source.id
        )
    ).all()
    return save_template(
        None,
        actor,
        name=name,
        year=year,
        closing_date=closing_date,
        description=source.description,
        min_implementation_months=source.min_implementation_months,
        requires_video=source.requires_video,
        required_kinds=list(kinds),
        sections=[
            SectionInput(
                id=None,
                title_id=s.title_id,
                title_en=s.title_en,
                question_id=s.question_id,
                question_en=s.question_en,
                word_limit=s.word_limit,
                weight=s.weight,
                expects_documents=s.expects_documents,
                prefill=s.prefill,
            )
            for s in sections
        ],
    )
